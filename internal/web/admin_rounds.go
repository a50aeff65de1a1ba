package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// maxMissingShown bounds the completeness list of a round page; the count
// says how many more there are.
const maxMissingShown = 100

// program returns the slug and name of the program the console works on:
// the same one the public pages show.
func (ar *adminReq) program() (postgres.PublicProgram, error) {
	return ar.s.store.DefaultProgram(ar.r.Context())
}

func (ar *adminReq) statusLabel(status string) string { return ar.T("admin.status." + status) }

// publishedAt formats a publication time; a historic round published "at"
// an announcement known only to the day shows the day.
func (ar *adminReq) publishedAt(at, announce *time.Time, dateOnly bool) string {
	if at == nil {
		return ""
	}
	return ar.L.Announcement(at, dateOnly && announce != nil && at.Equal(*announce))
}

// handleDashboard lists the rounds with status, completeness and schedule.
func (s *server) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	v := adminview.DashboardPage{AdminPage: ar.page("rounds", ar.T("admin.rounds.title"))}
	prog, err := ar.program()
	if errors.Is(err, contest.ErrNotFound) {
		// A fresh installation: nothing imported yet.
		v.Program = ar.T("admin.rounds.none")
		return s.render(w, r, http.StatusOK, admin.Dashboard(v))
	}
	if err != nil {
		return err
	}
	rounds, err := s.store.AdminRounds(r.Context(), prog.Slug)
	if err != nil {
		return err
	}
	v.Program = ar.textIn(prog.Name)
	for _, rd := range rounds {
		row := adminview.AdminRoundRow{
			Slug:       rd.Slug,
			Name:       ar.textIn(rd.Name),
			URL:        ar.L.URL("/admin/rounds/" + rd.Slug),
			ScoresURL:  ar.L.URL("/admin/rounds/" + rd.Slug + "/scores"),
			Kind:       ar.T("round.kind." + rd.Kind),
			StatusCode: rd.Status,
			Status:     ar.statusLabel(rd.Status),
			Teams:      ar.L.Number(rd.Teams),
			Announce:   ar.L.Announcement(rd.AnnounceAt, rd.AnnounceDateOnly),
			Scheduled:  ar.dateTime(rd.PublishAt),
			HasGrid:    rd.Scored,
		}
		if rd.PublishedAt != nil {
			row.Published = ar.T("admin.round.published_at", "when", ar.publishedAt(rd.PublishedAt, rd.AnnounceAt, rd.AnnounceDateOnly))
		}
		if rd.Scored && !contest.Published(rd.Status) {
			row.Completeness = ar.T("admin.completeness.count", "entered", ar.L.Number(rd.Entered), "required", ar.L.Number(rd.Required))
			row.Complete = rd.Complete()
			row.Missing = ar.T("admin.completeness.missing", "n", ar.L.Number(len(rd.Missing)))
		}
		v.Rounds = append(v.Rounds, row)
	}
	return s.render(w, r, http.StatusOK, admin.Dashboard(v))
}

