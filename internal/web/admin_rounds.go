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

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// maxMissingShown bounds the completeness list of a round page (lines of
// a team and criterion); the count
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
	if v.Failed, err = s.failedSchedules(ar, prog.Slug); err != nil {
		return err
	}
	names := map[string]string{}
	for _, rd := range rounds {
		names[rd.Slug] = ar.textIn(rd.Name)
	}
	if v.Pending, err = s.pendingRows(ar, prog.Slug, "", names); err != nil {
		return err
	}
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
	program, d, err := ar.adminRound(slug)
	if err != nil {
		return adminview.RoundAdminPage{}, err
	}
	v := ar.roundHeader(d, slug)
	n := ar.consoleNames(d)
	for _, c := range d.Criteria {
		if c.Leaf {
			v.Leaves = append(v.Leaves, adminview.Option{Value: c.Code, Label: n.crit[c.Code]})
		}
	}
	ar.roundCompleteness(&v, d, n)
	ar.roundPermissions(&v, d)
	for _, e := range d.Entries {
		v.Entries = append(v.Entries, adminview.EntryRow{
			Team: e.Team, Name: ar.textIn(e.Name), Code: e.Status, Status: ar.T("entry." + e.Status),
			ReasonKO: e.Reason.KO, ReasonEN: e.Reason.EN, Options: ar.statusOptions(e.Status),
		})
		v.Teams = append(v.Teams, adminview.Option{Value: e.Team, Label: ar.textIn(e.Name)})
	}
	v.StatusOptions = ar.statusOptions("")
	if err := s.roundPreview(ar, &v, program, d, n); err != nil {
		return v, err
	}
	if err := s.roundControls(ar, &v, program, d); err != nil {
		return v, err
	}
	if dec := d.Decision; dec != nil {
		teams := make([]string, len(dec.Advance))
		for i, t := range dec.Advance {
			teams[i] = n.teams[t]
		}
		v.Decision = ar.T("admin.decision.recorded", "teams", strings.Join(teams, ", "), "reason", ar.textIn(dec.Reason), "who", dec.DecidedBy)
	}
	v.Revisions = ar.revisionRows(d, n)
	return v, nil
}

// roundHeader is the top of a round's workflow page: its name, kind,
// status, rule and dates.
func (ar *adminReq) roundHeader(d postgres.AdminRound, slug string) adminview.RoundAdminPage {
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
		Rule:       ar.T("rule.places."+info.Kind, "n", info.Advance),
		Schedule:   adminview.NewForm(map[string]string{"at": scheduleDefault(d, ar.s.now())}),
	}
	v.Path = "/admin/rounds/" + slug
	if d.PublishAt != nil {
		v.ScheduledBy = d.ScheduledBy
	}
	if info.MinTotal != nil {
		v.Rule += " · " + ar.T("rule.min_total", "points", ar.L.Points(*info.MinTotal))
	}
	if contest.Published(info.Status) {
		v.PublicRoundURL = ar.L.URL("/rounds/" + slug)
	}
	return v
}

// consoleNames names a round's teams and criteria in the page's language,
// with its top-level categories in order.
type consoleNames struct {
	teams, crit map[string]string
	categories  []postgres.AdminCriterion
}

func (ar *adminReq) consoleNames(d postgres.AdminRound) consoleNames {
	n := consoleNames{teams: map[string]string{}, crit: map[string]string{}}
	for _, e := range d.Entries {
		n.teams[e.Team] = ar.textIn(e.Name)
	}
	for _, c := range d.Criteria {
		n.crit[c.Code] = ar.textIn(c.Name)
		if c.Depth == 0 {
			n.categories = append(n.categories, c)
		}
	}
	return n
}

