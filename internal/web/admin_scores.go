package web

import (
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// mainGridPanelMax is the largest panel whose evaluators get columns on a
// round's main grid; a larger panel (the 49-member user panel) gets a page
// of its own, /admin/rounds/{slug}/scores?criterion=code.
const mainGridPanelMax = 10

// gridPageEvaluators is how many evaluators of a large panel one page of
// its grid shows; ?from= pages through the rest.
const gridPageEvaluators = 20

// maxCSVBytes bounds an uploaded score file: a whole round of a real
// program is a few hundred lines.
const maxCSVBytes = 2 << 20

// grid is one page of a round's score grid: the round, the leaves shown
// and the stored scores.
type grid struct {
	program   string
	slug      string
	criterion string // the panel leaf of this page; "" for the main grid
	from      int    // the first evaluator shown on a panel page, from 1
	round     postgres.AdminRound
	leaves    []gridLeaf
	tabs      []postgres.AdminCriterion
	stored    map[string]postgres.ScoreCell
	// required says which teams must be scored (ranked ones).
	required map[string]bool
}

type gridLeaf struct {
	postgres.AdminCriterion
	max *big.Rat
}

// evaluators returns the leaf's evaluator numbers; {0} for a direct leaf.
func (l gridLeaf) evaluators() []int {
	if l.PanelSize == 0 {
		return []int{0}
	}
	evs := make([]int, l.PanelSize)
	for i := range evs {
		evs[i] = i + 1
	}
	return evs
}

func cellKey(team, criterion string, evaluator int) string {
	return team + "." + criterion + "." + strconv.Itoa(evaluator)
}

// shown is the evaluators of l on this page: all of them, or a page of
// gridPageEvaluators from g.from on a large panel's own page.
func (g *grid) shown(l gridLeaf) []int {
	evs := l.evaluators()
	if g.criterion == "" || len(evs) <= gridPageEvaluators {
		return evs
	}
	from := min(max(g.from, 1), len(evs))
	return evs[from-1 : min(from-1+gridPageEvaluators, len(evs))]
}

// pageURL is the grid page's URL with its page of evaluators.
func (g *grid) pageURL(ar *adminReq, from int) string {
	u := ar.gridURL(g.slug, g.criterion)
	if g.criterion != "" && from > 1 {
		u += "&from=" + strconv.Itoa(from)
	}
	return u
}

// readOnly reports whether the round's status no longer allows scoring.
func (g *grid) readOnly() bool { return !contest.Allows(g.round.Info.Status, contest.ActScore) }

// requestGrid is loadGrid for the request's round and ?criterion=.
func (s *server) requestGrid(ar *adminReq) (*grid, error) {
	return s.loadGrid(ar, ar.param("slug"), ar.r.URL.Query().Get("criterion"))
}

// loadGrid reads the round, its leaves for the page and its scores.
func (s *server) loadGrid(ar *adminReq, slug, criterion string) (*grid, error) {
	ctx := ar.r.Context()
	program, d, err := ar.adminRound(slug)
	if err != nil {
		return nil, err
	}
	g := &grid{program: program, slug: slug, criterion: criterion, round: d, stored: map[string]postgres.ScoreCell{}, required: map[string]bool{}}
	if n, err := strconv.Atoi(ar.r.URL.Query().Get("from")); err == nil && n > 1 && criterion != "" {
		g.from = n
	}
	if err := g.addLeaves(d.Criteria); err != nil {
		return nil, err
	}
	if criterion != "" && len(g.leaves) == 0 {
		return nil, contest.ErrNotFound
	}
	for _, e := range d.Entries {
		g.required[e.Team] = e.Status == contest.EntryEligible || (e.Status == contest.EntryDisqualified && !d.Info.Backfill)
	}
	cells, err := s.store.RoundScores(ctx, program, slug)
	if err != nil {
		return nil, err
	}
	for _, c := range cells {
		g.stored[cellKey(c.Team, c.Criterion, c.Evaluator)] = c
	}
	return g, nil
}

// addLeaves picks the leaves of the grid's page: on the main grid every
// leaf but the large panels, which get a tab and a page each.
func (g *grid) addLeaves(criteria []postgres.AdminCriterion) error {
	for _, c := range criteria {
		if !c.Leaf {
			continue
		}
		max, err := rules.ParseValue(c.Max)
		if err != nil {
			return fmt.Errorf("web: criterion %s: %w", c.Code, err)
		}
		leaf := gridLeaf{AdminCriterion: c, max: max}
		big := c.PanelSize > mainGridPanelMax
		if big {
			g.tabs = append(g.tabs, c)
		}
		switch {
		case g.criterion == "" && !big:
			g.leaves = append(g.leaves, leaf)
		case g.criterion != "" && c.Code == g.criterion && c.PanelSize > 0:
			g.leaves = append(g.leaves, leaf)
		}
	}
	return nil
}

// gridInput is what the user typed into a grid, cell by cell, with the
// value and version each cell was shown with.
type gridInput struct {
	values    map[string]string
	orig      map[string]string
	versions  map[string]int
	errors    map[string]string
	conflicts map[string]*adminview.CellConflict
}

// gridURL is the grid page's URL in the page's language.
func (ar *adminReq) gridURL(slug, criterion string) string {
	u := ar.L.URL("/admin/rounds/" + slug + "/scores")
	if criterion != "" {
		u += "?criterion=" + url.QueryEscape(criterion)
	}
	return u
}

// gridPage builds the grid's view: the stored values, or what the user
// typed when in is set.
func (ar *adminReq) gridPage(g *grid, in *gridInput) adminview.ScoresPage {
	d := g.round
	title := ar.T("admin.scores.title", "round", ar.textIn(d.Info.Name))
	v := adminview.ScoresPage{
		AdminPage:  ar.page("rounds", title),
		Slug:       g.slug,
		RoundName:  ar.textIn(d.Info.Name),
		RoundURL:   ar.L.URL("/admin/rounds/" + g.slug),
		StatusCode: d.Info.Status,
		Status:     ar.statusLabel(d.Info.Status),
		ReadOnly:   g.readOnly(),
		Criterion:  g.criterion,
		Action:     g.pageURL(ar, g.from),
		ImportURL:  ar.L.URL("/admin/rounds/" + g.slug + "/scores/import"),
	}
	v.TemplateURL = "/admin/rounds/" + g.slug + "/scores/template.csv"
	if g.criterion != "" {
		v.TemplateURL += "?criterion=" + url.QueryEscape(g.criterion)
	}
	v.Path = "/admin/rounds/" + g.slug + "/scores"
	if g.criterion != "" {
		v.Path += "?criterion=" + url.QueryEscape(g.criterion)
	}
	if d.Scored && !contest.Published(d.Info.Status) {
		v.Completion = ar.T("admin.completeness.line", "entered", ar.L.Number(d.Entered), "required", ar.L.Number(d.Required), "missing", ar.L.Number(len(d.Missing)))
	}
	v.Tabs = ar.gridTabs(g)
	ar.gridColumns(&v, g)
	v.Pager = ar.gridPager(g)
	for _, e := range d.Entries {
		v.Rows = append(v.Rows, ar.gridRow(&v, g, e, in))
	}
	return v
}

// gridTabs links the main grid and the pages of the large panels; none
// when the round has no large panel.
func (ar *adminReq) gridTabs(g *grid) []adminview.AdminNavItem {
	if len(g.tabs) == 0 {
		return nil
	}
	tabs := []adminview.AdminNavItem{{Key: "main", Label: ar.T("admin.scores.main"), URL: ar.gridURL(g.slug, ""), Current: g.criterion == ""}}
	for _, c := range g.tabs {
		tabs = append(tabs, adminview.AdminNavItem{Key: c.Code, Label: ar.textIn(c.Name), URL: ar.gridURL(g.slug, c.Code), Current: g.criterion == c.Code})
	}
	return tabs
}

// gridColumns heads the grid: a group per leaf, with its completeness
// while the round is open, and a column per evaluator.
func (ar *adminReq) gridColumns(v *adminview.ScoresPage, g *grid) {
	missing := map[string]int{}
	for _, m := range g.round.Missing {
		missing[m.Criterion]++
	}
	requiredTeams := 0
	for _, req := range g.required {
		if req {
			requiredTeams++
		}
	}
	for _, l := range g.leaves {
		evs := g.shown(l)
		required := requiredTeams * len(l.evaluators())
		group := adminview.GridGroup{Label: ar.textIn(l.Name), Span: len(evs), Max: l.Max}
		if l.PanelSize > 0 {
			group.Label = ar.T("admin.scores.panel", "criterion", group.Label, "n", l.PanelSize)
		}
		if v.Completion != "" {
			group.Count = ar.T("admin.completeness.count", "entered", ar.L.Number(required-missing[l.Code]), "required", ar.L.Number(required))
		}
		v.Groups = append(v.Groups, group)
		for _, ev := range evs {
			col := adminview.GridColumn{Key: l.Code + "." + strconv.Itoa(ev), Max: l.Max, Label: "0–" + l.Max}
			if ev > 0 {
				col.Label = ar.T("admin.scores.evaluator_col", "n", ev)
			}
			v.Columns = append(v.Columns, col)
		}
		if l.PanelSize > 0 {
			v.SumHeads = append(v.SumHeads, ar.T("admin.scores.mean", "criterion", ar.textIn(l.Name)))
		}
	}
	if g.criterion == "" {
		v.SumHeads = append(v.SumHeads, ar.T("admin.scores.total"))
	}
}

// gridPager links the pages of a large panel's evaluators.
func (ar *adminReq) gridPager(g *grid) *adminview.GridPager {
	if g.criterion == "" || len(g.leaves) != 1 || g.leaves[0].PanelSize <= gridPageEvaluators {
		return nil
	}
	evs, size := g.shown(g.leaves[0]), g.leaves[0].PanelSize
	first, last := evs[0], evs[len(evs)-1]
	p := &adminview.GridPager{Label: ar.T("admin.scores.page", "from", first, "to", last, "n", size)}
	if first > 1 {
		p.Prev = g.pageURL(ar, max(first-gridPageEvaluators, 1))
	}
	if last < size {
		p.Next = g.pageURL(ar, last+1)
	}
	return p
}

// rowSums is a team's panel means over all evaluators (not only those on
// the page) and, on the main grid, its total: the direct scores plus the
// panel means, of the scores stored so far; "" where none is.
func (g *grid) rowSums(team string) []string {
	var sums []string
	total, some := new(big.Rat), false
	for _, l := range g.leaves {
		sum, n := new(big.Rat), 0
		for _, ev := range l.evaluators() {
			if st, ok := g.stored[cellKey(team, l.Code, ev)]; ok {
				if v, err := rules.ParseValue(st.Value); err == nil {
					sum.Add(sum, v)
					n++
				}
			}
		}
		if n > 0 {
			sum.Quo(sum, new(big.Rat).SetInt64(int64(n)))
			total.Add(total, sum)
			some = true
		}
		if l.PanelSize > 0 {
			sums = append(sums, "")
			if n > 0 {
				sums[len(sums)-1] = rules.FormatCents(sum)
			}
		}
	}
	if g.criterion == "" {
		sums = append(sums, "")
		if some {
			sums[len(sums)-1] = rules.FormatCents(total)
		}
	}
	return sums
}

// gridRow is a team's row: the stored values, or what the user typed when
// in is set, counting the page's refused and conflicting cells.
func (ar *adminReq) gridRow(v *adminview.ScoresPage, g *grid, e postgres.AdminEntry, in *gridInput) adminview.GridRow {
	row := adminview.GridRow{Team: e.Team, Name: ar.textIn(e.Name), Sums: g.rowSums(e.Team)}
	if !g.required[e.Team] {
		row.Note = ar.T("admin.scores.not_required", "status", ar.T("entry."+e.Status))
	}
	for _, l := range g.leaves {
		for _, ev := range g.shown(l) {
			key := cellKey(e.Team, l.Code, ev)
			cell := adminview.GridCell{Key: key, Label: ar.cellLabel(row.Name, ar.textIn(l.Name), ev)}
			if st, ok := g.stored[key]; ok {
				cell.Value, cell.Orig, cell.Version = st.Value, st.Value, st.Version
				cell.Saved = ar.T("admin.scores.saved_by", "who", st.EnteredBy, "when", ar.L.DateTime(&st.EnteredAt))
			} else {
				cell.Missing = g.required[e.Team]
			}
			if in != nil {
				in.fill(&cell)
			}
			if cell.Conflict != nil {
				v.Conflicts++
			}
			if cell.Error != "" {
				v.Errors++
			}
			row.Cells = append(row.Cells, cell)
		}
	}
	return row
}

// fill shows what the user typed in a cell, with its message or conflict.
func (in *gridInput) fill(cell *adminview.GridCell) {
	if val, ok := in.values[cell.Key]; ok {
		cell.Value, cell.Orig, cell.Version = val, in.orig[cell.Key], in.versions[cell.Key]
	}
	cell.Error = in.errors[cell.Key]
	cell.Conflict = in.conflicts[cell.Key]
}

func (ar *adminReq) cellLabel(team, criterion string, evaluator int) string {
	if evaluator == 0 {
		return team + " · " + criterion
	}
	return team + " · " + criterion + " · " + ar.T("admin.scores.evaluator", "n", evaluator)
}

// handleScores shows the grid.
func (s *server) handleScores(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	g, err := s.requestGrid(ar)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.Scores(ar.gridPage(g, nil)))
}

