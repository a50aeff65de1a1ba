package web

// Score CSV upload in the console: preview (a dry run), confirmation
// bound to the preview's base, and all problems of a file at once.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/scorecsv"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// handleScoresImport previews a score CSV (a dry run that writes nothing)
// or, when confirmed, imports it: all rows or none. The preview carries the
// base of the scores it was computed from; a confirmation whose base is no
// longer current (someone saved or imported a score since) imports nothing
// and comes back (409) with the preview against the scores as they are now,
// to be confirmed again. The store checks the base inside the import's
// transaction, with the round locked, so no save can slip in between.
func (s *server) handleScoresImport(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	g, err := s.loadGrid(ar, ar.param("slug"), "")
	if err != nil {
		return err
	}
	up, err := readUpload(r)
	if err != nil {
		return err
	}
	preview := &adminview.ImportPreview{}
	render := func(status int, notice string) error {
		v := ar.gridPage(g, nil)
		v.Import = preview
		v.Refuse(notice)
		return s.render(w, r, status, admin.Scores(v))
	}
	if g.readOnly() {
		return render(http.StatusConflict, ar.T("admin.scores.read_only"))
	}
	if preview.Errors = ar.uploadErrors(up.data); len(preview.Errors) > 0 {
		return render(http.StatusUnprocessableEntity, "")
	}
	diff, moved, err := s.importScores(ar, g, up)
	var lineErrs scorecsv.Errors
	switch {
	case errors.As(err, &lineErrs):
		preview.Errors = ar.lineErrors(g, lineErrs)
		return render(http.StatusUnprocessableEntity, "")
	case err != nil:
		if ref, ok := ar.refusal(err, adminview.NewForm(nil), ""); ok {
			return render(ref.status, ref.notice)
		}
		return err
	case up.confirm && !moved:
		ar.flash(ar.T("admin.import.done", "new", len(diff.New), "changed", len(diff.Changed), "unchanged", diff.Unchanged))
		http.Redirect(w, r, ar.gridURL(g.slug, ""), http.StatusSeeOther)
		return nil
	}
	ar.fillPreview(g, preview, up.data, diff)
	if moved {
		return render(http.StatusConflict, ar.T("admin.notice.stale"))
	}
	return render(http.StatusOK, "")
}

// upload is a posted score CSV: a file to preview, or the text of a
// preview confirmed with the base of the scores it was computed from.
type upload struct {
	data    []byte
	confirm bool
	expect  string
}

func readUpload(r *http.Request) (upload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		up := upload{data: []byte(r.PostFormValue("csv")), confirm: r.PostFormValue("confirm") == "1"}
		if up.confirm {
			// Required: a confirmation without the preview's base is stale too.
			up.expect = r.PostFormValue("base")
			if up.expect == "" {
				up.expect = "none"
			}
		}
		return up, nil
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return upload{}, &statusError{status: http.StatusBadRequest, err: err}
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxCSVBytes+1))
	if err != nil {
		return upload{}, &statusError{status: http.StatusBadRequest, err: err}
	}
	return upload{data: data}, nil
}

// uploadErrors refuses a file too large or not in UTF-8.
func (ar *adminReq) uploadErrors(data []byte) []string {
	switch {
	case len(data) > maxCSVBytes:
		return []string{ar.T("admin.import.too_big")}
	case !utf8.Valid(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))):
		return []string{ar.T("admin.import.not_utf8")}
	}
	return nil
}

// importScores previews or imports the upload. A confirmation that met a
// score saved since its preview (moved) previews again, against the scores
// as they are now. A file with malformed lines imports nothing, but its
// well-formed lines are still checked against the round, so that every
// problem of the file is reported at once.
func (s *server) importScores(ar *adminReq, g *grid, up upload) (diff postgres.ScoreDiff, moved bool, err error) {
	ctx := ar.r.Context()
	rows, errs := scorecsv.ParseAll(up.data)
	if len(errs) > 0 {
		if len(rows) > 0 {
			_, err := s.store.ImportScores(ctx, g.program, g.slug, rows, ar.actor(), true, "")
			var more scorecsv.Errors
			if errors.As(err, &more) {
				errs = append(errs, more...)
			} else if err != nil {
				return diff, false, err
			}
		}
		errs.Sort()
		return diff, false, errs
	}
	diff, err = s.store.ImportScores(ctx, g.program, g.slug, rows, ar.actor(), !up.confirm, up.expect)
	if up.confirm && errors.Is(err, contest.ErrStale) {
		diff, err = s.store.ImportScores(ctx, g.program, g.slug, rows, ar.actor(), true, "")
		return diff, true, err
	}
	return diff, false, err
}

