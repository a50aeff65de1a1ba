package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/internal/web/view"
)

// pageReq is one request for a public page: its language, its
// language-neutral path and the program the pages show. Its methods turn
// store records into view-model pieces in that language.
type pageReq struct {
	s    *server
	r    *http.Request
	L    *i18n.Localizer
	path string
	prog postgres.PublicProgram
}

// begin starts a public page: it resolves the language and the program.
func (s *server) begin(r *http.Request) (*pageReq, error) {
	lang, path := splitPath(r)
	prog, err := s.store.DefaultProgram(r.Context())
	if err != nil {
		return nil, err
	}
	return &pageReq{s: s, r: r, L: s.i18n.Localizer(lang), path: path, prog: prog}, nil
}

// load begins a page request and reads what the page shows of the
// default program.
func load[T any](s *server, r *http.Request, read func(ctx context.Context, program string) (T, error)) (*pageReq, T, error) {
	pr, err := s.begin(r)
	if err != nil {
		var zero T
		return nil, zero, err
	}
	v, err := read(r.Context(), pr.prog.Slug)
	return pr, v, err
}

// loadSlug begins a page request and reads the record the path's {slug}
// names.
func loadSlug[T any](s *server, r *http.Request, read func(ctx context.Context, program, slug string) (T, error)) (*pageReq, T, error) {
	return load(s, r, func(ctx context.Context, program string) (T, error) {
		return read(ctx, program, chi.URLParam(r, "slug"))
	})
}

// page returns the layout data for a page of section titled title.
func (pr *pageReq) page(section, title string) view.Page {
	p := pr.s.page(pr.L, pr.path, section, title)
	p.ProgramName = pr.L.Text(pr.prog.Name)
	p.UpdatedAt = pr.L.DateTime(&pr.prog.UpdatedAt)
	p.PrintCSS = pr.s.static.URL("print.css")
	// Each section describes itself for link previews; pages about one
	// team or round override it.
	if id := "desc.section." + section; pr.L.Has(id) {
		p.Description = pr.L.T(id)
	}
	return p
}

// T translates a UI message into the page's language.
func (pr *pageReq) T(id string, args ...any) string { return pr.L.T(id, args...) }

// label translates id when the catalog has it and falls back to raw, for
// open-ended codes such as membership roles.
func (pr *pageReq) label(id, raw string) string {
	if pr.L.Has(id) {
		return pr.L.T(id)
	}
	return raw
}

// teamPath and orgPath are the language-neutral paths of a team's and an
// organization's page.
func teamPath(slug string) string { return "/teams/" + slug }
func orgPath(slug string) string  { return "/organizations/" + slug }

// teamLink links a team's page; the store names teams in several record
// types, so it takes the slug and the name.
func (pr *pageReq) teamLink(slug string, name contest.Text) view.Link {
	return view.Link{Text: pr.L.Text(name), URL: pr.L.URL(teamPath(slug))}
}

// orgLink links an organization's page.
func (pr *pageReq) orgLink(slug string, name contest.Text) view.Link {
	return view.Link{Text: pr.L.Text(name), URL: pr.L.URL(orgPath(slug))}
}

func (pr *pageReq) roundLink(slug string, name contest.Text) view.Link {
	return view.Link{Text: pr.L.Text(name), URL: pr.L.URL("/rounds/" + slug)}
}

func (pr *pageReq) refLink(r postgres.PublicRoundRef) view.Link { return pr.roundLink(r.Slug, r.Name) }

// roundDate is when a round was decided: its announcement, or else its
// evaluation date.
func (pr *pageReq) roundDate(r postgres.PublicRound) string {
	if r.AnnounceAt != nil {
		return pr.L.Announcement(r.AnnounceAt, r.AnnounceDateOnly)
	}
	return pr.L.Date(r.EvaluatedOn)
}

func (pr *pageReq) sources(srcs []postgres.PublicSource) []view.Source {
	out := make([]view.Source, 0, len(srcs))
	for _, s := range srcs {
		v := view.Source{Label: s.Label, URL: s.URL, Host: s.URL, Date: s.DateNote}
		if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
			v.Host = strings.TrimPrefix(u.Host, "www.")
		}
		if v.Label == "" {
			v.Label = v.Host
		}
		if s.PublishedOn != nil {
			v.Date = pr.L.Date(s.PublishedOn)
		}
		out = append(out, v)
	}
	// One source label may name several articles (e.g. two outlets quoting
	// the same release): tell them apart as S19a, S19b.
	count := map[string]int{}
	for _, v := range out {
		count[v.Label]++
	}
	seen := map[string]int{}
	for i, v := range out {
		if count[v.Label] > 1 {
			out[i].Label = v.Label + string(rune('a'+seen[v.Label]%26))
			seen[v.Label]++
		}
	}
	return out
}