// checkCell validates one typed value against its leaf: a number with at
// most two decimals and a dot, from 0 to the leaf's maximum.
func (ar *adminReq) checkCell(typed string, l gridLeaf) string {
	v, err := rules.ParseValue(typed)
	if err == nil {
		if v.Cmp(l.max) > 0 {
			return ar.T("admin.invalid.cell.max", "max", l.Max)
		}
		return ""
	}
	switch {
	case strings.HasPrefix(typed, "-"):
		return ar.T("admin.invalid.cell.negative")
	case strings.Contains(typed, ","):
		return ar.T("admin.invalid.cell.comma")
	}
	if intPart, frac, ok := strings.Cut(typed, "."); ok && len(frac) > 2 {
		if _, err := rules.ParseValue(intPart + "." + frac[:2]); err == nil {
			return ar.T("admin.invalid.cell.decimals")
		}
	}
	return ar.T("admin.invalid.cell.number", "max", l.Max)
}

// samePoints reports whether two typed values are the same number ("10"
// and "10.00"), so retyping a value in another form is not a change.
func samePoints(a, b string) bool {
	x, err := rules.ParseValue(a)
	if err != nil {
		return false
	}
	y, err := rules.ParseValue(b)
	return err == nil && x.Cmp(y) == 0
}

// readGrid reads the typed cells of a posted grid, each with the value and
// version it was shown with, and returns the changed ones as edits; a
// refused cell has its message in the input.
func (ar *adminReq) readGrid(g *grid, form url.Values) (*gridInput, []postgres.ScoreEdit) {
	in := &gridInput{values: map[string]string{}, orig: map[string]string{}, versions: map[string]int{},
		errors: map[string]string{}, conflicts: map[string]*adminview.CellConflict{}}
	var edits []postgres.ScoreEdit
	for _, e := range g.round.Entries {
		for _, l := range g.leaves {
			for _, ev := range l.evaluators() {
				key := cellKey(e.Team, l.Code, ev)
				vals, ok := form["v."+key]
				if !ok {
					continue
				}
				typed, orig := strings.TrimSpace(vals[0]), strings.TrimSpace(form.Get("o."+key))
				version, _ := strconv.Atoi(form.Get("n." + key))
				in.values[key], in.orig[key], in.versions[key] = typed, orig, version
				if msg, changed := ar.checkEdit(typed, orig, l); msg != "" {
					in.errors[key] = msg
				} else if changed {
					edits = append(edits, postgres.ScoreEdit{Team: e.Team, Criterion: l.Code, Evaluator: ev, Value: typed, Version: version})
				}
			}
		}
	}
	return in, edits
}

