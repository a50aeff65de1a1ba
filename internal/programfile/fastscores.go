package programfile

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"
)

// minScoreRun is the shortest list of scores worth reading ahead.
const minScoreRun = 64

// scoreRuns reads ahead the long lists of one-line scores that the program
// files of large rounds are made of:
//
//	scores:
//	  - {team: lg, criterion: c1-1, evaluator: 1, value: 2.84}
//	  - {team: lg, criterion: c1-2, value: 3}
//
// The YAML parser builds a dozen nodes for each such line; reading them
// directly makes a file of 100,000 scores parse several times faster. Only
// a list whose every line has exactly this form (plain names and decimals,
// no quotes, comments or blank lines) is read ahead; each becomes the
// values the parser would give (see scalar), and the text keeps its lines
// with `scores: []` in the key's line and blank lines for the items, so
// every other line number stays. It returns the text and the lists by the
// line of their key; the caller checks that each list was found there.
func scoreRuns(data []byte) ([]byte, map[int][]any) {
	if !bytes.Contains(data, []byte("- {team: ")) {
		return data, nil
	}
	lines := bytes.Split(data, []byte("\n"))
	runs := map[int][]any{}
	var out []byte
	copied := 0 // lines of data already in out
	for i := 0; i < len(lines); i++ {
		indent, ok := scoresKey(lines[i])
		if !ok {
			continue
		}
		items, end := scoreItems(lines, i+1, indent)
		if len(items) < minScoreRun {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(data))
		}
		for _, l := range lines[copied:i] {
			out = append(append(out, l...), '\n')
		}
		out = append(append(out, lines[i][:indent]...), "scores: []\n"...)
		out = append(out, bytes.Repeat([]byte("\n"), end-i-1)...)
		runs[i+1] = items
		copied, i = end, end-1
	}
	if len(runs) == 0 {
		return data, nil
	}
	out = append(out, bytes.Join(lines[copied:], []byte("\n"))...)
	return out, runs
}

// scoresKey reports whether line is `scores:` alone, and its indentation.
func scoresKey(line []byte) (int, bool) {
	line = bytes.TrimRight(line, " \r")
	rest := bytes.TrimLeft(line, " ")
	return len(line) - len(rest), string(rest) == "scores:"
}

// scoreItems reads the score lines from lines[from:] that list the scores
// of a key indented by indent. It returns nil unless the list ends the file
// or is followed by a line that ends it for certain (less or as much
// indented as the key, and not an item).
func scoreItems(lines [][]byte, from, indent int) (items []any, end int) {
	itemIndent := -1
	for end = from; end < len(lines); end++ {
		line := bytes.TrimRight(lines[end], " \r")
		rest := bytes.TrimLeft(line, " ")
		n := len(line) - len(rest)
		if end == from {
			itemIndent = n
		}
		if n != itemIndent || n < indent || !bytes.HasPrefix(rest, []byte("- {")) {
			break
		}
		item, ok := scoreLine(string(rest))
		if !ok {
			return nil, end
		}
		items = append(items, item)
	}
	// The list ends at the end of the file or at the next line (past blank
	// lines and comments) that is not more indented than the key and not
	// an item.
	for next := end; next < len(lines); next++ {
		line := bytes.TrimRight(lines[next], " \r")
		rest := bytes.TrimLeft(line, " ")
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		if len(line)-len(rest) > indent || rest[0] == '-' {
			return nil, end
		}
		break
	}
	return items, end
}

// scoreLine reads `- {team: T, criterion: C[, evaluator: E], value: V}`.
func scoreLine(s string) (any, bool) {
	rest, ok := strings.CutPrefix(s, "- {team: ")
	team, rest, ok2 := strings.Cut(rest, ", criterion: ")
	crit, rest, ok3 := strings.Cut(rest, ", ")
	if !ok || !ok2 || !ok3 || !plainName(team) || !plainName(crit) {
		return nil, false
	}
	item := mapping{{Key: "team", Value: team}, {Key: "criterion", Value: crit}}
	if r, ok := strings.CutPrefix(rest, "evaluator: "); ok {
		e, r, ok := strings.Cut(r, ", ")
		if !ok || !plainDecimal(e, false) {
			return nil, false
		}
		item = append(item, mapItem{Key: "evaluator", Value: scalar(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: e})})
		rest = r
	}
	v, ok := strings.CutPrefix(rest, "value: ")
	v, ok2 = strings.CutSuffix(v, "}")
	if !ok || !ok2 || !plainDecimal(v, true) {
		return nil, false
	}
	tag := "!!int"
	if strings.Contains(v, ".") {
		tag = "!!float"
	}
	return append(item, mapItem{Key: "value", Value: scalar(&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v})}), true
}

// plainName reports whether s is a name YAML reads as the same plain
// string: a letter, then letters, digits, '-', '_' and '.', and not a word
// YAML reads as a boolean or null.
func plainName(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && (c < '0' || c > '9') && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	for _, w := range []string{"true", "false", "null", "yes", "no", "on", "off", "y", "n"} {
		if strings.EqualFold(s, w) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// plainDecimal reports whether s is a decimal YAML and scalar read as a
// number: digits without a leading zero, with point only a fraction.
func plainDecimal(s string, point bool) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || (len(whole) > 1 && whole[0] == '0') || len(whole) > 9 || (hasPoint && (!point || frac == "")) {
		return false
	}
	return strings.Trim(whole, "0123456789") == "" && strings.Trim(frac, "0123456789") == ""
}