// roundPage builds a round's workflow page for the user's role.
func (s *server) roundPage(ar *adminReq, slug string) (adminview.RoundAdminPage, error) {
	ctx := ar.r.Context()
	prog, err := ar.program()
	if err != nil {
		return adminview.RoundAdminPage{}, err
	}
	d, err := s.store.AdminRound(ctx, prog.Slug, slug)
	if err != nil {
		return adminview.RoundAdminPage{}, err
	}
	info := d.Info
	v := adminview.RoundAdminPage{
		AdminPage:  ar.page("rounds", ar.textIn(info.Name)),
		Slug:       slug,
		Name:       ar.textIn(info.Name),
		Kind:       ar.T("round.kind." + info.Kind),
		StatusCode: info.Status,
		Status:     ar.statusLabel(info.Status),
		Announce:   ar.L.Announcement(info.AnnounceAt, d.AnnounceDateOnly),
		Published:  ar.publishedAt(info.PublishedAt, info.AnnounceAt, d.AnnounceDateOnly),
		ScoresURL:  ar.L.URL("/admin/rounds/" + slug + "/scores"),
		Scheduled:  ar.dateTime(d.PublishAt),
		Scored:     d.Scored,
		Complete:   d.Complete(),
	}
	v.Path = "/admin/rounds/" + slug
	if d.PublishAt != nil {
		v.ScheduledBy = d.ScheduledBy
	}
	published := contest.Published(info.Status)
	v.Rule = ar.T("rule.places."+info.Kind, "n", info.Advance)
	if info.MinTotal != nil {
		v.Rule += " · " + ar.T("rule.min_total", "points", ar.L.Points(*info.MinTotal))
	}
	if published {
		v.PublicRoundURL = ar.L.URL("/rounds/" + slug)
	}
	names := map[string]string{}
	for _, e := range d.Entries {
		names[e.Team] = ar.textIn(e.Name)
	}
	crit := map[string]string{}
	var categories []postgres.AdminCriterion
	for _, c := range d.Criteria {
		crit[c.Code] = ar.textIn(c.Name)
		if c.Depth == 0 {
			categories = append(categories, c)
		}
		if c.Leaf {
			v.Leaves = append(v.Leaves, adminview.Option{Value: c.Code, Label: ar.textIn(c.Name)})
		}
	}
	// A published round is complete by definition (historic ones record
	// only what was announced), so only open rounds list what is missing.
	v.ShowCompleteness = d.Scored && !published
	if v.ShowCompleteness {
		v.Completeness = ar.T("admin.completeness.count", "entered", ar.L.Number(d.Entered), "required", ar.L.Number(d.Required))
		for i, m := range d.Missing {
			if i == maxMissingShown {
				v.MoreMissing = ar.T("admin.completeness.more", "n", ar.L.Number(len(d.Missing)-i))
				break
			}
			v.Missing = append(v.Missing, ar.missingText(names, crit, m.Team, m.Criterion, m.Evaluator))
		}
	}

	isAdmin := ar.isAdmin()
	open := info.Status == contest.StatusDraft || info.Status == contest.StatusScoring
	v.CanClose = isAdmin && open && d.Scored
	v.CanReopen = isAdmin && info.Status == contest.StatusClosed
	v.CanPublish = isAdmin && !published && d.Scored
	v.CanSchedule = isAdmin && !published && d.Scored
	v.CanEdit = isAdmin && open
	v.Schedule = adminview.NewForm(map[string]string{"at": scheduleDefault(d, ar.s.now())})

	for _, e := range d.Entries {
		v.Entries = append(v.Entries, adminview.EntryRow{
			Team: e.Team, Name: ar.textIn(e.Name), Code: e.Status, Status: ar.T("entry." + e.Status),
			ReasonKO: e.Reason.KO, ReasonEN: e.Reason.EN, Options: ar.statusOptions(e.Status),
		})
		v.Teams = append(v.Teams, adminview.Option{Value: e.Team, Label: ar.textIn(e.Name)})
	}
	v.StatusOptions = ar.statusOptions("")

	rr, err := s.store.Results(ctx, prog.Slug, slug)
	switch {
	case err == nil && !d.Scored && !rr.Announced:
		// Without criteria there is nothing to compute yet.
		v.PreviewError = ar.T("admin.preview.unavailable")
	case err == nil:
		v.Preview = ar.resultsTable(rr, categories, names)
		v.StaleDecision = rr.StaleDecision
		if rr.Result != nil && rr.Report.Complete && rr.Report.Blocked && isAdmin && !published {
			v.CanDecide = true
			for _, t := range rr.Report.Teams {
				if t.ReasonCode == rules.ReasonTieAtCut {
					v.Tied = append(v.Tied, adminview.Option{Value: t.Team, Label: names[t.Team]})
				}
			}
		}
		v.CanCorrect = isAdmin && published && d.Scored && !rr.Announced && rr.Result != nil
	case errors.Is(err, rules.ErrInvalidInput) || errors.Is(err, contest.ErrInvalid) || errors.Is(err, contest.ErrRoundState):
		// A round without criteria or entries yet has nothing to compute.
		v.PreviewError = ar.T("admin.preview.unavailable")
	default:
		return v, err
	}
	if dec := d.Decision; dec != nil {
		teams := make([]string, len(dec.Advance))
		for i, t := range dec.Advance {
			teams[i] = names[t]
		}
		v.Decision = ar.T("admin.decision.recorded", "teams", strings.Join(teams, ", "), "reason", ar.textIn(dec.Reason), "who", dec.DecidedBy)
	}
	for _, rev := range d.Revisions {
		row := adminview.RevisionRow{
			Revision:  strconv.Itoa(rev.Revision),
			When:      ar.L.DateTime(&rev.PublishedAt),
			Reason:    ar.textIn(rev.Reason),
			Change:    ar.changeText(names, crit, rev.Change),
			AuditHead: rev.AuditHead,
		}
		if rev.Revision == 1 {
			row.Reason = ar.T("admin.revision.first")
		}
		v.Revisions = append(v.Revisions, row)
	}
	return v, nil
}