// checkEdit compares a typed cell with the value it was shown with: a
// message when it is refused, else whether it changed.
func (ar *adminReq) checkEdit(typed, orig string, l gridLeaf) (msg string, changed bool) {
	switch {
	case typed == orig || samePoints(typed, orig):
		return "", false
	case typed == "":
		return ar.T("admin.invalid.cell.clear"), false
	}
	return ar.checkCell(typed, l), true
}

// showConflicts marks the cells a colleague saved since the page was made,
// showing both values; saving again overwrites theirs knowingly.
func (ar *adminReq) showConflicts(in *gridInput, stale postgres.StaleScoresError) {
	for _, c := range stale {
		key := cellKey(c.Current.Team, c.Current.Criterion, c.Current.Evaluator)
		in.conflicts[key] = &adminview.CellConflict{
			Yours: c.Yours, Stored: c.Current.Value, By: c.Current.EnteredBy, At: ar.L.DateTime(&c.Current.EnteredAt),
		}
		in.orig[key], in.versions[key] = c.Current.Value, c.Current.Version
	}
}

// handleScoresSave saves the cells that were changed. Any refused cell
// saves nothing and the grid comes back (422) with everything typed and a
// message at each refused cell. A cell a colleague saved since the page was
// made is not overwritten: the grid comes back (409) showing both values;
// saving again then keeps the typed value deliberately.
func (s *server) handleScoresSave(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	g, err := s.requestGrid(ar)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &statusError{status: http.StatusBadRequest, err: err}
	}
	in, edits := ar.readGrid(g, r.PostForm)
	rerender := func(status int, notice string) error {
		v := ar.gridPage(g, in)
		v.Refuse(notice)
		return s.render(w, r, status, admin.Scores(v))
	}
	if g.readOnly() {
		return rerender(http.StatusConflict, ar.T("admin.scores.read_only"))
	}
	if len(in.errors) > 0 {
		return rerender(http.StatusUnprocessableEntity, "")
	}
	if len(edits) == 0 {
		ar.flash(ar.T("admin.scores.nothing"))
		http.Redirect(w, r, g.pageURL(ar, g.from), http.StatusSeeOther)
		return nil
	}
	n, err := s.store.SaveScores(r.Context(), g.program, g.slug, edits, ar.actor())
	var stale postgres.StaleScoresError
	switch {
	case errors.As(err, &stale):
		ar.showConflicts(in, stale)
		return rerender(http.StatusConflict, ar.T("admin.scores.conflict_notice"))
	case err != nil:
		if ref, ok := ar.refusal(err, adminview.NewForm(nil), ""); ok {
			return rerender(ref.status, ref.notice)
		}
		return err
	}
	ar.flash(ar.T("admin.scores.saved", "n", n))
	http.Redirect(w, r, g.pageURL(ar, g.from), http.StatusSeeOther)
	return nil
}
