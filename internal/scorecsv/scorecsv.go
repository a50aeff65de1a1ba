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

// LineError is a problem on one line.
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
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

var columns = []string{"team", "criterion", "evaluator", "value"}

// Parse reads the CSV: UTF-8 (a leading BOM is tolerated), comma separated,
// a header naming the columns team, criterion, evaluator and value in any
// order. It checks the shape of each row but not whether teams and criteria
// exist; see Check.
func Parse(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, Errors{{Line: 1, Msg: "the file is not UTF-8 text; save it as CSV UTF-8"}}
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
			errs = append(errs, &LineError{Line: csvLine(err), Msg: csvMsg(err)})
			break // the reader cannot resynchronise after a quoting error
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != width {
			errs = append(errs, &LineError{Line: line, Msg: fmt.Sprintf("has %d fields, the header has %d", len(rec), width)})
			continue
		}
		row, rowErrs := parseRow(rec, idx, line)
		errs = append(errs, rowErrs...)
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rows, nil
}

// readHeader reads the header line and returns the index of each column and
// the number of fields a row must have.
func readHeader(cr *csv.Reader) (map[string]int, int, Errors) {
	header, err := cr.Read()
	if err == io.EOF {
		return nil, 0, Errors{{Line: 1, Msg: "the file is empty; want a header team,criterion,evaluator,value"}}
	}
	if err != nil {
		return nil, 0, Errors{{Line: 1, Msg: csvMsg(err)}}
	}
	idx := map[string]int{}
	var errs Errors
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[h]; dup {
			errs = append(errs, &LineError{Line: 1, Msg: fmt.Sprintf("column %q appears twice", h)})
		}
		idx[h] = i
	}
	for _, c := range columns {
		if _, ok := idx[c]; !ok {
			errs = append(errs, &LineError{Line: 1, Msg: fmt.Sprintf("missing column %q (want team,criterion,evaluator,value)", c)})
		}
	}
	for h := range idx {
		if !slices.Contains(columns, h) {
			errs = append(errs, &LineError{Line: 1, Msg: fmt.Sprintf("unknown column %q", h)})
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Msg < errs[j].Msg })
	return idx, len(header), errs
}

// parseRow reads one record of the right width.
func parseRow(rec []string, idx map[string]int, line int) (Row, Errors) {
	get := func(c string) string { return strings.TrimSpace(rec[idx[c]]) }
	row := Row{Line: line, Team: get("team"), Criterion: get("criterion"), Value: get("value")}
	var errs Errors
	bad := func(format string, a ...any) {
		errs = append(errs, &LineError{Line: line, Msg: fmt.Sprintf(format, a...)})
	}
	if row.Team == "" {
		bad("team is empty")
	}
	if row.Criterion == "" {
		bad("criterion is empty")
	}
	if ev := get("evaluator"); ev != "" {
		n, err := strconv.Atoi(ev)
		if err != nil || n < 1 {
			bad("evaluator %q must be a whole number from 1, or empty for a directly scored criterion", ev)
		}
		row.Evaluator = n
	}
	if row.Value == "" {
		bad("value is empty")
	} else if _, err := rules.ParseValue(row.Value); err != nil {
		bad("value %q must be a number with at most two decimals and a dot (e.g. 1.5)", row.Value)
	}
	return row, errs
}

// csvLine is the line of a CSV reader error, 0 when unknown.
func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 0
}

func csvMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
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
		bad := func(format string, a ...any) {
			errs = append(errs, &LineError{Line: r.Line, Msg: fmt.Sprintf(format, a...)})
		}
		if !rd.Teams[r.Team] {
			bad("unknown team %q: not entered in this round", r.Team)
		}
		if leaf, ok := rd.Leaves[r.Criterion]; ok {
			checkLeaf(r, leaf, bad)
		} else if rd.Criteria[r.Criterion] {
			bad("criterion %q is a category; scores go on its leaf criteria", r.Criterion)
		} else {
			bad("unknown criterion %q", r.Criterion)
		}
		k := Key{r.Team, r.Criterion, r.Evaluator}
		if first, dup := seen[k]; dup {
			bad("duplicate score for team %q, criterion %q, evaluator %s (first on line %d)", r.Team, r.Criterion, evalText(r.Evaluator), first)
		} else {
			seen[k] = r.Line
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
		bad("criterion %q is scored directly; leave evaluator empty", r.Criterion)
	case leaf.PanelSize > 0 && r.Evaluator == 0:
		bad("criterion %q is scored by a panel; evaluator (1–%d) is missing", r.Criterion, leaf.PanelSize)
	case leaf.PanelSize > 0 && r.Evaluator > leaf.PanelSize:
		bad("evaluator %d is outside the panel of %q (1–%d)", r.Evaluator, r.Criterion, leaf.PanelSize)
	}
	v, err := rules.ParseValue(r.Value)
	switch {
	case err != nil:
	case leaf.Scale != nil:
		if v.Cmp(leaf.Scale.From) < 0 || v.Cmp(leaf.Scale.To) > 0 {
			bad("value %s is outside the scale %s–%s of %q", r.Value, rules.FormatCents(leaf.Scale.From), rules.FormatCents(leaf.Scale.To), r.Criterion)
		}
	case v.Cmp(leaf.Max) > 0:
		bad("value %s exceeds the maximum %s of %q", r.Value, rules.FormatCents(leaf.Max), r.Criterion)
	}
}

func evalText(e int) string {
	if e == 0 {
		return "(none)"
	}
	return strconv.Itoa(e)
}