// roundCompleteness lists what is missing. A published round is complete
// by definition (historic ones record only what was announced), so only
// open rounds list it.
func (ar *adminReq) roundCompleteness(v *adminview.RoundAdminPage, d postgres.AdminRound, n consoleNames) {
	v.ShowCompleteness = d.Scored && !contest.Published(d.Info.Status)
	if !v.ShowCompleteness {
		return
	}
	v.Completeness = ar.T("admin.completeness.count", "entered", ar.L.Number(d.Entered), "required", ar.L.Number(d.Required))
	groups := ar.missingGroups(d.Missing, n)
	lines := 0
	for i, g := range groups {
		if lines+len(g.Items) > maxMissingShown {
			rest := 0
			for _, h := range groups[i:] {
				rest += len(h.Items)
			}
			v.MoreMissing = ar.T("admin.completeness.more", "n", ar.L.Number(rest))
			break
		}
		lines += len(g.Items)
		v.Missing = append(v.Missing, g)
	}
}

// missingGroups groups the missing scores by team and, within a team, by
// criterion: a panel criterion is one line with the count and the ranges
// of the evaluators missing ("평가위원 3명: 1–2, 5"), not a line each.
func (ar *adminReq) missingGroups(missing []rules.Missing, n consoleNames) []adminview.MissingGroup {
	type key struct{ team, crit string }
	var teams []string
	crits := map[string][]string{}
	evals := map[key][]int{}
	for _, m := range missing {
		if _, ok := crits[m.Team]; !ok {
			teams = append(teams, m.Team)
			crits[m.Team] = nil
		}
		k := key{m.Team, m.Criterion}
		if _, ok := evals[k]; !ok {
			crits[m.Team] = append(crits[m.Team], m.Criterion)
			evals[k] = []int{}
		}
		if m.Evaluator > 0 {
			evals[k] = append(evals[k], m.Evaluator)
		}
	}
	name := func(names map[string]string, code string) string {
		if s, ok := names[code]; ok && s != "" {
			return s
		}
		return code
	}
	out := make([]adminview.MissingGroup, 0, len(teams))
	for _, t := range teams {
		g := adminview.MissingGroup{Team: name(n.teams, t)}
		for _, c := range crits[t] {
			item := name(n.crit, c)
			if evs := evals[key{t, c}]; len(evs) > 0 {
				item = ar.T("admin.missing.evaluators", "criterion", item, "n", ar.L.Number(len(evs)), "list", evaluatorRanges(evs))
			}
			g.Items = append(g.Items, item)
		}
		out = append(out, g)
	}
	return out
}