// lineErrors says what is wrong with a file, line by line, in the page's
// language, naming the round's teams and criteria by their names.
func (ar *adminReq) lineErrors(g *grid, errs scorecsv.Errors) []string {
	names := g.names(ar)
	shown := errs
	if len(shown) > maxShownErrors {
		shown = shown[:maxShownErrors]
	}
	out := make([]string, 0, len(shown)+1)
	for _, e := range shown {
		args := slices.Clone(e.Args)
		for i := 0; i+1 < len(args); i += 2 {
			if code, ok := args[i+1].(string); ok && (args[i] == "team" || args[i] == "criterion") {
				if name, ok := names[args[i].(string)+":"+code]; ok {
					args[i+1] = name
				}
			}
		}
		msg := ar.T("csv."+e.Code, args...)
		if e.Line > 0 {
			msg = ar.T("admin.import.line_error", "n", e.Line, "msg", msg)
		}
		out = append(out, msg)
	}
	if more := len(errs) - len(shown); more > 0 {
		out = append(out, ar.T("admin.import.more_errors", "n", more))
	}
	return out
}

// maxShownErrors is how many problems of one file the console lists; the
// rest are counted, so a large file of bad rows cannot make a huge page.
const maxShownErrors = 100

// names maps "team:slug" and "criterion:code" to the names of the round's
// teams and criteria in the page's language.
func (g *grid) names(ar *adminReq) map[string]string {
	names := map[string]string{}
	for _, e := range g.round.Entries {
		names["team:"+e.Team] = ar.textIn(e.Name)
	}
	for _, c := range g.round.Criteria {
		names["criterion:"+c.Code] = ar.textIn(c.Name)
	}
	return names
}

// fillPreview shows what an import would change, to be confirmed: the
// counts per team, and each new or changed score by the names of its team
// and criterion.
func (ar *adminReq) fillPreview(g *grid, p *adminview.ImportPreview, data []byte, diff postgres.ScoreDiff) {
	p.CSV, p.Base = string(data), diff.Base
	p.Summary = ar.T("admin.import.summary", "new", len(diff.New), "changed", len(diff.Changed), "unchanged", diff.Unchanged)
	names := g.names(ar)
	name := func(kind, code string) string {
		if n, ok := names[kind+":"+code]; ok {
			return n
		}
		return code
	}
	counts := map[string]*adminview.ImportTeam{}
	rows, _ := scorecsv.ParseAll(data)
	for _, r := range rows {
		if counts[r.Team] == nil {
			counts[r.Team] = &adminview.ImportTeam{Name: name("team", r.Team)}
		}
		counts[r.Team].Unchanged++
	}
	conv := func(cs []postgres.ScoreChange, bump func(*adminview.ImportTeam)) []adminview.ImportChange {
		out := make([]adminview.ImportChange, len(cs))
		for i, c := range cs {
			out[i] = adminview.ImportChange{Line: strconv.Itoa(c.Line), Team: name("team", c.Team), Criterion: name("criterion", c.Criterion), Old: c.Old, New: c.New}
			if c.Evaluator > 0 {
				out[i].Evaluator = strconv.Itoa(c.Evaluator)
			}
			if t := counts[c.Team]; t != nil {
				bump(t)
				t.Unchanged--
			}
		}
		return out
	}
	p.New = conv(diff.New, func(t *adminview.ImportTeam) { t.New++ })
	p.Changed = conv(diff.Changed, func(t *adminview.ImportTeam) { t.Changed++ })
	for _, e := range g.round.Entries {
		if t := counts[e.Team]; t != nil {
			p.Teams = append(p.Teams, *t)
		}
	}
}

// handleScoresTemplate is a score CSV to fill in for one grid page: the
// main grid's leaves, or with ?criterion= one large panel. It has the
// import's header and one row per team, leaf and evaluator with the value
// left empty, so a 185-member panel is typed in a spreadsheet and
// uploaded rather than into 185 columns.
func (s *server) handleScoresTemplate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	g, err := s.requestGrid(ar)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write([]string{"team", "criterion", "evaluator", "value"})
	for _, e := range g.round.Entries {
		for _, l := range g.leaves {
			for _, ev := range l.evaluators() {
				evaluator := ""
				if ev > 0 {
					evaluator = strconv.Itoa(ev)
				}
				_ = cw.Write([]string{e.Team, l.Code, evaluator, ""})
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	name := g.program + "-" + g.slug + "-scores"
	if g.criterion != "" {
		name += "-" + g.criterion
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	_, err = w.Write(buf.Bytes())
	return err
}