// scheduleDefault proposes a publication time: the one scheduled, else the
// announcement time if it is still ahead, as a datetime-local value in KST.
func scheduleDefault(d postgres.AdminRound, now time.Time) string {
	switch {
	case d.PublishAt != nil:
		return d.PublishAt.In(format.KST).Format(kstLocal)
	case d.Info.AnnounceAt != nil && d.Info.AnnounceAt.After(now):
		return d.Info.AnnounceAt.In(format.KST).Format(kstLocal)
	}
	return ""
}

// kstLocal is the value format of a datetime-local input, read as KST.
const kstLocal = "2006-01-02T15:04"

func (ar *adminReq) statusOptions(current string) []adminview.Option {
	var out []adminview.Option
	for _, st := range contest.EntryStatuses {
		out = append(out, adminview.Option{Value: st, Label: ar.T("entry." + st), Selected: st == current})
	}
	return out
}

func (ar *adminReq) missingText(teams, crit map[string]string, team, criterion string, evaluator int) string {
	name, cname := teams[team], crit[criterion]
	if name == "" {
		name = team
	}
	if cname == "" {
		cname = criterion
	}
	if evaluator > 0 {
		return ar.T("admin.missing.panel", "team", name, "criterion", cname, "n", evaluator)
	}
	return ar.T("admin.missing.direct", "team", name, "criterion", cname)
}