// evaluatorRanges writes evaluator numbers as ranges: 1, 2, 3, 5 → "1–3, 5".
func evaluatorRanges(evs []int) string {
	evs = slices.Clone(evs)
	slices.Sort(evs)
	var parts []string
	for i := 0; i < len(evs); {
		j := i
		for j+1 < len(evs) && evs[j+1] == evs[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(evs[i]))
		} else {
			parts = append(parts, strconv.Itoa(evs[i])+"–"+strconv.Itoa(evs[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// roundPermissions offers the workflow steps the round's status allows
// (contest's state machine), to admins only; those that need results need
// a round with criteria.
func (ar *adminReq) roundPermissions(v *adminview.RoundAdminPage, d postgres.AdminRound) {
	st := d.Info.Status
	allows := func(a contest.Action) bool { return ar.isAdmin() && contest.Allows(st, a) }
	v.CanClose = allows(contest.ActClose) && d.Scored
	v.CanReopen = allows(contest.ActReopen)
	v.CanPublish = allows(contest.ActPublish) && d.Scored
	v.CanSchedule = allows(contest.ActSchedule) && d.Scored
	v.CanEdit = allows(contest.ActScore)
}

// roundPreview computes the round's results for the page: the table with
// the cut line, and the decision or correction the results allow.
func (s *server) roundPreview(ar *adminReq, v *adminview.RoundAdminPage, program string, d postgres.AdminRound, n consoleNames) error {
	rr, err := s.store.Results(ar.r.Context(), program, v.Slug)
	switch {
	case err == nil && (d.Scored || rr.Announced):
	case err == nil,
		errors.Is(err, rules.ErrInvalidInput), errors.Is(err, contest.ErrInvalid), errors.Is(err, contest.ErrRoundState):
		// A round without criteria or entries yet has nothing to compute.
		v.PreviewError = ar.T("admin.preview.unavailable")
		return nil
	default:
		return err
	}
	st := d.Info.Status
	v.Preview = ar.resultsTable(rr, n.categories, n.teams)
	v.StaleDecision = rr.StaleDecision
	if rr.Result != nil && rr.Report.Complete && rr.Report.Blocked && ar.isAdmin() && contest.Allows(st, contest.ActDecide) {
		v.CanDecide = true
		v.Tied = tiedAtCut(rr, n)
	}
	v.CanCorrect = ar.isAdmin() && contest.Allows(st, contest.ActCorrect) && d.Scored && !rr.Announced && rr.Result != nil
	ar.notReady(v, rr, d, n)
	return nil
}

// tiedAtCut lists the teams of a tie at the cut, as decision choices.
func tiedAtCut(rr postgres.RoundResults, n consoleNames) []adminview.Option {
	var out []adminview.Option
	for _, t := range rr.Report.Teams {
		if t.ReasonCode == rules.ReasonTieAtCut {
			out = append(out, adminview.Option{Value: t.Team, Label: n.teams[t.Team]})
		}
	}
	return out
}

// revisionRows lists the published revisions of a round's results.
func (ar *adminReq) revisionRows(d postgres.AdminRound, n consoleNames) []adminview.RevisionRow {
	var out []adminview.RevisionRow
	for _, rev := range d.Revisions {
		row := adminview.RevisionRow{
			Revision:  strconv.Itoa(rev.Revision),
			When:      ar.L.DateTime(&rev.PublishedAt),
			Reason:    ar.textIn(rev.Reason),
			Change:    ar.changeText(n.teams, n.crit, rev.Change),
			AuditHead: rev.AuditHead,
		}
		if rev.Revision == 1 {
			row.Reason = ar.T("admin.revision.first")
		}
		out = append(out, row)
	}
	return out
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
	v, err := s.roundPage(ar, ar.param("slug"))
	return show(s, w, r, v, err, admin.Round)
}

// roundStep is the one flow of a workflow form on a round's page: a form
// refused here comes back (422) as typed; a step the store refuses comes
// back with why (its field messages on the form); a step done goes back to
// the round with a one-time message. place puts the typed form on the page.
type roundStep struct {
	form  adminview.Form
	place func(*adminview.RoundAdminPage)
	do    func(ar *adminReq, program string) (done string, err error)
}

// runStep runs a workflow step on the route's round.
func (s *server) runStep(w http.ResponseWriter, ar *adminReq, st roundStep) error {
	slug := ar.param("slug")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	status, notice := http.StatusUnprocessableEntity, ""
	if !st.form.Invalid() {
		done, err := st.do(ar, prog.Slug)
		if err == nil {
			ar.flash(done)
			return ar.redirect(w, "/admin/rounds/"+slug)
		}
		ref, ok := ar.refusal(err, st.form, "")
		if !ok {
			return err
		}
		status, notice = ref.status, ref.notice
	}
	v, err := s.roundPage(ar, slug)
	if err != nil {
		return err
	}
	if st.place != nil {
		st.place(&v)
	}
	v.Refuse(notice)
	return s.render(w, ar.r, status, admin.Round(v))
}

// roundAction runs a workflow step without a form and goes back to the
// round with a notice.
func (s *server) roundAction(w http.ResponseWriter, r *http.Request, do func(ar *adminReq, program, slug string) error, done string) error {
	ar := s.adminBegin(r)
	return s.runStep(w, ar, roundStep{form: adminview.NewForm(nil), do: func(ar *adminReq, program string) (string, error) {
		return ar.T(done), do(ar, program, ar.param("slug"))
	}})
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
	slug := ar.param("slug")
	f := formOf(r, "team", "status", "reason_ko", "reason_en")
	if !slices.Contains(contest.EntryStatuses, f.V("status")) {
		f.Errors["status"] = ar.T("admin.invalid.choice")
	}
	ar.checkReasons(f, "reason_ko", "reason_en", reasonRequired(f.V("status")))
	return s.runStep(w, ar, roundStep{form: f,
		place: func(v *adminview.RoundAdminPage) {
			v.EligTeam, v.Eligibility = f.V("team"), f
			for i := range v.Entries {
				if v.Entries[i].Team == f.V("team") {
					v.Entries[i].Options = ar.statusOptions(f.V("status"))
				}
			}
		},
		do: func(ar *adminReq, program string) (string, error) {
			return ar.T("admin.done.eligibility"), s.store.SetEligibility(r.Context(), program, slug, f.V("team"), f.V("status"),
				contest.Text{KO: f.V("reason_ko"), EN: f.V("reason_en")}, ar.actor())
		}})
}

// handleRoundDecide records which teams of a tie at the cut go through.
func (s *server) handleRoundDecide(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := ar.param("slug")
	f := formOf(r, "reason_ko", "reason_en") // parses the form
	advance := r.PostForm["advance"]
	f.Values["advance"] = strings.Join(advance, ",")
	ar.checkReasons(f, "reason_ko", "reason_en", true)
	return s.runStep(w, ar, roundStep{form: f,
		place: func(v *adminview.RoundAdminPage) {
			v.DecideForm = f
			for i := range v.Tied {
				v.Tied[i].Selected = slices.Contains(advance, v.Tied[i].Value)
			}
		},
		do: func(ar *adminReq, program string) (string, error) {
			return ar.T("admin.done.decide"), s.store.DecideRound(r.Context(), program, slug, advance,
				contest.Text{KO: f.V("reason_ko"), EN: f.V("reason_en")}, ar.actor())
		}})
}

// handleRoundCorrect corrects a published round (a score, or a team's
// eligibility) with a mandatory reason in both languages; the store
// publishes the result as a new revision and keeps the old one.
func (s *server) handleRoundCorrect(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := ar.param("slug")
	kind := r.PostFormValue("kind")
	var f adminview.Form
	var c postgres.Correction
	switch kind {
	case "score":
		f, c = ar.scoreCorrection(r)
	case "eligibility":
		f, c = ar.eligibilityCorrection(r)
	default:
		return &statusError{status: http.StatusBadRequest, err: fmt.Errorf("web: unknown correction kind %q", kind)}
	}
	ar.checkReasons(f, "why_ko", "why_en", true)
	if !f.Invalid() && r.PostFormValue("confirm") == "" {
		return s.correctionConfirm(w, ar, slug, f, c)
	}
	return s.runStep(w, ar, roundStep{form: f,
		place: func(v *adminview.RoundAdminPage) {
			if kind == "score" {
				v.CorrectScore = f
			} else {
				v.CorrectElig = f
			}
		},
		do: func(ar *adminReq, program string) (string, error) {
			return s.requestCorrection(ar, program, slug, f, c)
		}})
}

// scoreCorrection reads the form correcting a published score.
func (ar *adminReq) scoreCorrection(r *http.Request) (adminview.Form, postgres.Correction) {
	f := formOf(r, "team", "criterion", "evaluator", "value", "why_ko", "why_en")
	c := postgres.Correction{Team: f.V("team"), Criterion: f.V("criterion"), Value: f.V("value")}
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
	return f, c
}

// eligibilityCorrection reads the form correcting a published eligibility.
func (ar *adminReq) eligibilityCorrection(r *http.Request) (adminview.Form, postgres.Correction) {
	f := formOf(r, "team", "status", "reason_ko", "reason_en", "why_ko", "why_en")
	c := postgres.Correction{Team: f.V("team"), Status: f.V("status"), Reason: contest.Text{KO: f.V("reason_ko"), EN: f.V("reason_en")}}
	if !slices.Contains(contest.EntryStatuses, c.Status) {
		f.Errors["status"] = ar.T("admin.invalid.choice")
	}
	ar.checkReasons(f, "reason_ko", "reason_en", reasonRequired(c.Status))
	return f, c
}
