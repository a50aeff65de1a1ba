package programfile

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/programgen"
)

// slowTree is the tree the YAML parser alone builds.
func slowTree(t *testing.T, data []byte) any {
	t.Helper()
	v, err := (&builder{}).decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The scores read ahead are exactly what the YAML parser reads, on a
// generated program with panel and direct leaves.
func TestScoreRunsMatchTheParser(t *testing.T) {
	var buf bytes.Buffer
	if err := programgen.Write(&buf, programgen.Options{Teams: 6, Leaves: 4, Categories: 2, Evaluators: 20, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if _, runs := scoreRuns(data); len(runs) == 0 {
		t.Fatal("no list of scores was read ahead")
	}
	fast, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, slowTree(t, data)) {
		t.Error("the scores read ahead differ from the parser's")
	}
}

// scoreList is a program fragment: a key `scores:` under indent with n
// score lines, the line at odd (if not negative) replaced by oddLine.
func scoreList(indent string, n, odd int, oddLine string) string {
	var b strings.Builder
	b.WriteString(indent + "scores:\n")
	for i := range n {
		line := fmt.Sprintf("%s  - {team: lg, criterion: c%d, evaluator: %d, value: %d.%02d}\n", indent, i%3, i+1, i%5, i%100)
		if i == odd {
			line = indent + "  " + oddLine + "\n"
		}
		b.WriteString(line)
	}
	return b.String()
}

// Lists that are not plain scores, or text that only looks like them, are
// left to the parser, and read the same.
func TestScoreRunsLeaveOtherTextToTheParser(t *testing.T) {
	for name, doc := range map[string]string{
		"quoted value":   "round:\n" + scoreList("  ", 100, 50, `- {team: lg, criterion: c1, evaluator: 9, value: "3.5"}`) + "next: 1\n",
		"comment inside": "round:\n" + scoreList("  ", 100, 50, "# a note") + "next: 1\n",
		"boolean name":   "round:\n" + scoreList("  ", 100, 10, "- {team: true, criterion: c1, evaluator: 9, value: 3}") + "next: 1\n",
		"leading zero":   "round:\n" + scoreList("  ", 100, 10, "- {team: lg, criterion: c1, evaluator: 09, value: 3}") + "next: 1\n",
		"literal block":  "text: |\n" + scoreList("  ", 100, -1, "") + "next: 1\n",
		"more items":     "round:\n" + scoreList("  ", 100, -1, "") + "    - {team: lg, criterion: c1, value: 3, note: x}\nnext: 1\n",
	} {
		t.Run(name, func(t *testing.T) {
			data := []byte(doc)
			got, err := decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, slowTree(t, data)) {
				t.Errorf("decode differs from the parser on %s", name)
			}
		})
	}
	// A plain list is read ahead, and reads the same.
	data := []byte("round:\n" + scoreList("  ", 100, -1, "") + "\n# end\nnext: 1\n")
	if _, runs := scoreRuns(data); len(runs) != 1 {
		t.Fatalf("plain list: %d lists read ahead, want 1", len(runs))
	}
	if got, _ := decode(data); !reflect.DeepEqual(got, slowTree(t, data)) {
		t.Error("plain list: decode differs from the parser")
	}
}