// marker flags reported and conflicting facts; confirmed facts get none.
func (pr *pageReq) marker(confidence string) *view.Marker {
	switch confidence {
	case contest.Reported, contest.Conflicting:
		return &view.Marker{
			Code:  confidence,
			Label: pr.T("confidence." + confidence),
			Title: pr.T("confidence." + confidence + ".title"),
		}
	}
	return nil
}

func (pr *pageReq) outcome(o postgres.PublicOutcome) view.Outcome {
	v := view.Outcome{
		Team:    pr.teamLink(o.Team.Slug, o.Team.Name),
		Slug:    o.Team.Slug,
		Code:    o.Outcome,
		Label:   pr.T("outcome." + o.Outcome),
		Reason:  pr.L.Text(o.Reason),
		Note:    pr.L.Text(o.Note),
		Sources: pr.sources(o.Sources),
	}
	if o.Rank != nil {
		v.Rank = pr.T("outcome.rank", "n", *o.Rank)
	}
	return v
}

func (pr *pageReq) outcomes(os []postgres.PublicOutcome) []view.Outcome {
	out := make([]view.Outcome, 0, len(os))
	for _, o := range os {
		out = append(out, pr.outcome(o))
	}
	return out
}

// figures lists published figures with their criterion names, the total last.
func (pr *pageReq) figures(scores []postgres.PublicScore) []view.Figure {
	out := make([]view.Figure, 0, len(scores))
	for _, sc := range scores {
		f := view.Figure{Name: pr.L.Text(sc.CriterionName), Value: format.Figure(sc.Value)}
		if sc.Criterion == "total" {
			f.Name, f.Total = pr.T("table.total"), true
		}
		out = append(out, f)
	}
	return out
}

// undisclosed is the cell of a figure that was never published: it says
// so, never 0 or blank.
func (pr *pageReq) undisclosed() view.Cell {
	return view.Cell{Text: pr.L.Undisclosed(), Undisclosed: true}
}

func (pr *pageReq) money(krw *int64) view.Amount {
	if krw == nil {
		return pr.undisclosed()
	}
	return view.Amount{Text: pr.L.Money(krw)}
}

func (pr *pageReq) allocation(a postgres.PublicAllocation) view.Allocation {
	v := view.Allocation{
		Year:      strconv.Itoa(a.Year),
		Recipient: view.Link{Text: pr.T("funding.program_wide")},
		Kind:      pr.T("allocation." + a.Kind),
		Amount:    pr.money(a.AmountKRW),
		Marker:    pr.marker(a.Confidence),
		Note:      pr.L.Text(a.Note),
		Sources:   pr.sources(a.Sources),
	}
	if a.Team != nil {
		v.Recipient = pr.teamLink(a.Team.Slug, a.Team.Name)
	}
	switch {
	case a.GPUModel != "" && a.Quantity != nil:
		v.GPU = a.GPUModel + " × " + pr.L.Number(*a.Quantity)
	case a.Quantity != nil:
		v.GPU = pr.T("funding.gpus", "n", pr.L.Number(*a.Quantity))
	default:
		v.GPU = a.GPUModel
	}
	return v
}

// roundStatus is the public code and label of a round status: the steps
// before publication are only "planned" or "in evaluation" to the public.
func (pr *pageReq) roundStatus(status string) (code, label string) {
	code = publicRoundStatus(status)
	return code, pr.T("round.status." + code)
}

// publicRoundStatus is the status the public sees, in the pages, the API and
// the downloads: before publication a round is only planned or being
// evaluated.
func publicRoundStatus(status string) string {
	switch status {
	case contest.StatusPublished, contest.StatusCorrected:
		return status
	case contest.StatusScoring, contest.StatusClosed:
		return "evaluating"
	}
	return "planned"
}

// passed reports whether an outcome keeps a team in the competition: it
// was selected or advanced. Engine outcomes (rules.Outcome) are the same
// codes: pass string(o).
func passed(outcome string) bool {
	return outcome == contest.OutcomeSelected || outcome == contest.OutcomeAdvanced
}

// teamStatus is the label of a team status code.
func (pr *pageReq) teamStatus(status string) string { return pr.T("team.status." + status) }
