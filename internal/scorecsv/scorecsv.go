// Package scorecsv reads score CSV files (FORMATS.md §2) and checks them
// against a round's definition. Every bad row is reported with its line
// number and reason, so a file is either wholly good or imports nothing.
package scorecsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// Row is one score line of the file.
type Row struct {
	Line      int // 1-based line number in the file (the header is line 1)
	Team      string
	Criterion string
	Evaluator int // 0 for a directly scored leaf
	Value     string
}

// LineError is a problem on one line: a message code (see English) and its
// arguments as name/value pairs, which a message catalog translates; Error
// gives the English.
type LineError struct {
	Line int
	Code string
	Args []any
}

// newLineError builds a problem of a line from its code and name/value
// argument pairs.
func newLineError(line int, code string, args ...any) *LineError {
	return &LineError{Line: line, Code: code, Args: args}
}

// Arg returns the value of the named argument, nil when absent.
func (e *LineError) Arg(name string) any {
	for i := 0; i+1 < len(e.Args); i += 2 {
		if e.Args[i] == name {
			return e.Args[i+1]
		}
	}
	return nil
}

// Msg is the problem in English, without the line number.
func (e *LineError) Msg() string { return contest.Wording(English, e.Code, e.Args) }

func (e *LineError) Error() string {
	if e.Line == 0 {
		return e.Msg()
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg())
}

// Errors are all problems found in a file, in line order.
type Errors []*LineError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Sort orders the problems by line, keeping the order of each line's.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
}

var columns = []string{"team", "criterion", "evaluator", "value"}

// English is the wording of every problem code, with {name} placeholders
// for the arguments. The portal's message catalogs carry the same codes
// (prefixed "csv.") in Korean and English.
var English = map[string]string{
	"not_utf8":           "the file is not UTF-8 text; save it as CSV UTF-8",
	"empty":              "the file is empty; want a header team,criterion,evaluator,value",
	"bare_quote":         "a quote (\") inside a field that does not start with one; put the whole field in quotes and double the inner quote",
	"quote":              "a field opened with a quote (\") is never closed",
	"syntax":             "cannot read the line as CSV: {detail}",
	"dup_column":         "column \"{column}\" appears twice",
	"missing_column":     "missing column \"{column}\" (want team,criterion,evaluator,value)",
	"unknown_column":     "unknown column \"{column}\"",
	"field_count":        "has {n} fields, the header has {want}",
	"team_empty":         "team is empty",
	"criterion_empty":    "criterion is empty",
	"value_empty":        "value is empty",
	"bad_evaluator":      "evaluator \"{evaluator}\" must be a whole number from 1, or empty for a directly scored criterion",
	"bad_value":          "value \"{value}\" must be a number with at most two decimals and a dot (e.g. 1.5)",
	"unknown_team":       "unknown team \"{team}\": not entered in this round",
	"category":           "criterion \"{criterion}\" is a category; scores go on its leaf criteria",
	"unknown_criterion":  "unknown criterion \"{criterion}\"",
	"duplicate":          "duplicate score for team \"{team}\", criterion \"{criterion}\", evaluator (none) (first on line {first})",
	"duplicate_panel":    "duplicate score for team \"{team}\", criterion \"{criterion}\", evaluator {evaluator} (first on line {first})",
	"direct_evaluator":   "criterion \"{criterion}\" is scored directly; leave evaluator empty",
	"panel_no_evaluator": "criterion \"{criterion}\" is scored by a panel; evaluator (1–{n}) is missing",
	"evaluator_outside":  "evaluator {evaluator} is outside the panel of \"{criterion}\" (1–{n})",
	"outside_scale":      "value {value} is outside the scale {from}–{to} of \"{criterion}\"",
	"exceeds_max":        "value {value} exceeds the maximum {max} of \"{criterion}\"",
}

// Parse reads the CSV: UTF-8 (a leading BOM is tolerated), comma separated,
// a header naming the columns team, criterion, evaluator and value in any
// order. It checks the shape of each row but not whether teams and criteria
// exist; see Check. It returns rows or errors, never both.
func Parse(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	rows, errs := ParseAll(data)
	if len(errs) > 0 {
		return nil, errs
	}
	return rows, nil
}

// ParseAll reads the CSV like Parse but returns the well-formed rows even
// when other lines have errors, so that Check can report their problems in
// the same pass.
func ParseAll(data []byte) ([]Row, Errors) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, Errors{newLineError(1, "not_utf8")}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	idx, width, errs := readHeader(cr)
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvError(err))
			break // the reader cannot resynchronise after a quoting error
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != width {
			errs = append(errs, newLineError(line, "field_count", "n", len(rec), "want", width))
			continue
		}
		row, rowErrs := parseRow(rec, idx, line)
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		rows = append(rows, row)
	}
	return rows, errs
}

