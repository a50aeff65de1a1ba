package programfile

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/fixtures"
)

// TestHostileInput: files built to exhaust the parser fail at once, with a
// clear message, before any YAML parsing.
func TestHostileInput(t *testing.T) {
	deepBlock := strings.Builder{}
	for i := range 200 {
		fmt.Fprintf(&deepBlock, "%sk%d:\n", strings.Repeat(" ", i), i)
	}
	tests := []struct {
		name, src, want string
	}{
		{"200 KB of brackets", strings.Repeat("[", 200<<10), "line 1: the file nests more than 64 levels deep"},
		{"200 KB of braces in a value", "program: " + strings.Repeat("{a: ", 50<<10), "line 1: the file nests more than 64 levels deep"},
		{"deep indentation", deepBlock.String(), "line 65: the file nests more than 64 levels deep"},
		{"nested list items", strings.Repeat("- ", 100) + "x\n", "line 1: the file nests more than 64 levels deep"},
		{"an alias", "program: &p {slug: p}\nteams: *p\n", "invalid YAML: line 2: aliases (*p) are not allowed in a program file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			lines := errorLines(t, tc.src)
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v", took)
			}
			if len(lines) != 1 || !strings.HasPrefix(lines[0], tc.want) {
				t.Errorf("errors %q, want one starting with %q", lines, tc.want)
			}
		})
	}

	t.Run("too large", func(t *testing.T) {
		data := make([]byte, MaxFileSize+1)
		start := time.Now()
		_, err := Parse(data)
		if took := time.Since(start); took > time.Second {
			t.Errorf("took %v", took)
		}
		var lines []string
		if errs, ok := err.(*Errors); ok {
			for _, e := range *errs {
				lines = append(lines, e.Error())
			}
		}
		if want := fmt.Sprintf("the file has %d bytes; a program file may have at most 64 MiB", MaxFileSize+1); len(lines) != 1 || lines[0] != want {
			t.Errorf("errors %q, want %q", lines, want)
		}
	})
}

// TestNestingOfRealFiles: quoted brackets, comments, block scalars and the
// real record do not count as nesting.
func TestNestingOfRealFiles(t *testing.T) {
	record, err := os.ReadFile(fixtures.RecordFile())
	if err != nil {
		t.Fatal(err)
	}
	deepText := strings.Repeat("[", 100)
	for name, src := range map[string]string{
		"record":       string(record),
		"quoted":       "a: \"" + deepText + "\"\nb: '" + deepText + "'\n",
		"comment":      "a: 1 # " + deepText + "\n",
		"block scalar": "a: |\n  " + deepText + "\n  more\nb: >-\n  " + deepText + "\n",
		"plain text":   "a: see " + deepText + "\n",
	} {
		if line, deep := tooDeep([]byte(src)); deep {
			t.Errorf("%s: too deep at line %d", name, line)
		}
	}
}

// TestErrorsCapped: at most MaxErrors problems are listed, then a count.
func TestErrorsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("program: {slug: p, name: {ko: 이름, en: Name}, ministry: {ko: 부처, en: Ministry}}\norganizations:\n")
	for i := range 150 {
		fmt.Fprintf(&b, "  - {slug: org-%d, name: {ko: 기관, en: Org}, kind: nope}\n", i)
	}
	lines := errorLines(t, b.String())
	if len(lines) != MaxErrors+1 {
		t.Fatalf("%d lines, want %d", len(lines), MaxErrors+1)
	}
	if !strings.HasPrefix(lines[0], "organizations[0].kind: must be one of") || !strings.HasPrefix(lines[99], "organizations[99].kind") {
		t.Errorf("first and last listed: %q, %q", lines[0], lines[99])
	}
	if want := "… and 50 more problems (only the first 100 are listed)"; lines[100] != want {
		t.Errorf("last line %q, want %q", lines[100], want)
	}
}