// resultsTable shapes the results document with the cut line where the
// public results page draws it (cutAt): above the first team outside the
// places, ranked below them or not ranked. The table can draw it only
// above a row, so it has none when every team is inside the places.
func (ar *adminReq) resultsTable(rr postgres.RoundResults, categories []postgres.AdminCriterion, names map[string]string) *adminview.ResultsTable {
	rep := rr.Report
	places := resultPlaces(rr)
	cut := cutAt(rep.Teams, places)
	t := &adminview.ResultsTable{
		Caption:    ar.T("admin.preview.caption", "n", places),
		Blocked:    rep.Blocked && rep.Complete, // a tie on missing scores means nothing yet
		Complete:   rep.Complete,
		StatusCode: rep.Status,
		Status:     ar.T("admin.results." + rep.Status),
	}
	for _, c := range categories {
		t.Categories = append(t.Categories, ar.textIn(c.Name))
	}
	for i, line := range rep.Teams {
		row := adminview.ResultRow{Team: line.Team, Name: names[line.Team], Reason: ar.textIn(contest.Text(line.Reason)), Total: "—",
			CutAbove: i == cut}
		if row.Name == "" {
			row.Name = line.Team
		}
		if line.Rank != nil {
			row.Rank = strconv.Itoa(*line.Rank)
		}
		for _, c := range categories {
			val, ok := line.Categories[c.Code]
			if !ok {
				val = "—"
			}
			row.Categories = append(row.Categories, val)
		}
		if line.Total != nil {
			row.Total = *line.Total
		}
		if line.Outcome != nil {
			row.OutcomeCode = string(*line.Outcome)
			row.Outcome = ar.T("outcome." + string(*line.Outcome))
		} else {
			row.OutcomeCode = "pending"
			row.Outcome = ar.T("admin.outcome.pending")
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// changeText describes what a correction changed.
func (ar *adminReq) changeText(teams, crit map[string]string, raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	c, err := decodeChange(raw)
	if err != nil {
		return string(raw)
	}
	team := teams[c.Team]
	if team == "" {
		team = c.Team
	}
	switch c.Kind {
	case "score":
		what := ar.missingText(teams, crit, c.Team, c.Criterion, c.Evaluator)
		return ar.T("admin.change.score", "what", what, "old", c.Old, "new", c.New)
	case "eligibility":
		return ar.T("admin.change.eligibility", "team", team, "old", ar.T("entry."+c.Old), "new", ar.T("entry."+c.New))
	}
	return string(raw)
}

// handleAdminRound shows a round's workflow page.
func (s *server) handleAdminRound(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	v, err := s.roundPage(ar, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.Round(v))
}

// refuseRound re-renders the round page with why an action was refused,
// when the store's error is one a person can act on; other errors go to
// the error page.
func (s *server) refuseRound(w http.ResponseWriter, ar *adminReq, slug string, err error, edit func(*adminview.RoundAdminPage)) error {
	ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
	if !ok {
		return err
	}
	v, verr := s.roundPage(ar, slug)
	if verr != nil {
		return verr
	}
	v.Notice, v.NoticeKind = ref.notice, "error"
	if edit != nil {
		edit(&v)
	}
	return s.render(w, ar.r, ref.status, admin.Round(v))
}

// roundAction runs a workflow step and goes back to the round with a notice.
func (s *server) roundAction(w http.ResponseWriter, r *http.Request, do func(ar *adminReq, program, slug string) error, done string) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	if err := do(ar, prog.Slug, slug); err != nil {
		return s.refuseRound(w, ar, slug, err, nil)
	}
	ar.flash(ar.T(done))
	return ar.redirect(w, "/admin/rounds/"+slug)
}

func (s *server) handleRoundClose(w http.ResponseWriter, r *http.Request) error {
	return s.roundAction(w, r, func(ar *adminReq, program, slug string) error {
		return s.store.CloseRound(r.Context(), program, slug, ar.actor())
	}, "admin.done.close")
}

func (s *server) handleRoundReopen(w http.ResponseWriter, r *http.Request) error {
	return s.roundAction(w, r, func(ar *adminReq, program, slug string) error {
		return s.store.ReopenRound(r.Context(), program, slug, ar.actor())
	}, "admin.done.reopen")
}

func (s *server) handleRoundPublish(w http.ResponseWriter, r *http.Request) error {
	return s.roundAction(w, r, func(ar *adminReq, program, slug string) error {
		_, err := s.store.PublishRound(r.Context(), program, slug, ar.actor(), s.now())
		return err
	}, "admin.done.publish")
}

// handleRoundSchedule sets or cancels the scheduled publication. The time
// is typed in KST, whatever the browser's time zone.
func (s *server) handleRoundSchedule(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	var at time.Time
	done := "admin.done.unschedule"
	if r.PostFormValue("cancel") == "" {
		done = "admin.done.schedule"
		f := formOf(r, "at")
		at, err = time.ParseInLocation(kstLocal, f.V("at"), format.KST)
		switch {
		case err != nil:
			f.Errors["at"] = ar.T("admin.invalid.datetime")
		case !at.After(s.now()):
			f.Errors["at"] = ar.T("admin.invalid.past")
		}
		if f.Invalid() {
			v, err := s.roundPage(ar, slug)
			if err != nil {
				return err
			}
			v.Schedule = f
			return s.render(w, r, http.StatusUnprocessableEntity, admin.Round(v))
		}
	}
	if err := s.store.SchedulePublication(r.Context(), prog.Slug, slug, at, ar.actor()); err != nil {
		return s.refuseRound(w, ar, slug, err, nil)
	}
	ar.flash(ar.T(done))
	return ar.redirect(w, "/admin/rounds/"+slug)
}

// maxReason bounds a reason in characters.
const maxReason = 1000

// checkReasons requires both languages of a reason (when required) and
// bounds them, into f under koField and enField.
func (ar *adminReq) checkReasons(f adminview.Form, koField, enField string, required bool) {
	for _, name := range []string{koField, enField} {
		val := f.V(name)
		switch {
		case required && val == "":
			f.Errors[name] = ar.T("admin.invalid.required")
		case utf8.RuneCountInString(val) > maxReason || strings.ContainsFunc(val, unicode.IsControl):
			f.Errors[name] = ar.T("admin.invalid.reason")
		}
	}
}

// reasonRequired says whether an entry status needs its reason in Korean
// and English: the database requires one for a disqualification, and the
// console asks for one for a withdrawal too, in the eligibility form and
// in a correction alike, so a published withdrawal is always explained.
func reasonRequired(status string) bool {
	return status == contest.EntryDisqualified || status == contest.EntryWithdrew
}

// handleEligibility records a team's eligibility with its reason in Korean
// and English; a refused form comes back with what was typed.
func (s *server) handleEligibility(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	f := formOf(r, "team", "status", "reason_ko", "reason_en")
	if !slices.Contains(contest.EntryStatuses, f.V("status")) {
		f.Errors["status"] = ar.T("admin.invalid.choice")
	}
	ar.checkReasons(f, "reason_ko", "reason_en", reasonRequired(f.V("status")))
	rerender := func(status int, notice string) error {
		v, err := s.roundPage(ar, slug)
		if err != nil {
			return err
		}
		v.EligTeam, v.Eligibility = f.V("team"), f
		for i := range v.Entries {
			if v.Entries[i].Team == f.V("team") {
				v.Entries[i].Options = ar.statusOptions(f.V("status"))
			}
		}
		if notice != "" {
			v.Notice, v.NoticeKind = notice, "error"
		}
		return s.render(w, r, status, admin.Round(v))
	}
	if f.Invalid() {
		return rerender(http.StatusUnprocessableEntity, "")
	}
	err = s.store.SetEligibility(r.Context(), prog.Slug, slug, f.V("team"), f.V("status"),
		contest.Text{KO: f.V("reason_ko"), EN: f.V("reason_en")}, ar.actor())
	if err != nil {
		if ref, ok := ar.refusal(err, f, ""); ok {
			return rerender(ref.status, ref.notice)
		}
		return err
	}
	ar.flash(ar.T("admin.done.eligibility"))
	return ar.redirect(w, "/admin/rounds/"+slug)
}

// handleRoundDecide records which teams of a tie at the cut go through.
func (s *server) handleRoundDecide(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	f := formOf(r, "reason_ko", "reason_en") // parses the form
	advance := r.PostForm["advance"]
	f.Values["advance"] = strings.Join(advance, ",")
	ar.checkReasons(f, "reason_ko", "reason_en", true)
	edit := func(v *adminview.RoundAdminPage) {
		v.DecideForm = f
		chosen := map[string]bool{}
		for _, t := range advance {
			chosen[t] = true
		}
		for i := range v.Tied {
			v.Tied[i].Selected = chosen[v.Tied[i].Value]
		}
	}
	if f.Invalid() {
		v, err := s.roundPage(ar, slug)
		if err != nil {
			return err
		}
		edit(&v)
		return s.render(w, r, http.StatusUnprocessableEntity, admin.Round(v))
	}
	err = s.store.DecideRound(r.Context(), prog.Slug, slug, advance, contest.Text{KO: f.V("reason_ko"), EN: f.V("reason_en")}, ar.actor())
	if err != nil {
		return s.refuseRound(w, ar, slug, err, edit)
	}
	ar.flash(ar.T("admin.done.decide"))
	return ar.redirect(w, "/admin/rounds/"+slug)
}

// handleRoundCorrect corrects a published round (a score, or a team's
// eligibility) with a mandatory reason in both languages; the store
// publishes the result as a new revision and keeps the old one.
func (s *server) handleRoundCorrect(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	kind := r.PostFormValue("kind")
	var f adminview.Form
	var c postgres.Correction
	switch kind {
	case "score":
		f = formOf(r, "team", "criterion", "evaluator", "value", "why_ko", "why_en")
		c = postgres.Correction{Team: f.V("team"), Criterion: f.V("criterion"), Value: f.V("value")}
		if ev := f.V("evaluator"); ev != "" {
			n, err := strconv.Atoi(ev)
			if err != nil || n < 1 {
				f.Errors["evaluator"] = ar.T("admin.invalid.evaluator")
			}
			c.Evaluator = n
		}
		if _, err := rules.ParseValue(c.Value); err != nil {
			f.Errors["value"] = ar.T("admin.invalid.number")
		}
	case "eligibility":
		f = formOf(r, "team", "status", "reason_ko", "reason_en", "why_ko", "why_en")
		c = postgres.Correction{Team: f.V("team"), Status: f.V("status"), Reason: contest.Text{KO: f.V("reason_ko"), EN: f.V("reason_en")}}
		if !slices.Contains(contest.EntryStatuses, c.Status) {
			f.Errors["status"] = ar.T("admin.invalid.choice")
		}
		ar.checkReasons(f, "reason_ko", "reason_en", reasonRequired(c.Status))
	default:
		return &statusError{status: http.StatusBadRequest, err: fmt.Errorf("web: unknown correction kind %q", kind)}
	}
	ar.checkReasons(f, "why_ko", "why_en", true)
	edit := func(v *adminview.RoundAdminPage) {
		if kind == "score" {
			v.CorrectScore = f
		} else {
			v.CorrectElig = f
		}
	}
	if f.Invalid() {
		v, err := s.roundPage(ar, slug)
		if err != nil {
			return err
		}
		edit(&v)
		return s.render(w, r, http.StatusUnprocessableEntity, admin.Round(v))
	}
	rev, err := s.store.CorrectRound(r.Context(), prog.Slug, slug, c, contest.Text{KO: f.V("why_ko"), EN: f.V("why_en")}, ar.actor(), s.now())
	if err != nil {
		return s.refuseRound(w, ar, slug, err, edit)
	}
	ar.flash(ar.T("admin.done.correct", "n", rev))
	return ar.redirect(w, "/admin/rounds/"+slug)
}