// readHeader reads the header line and returns the index of each column and
// the number of fields a row must have.
func readHeader(cr *csv.Reader) (map[string]int, int, Errors) {
	header, err := cr.Read()
	if err == io.EOF {
		return nil, 0, Errors{newLineError(1, "empty")}
	}
	if err != nil {
		e := csvError(err)
		e.Line = 1
		return nil, 0, Errors{e}
	}
	idx := map[string]int{}
	var errs Errors
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[h]; dup {
			errs = append(errs, newLineError(1, "dup_column", "column", h))
		}
		idx[h] = i
	}
	for _, c := range columns {
		if _, ok := idx[c]; !ok {
			errs = append(errs, newLineError(1, "missing_column", "column", c))
		}
	}
	for h := range idx {
		if !slices.Contains(columns, h) {
			errs = append(errs, newLineError(1, "unknown_column", "column", h))
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Msg() < errs[j].Msg() })
	return idx, len(header), errs
}

// parseRow reads one record of the right width.
func parseRow(rec []string, idx map[string]int, line int) (Row, Errors) {
	get := func(c string) string { return strings.TrimSpace(rec[idx[c]]) }
	row := Row{Line: line, Team: get("team"), Criterion: get("criterion"), Value: get("value")}
	var errs Errors
	bad := func(code string, args ...any) {
		errs = append(errs, newLineError(line, code, args...))
	}
	if row.Team == "" {
		bad("team_empty")
	}
	if row.Criterion == "" {
		bad("criterion_empty")
	}
	if ev := get("evaluator"); ev != "" {
		n, err := strconv.Atoi(ev)
		if err != nil || n < 1 {
			bad("bad_evaluator", "evaluator", ev)
		}
		row.Evaluator = n
	}
	if row.Value == "" {
		bad("value_empty")
	} else if _, err := rules.ParseValue(row.Value); err != nil {
		bad("bad_value", "value", row.Value)
	}
	return row, errs
}

// csvError turns a CSV reader error into a problem of its line (0 when
// unknown).
func csvError(err error) *LineError {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return newLineError(0, "syntax", "detail", err.Error())
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return newLineError(pe.Line, "bare_quote")
	case errors.Is(pe.Err, csv.ErrQuote):
		return newLineError(pe.Line, "quote")
	}
	return newLineError(pe.Line, "syntax", "detail", pe.Err.Error())
}

// Leaf is what Check needs to know of a leaf criterion.
type Leaf struct {
	Max       *big.Rat
	PanelSize int // 0 for a directly scored leaf
	// Scale, when not nil, is the range of the leaf's raw values, which
	// then replaces 0..Max as the range of its scores.
	Scale *rules.Scale
}

// Round is what Check needs to know of a round.
type Round struct {
	Teams    map[string]bool // teams entered in the round
	Leaves   map[string]Leaf // leaf criteria by code
	Criteria map[string]bool // every criterion code (to tell "not a leaf" from "unknown")
}

// Key identifies one score.
type Key struct {
	Team, Criterion string
	Evaluator       int
}

// Check validates rows against the round: the team is entered, the criterion
// is a leaf, the evaluator matches the leaf's panel, the value is within
// 0..max (or the leaf's scale), and no key appears twice.
func Check(rows []Row, rd Round) error {
	var errs Errors
	seen := map[Key]int{}
	for _, r := range rows {
		bad := func(code string, args ...any) {
			errs = append(errs, newLineError(r.Line, code, args...))
		}
		if !rd.Teams[r.Team] {
			bad("unknown_team", "team", r.Team)
		}
		if leaf, ok := rd.Leaves[r.Criterion]; ok {
			checkLeaf(r, leaf, bad)
		} else if rd.Criteria[r.Criterion] {
			bad("category", "criterion", r.Criterion)
		} else {
			bad("unknown_criterion", "criterion", r.Criterion)
		}
		k := Key{r.Team, r.Criterion, r.Evaluator}
		if first, dup := seen[k]; !dup {
			seen[k] = r.Line
		} else if r.Evaluator == 0 {
			bad("duplicate", "team", r.Team, "criterion", r.Criterion, "first", first)
		} else {
			bad("duplicate_panel", "team", r.Team, "criterion", r.Criterion, "evaluator", r.Evaluator, "first", first)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// checkLeaf checks a row's evaluator and value against its leaf.
func checkLeaf(r Row, leaf Leaf, bad func(string, ...any)) {
	switch {
	case leaf.PanelSize == 0 && r.Evaluator != 0:
		bad("direct_evaluator", "criterion", r.Criterion)
	case leaf.PanelSize > 0 && r.Evaluator == 0:
		bad("panel_no_evaluator", "criterion", r.Criterion, "n", leaf.PanelSize)
	case leaf.PanelSize > 0 && r.Evaluator > leaf.PanelSize:
		bad("evaluator_outside", "evaluator", r.Evaluator, "criterion", r.Criterion, "n", leaf.PanelSize)
	}
	v, err := rules.ParseValue(r.Value)
	switch {
	case err != nil:
	case leaf.Scale != nil:
		if v.Cmp(leaf.Scale.From) < 0 || v.Cmp(leaf.Scale.To) > 0 {
			bad("outside_scale", "value", r.Value, "from", rules.FormatCents(leaf.Scale.From), "to", rules.FormatCents(leaf.Scale.To), "criterion", r.Criterion)
		}
	case v.Cmp(leaf.Max) > 0:
		bad("exceeds_max", "value", r.Value, "max", rules.FormatCents(leaf.Max), "criterion", r.Criterion)
	}
}
