package programfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits on a program file. The size and the nesting depth are checked
// before the YAML parser sees the file, so a hostile file fails at once.
const (
	// MaxFileSize is the largest program file accepted, in bytes: room for
	// hundreds of thousands of scores.
	MaxFileSize = 64 << 20
	// MaxDepth is the deepest nesting of mappings and lists accepted; a
	// real program file nests about ten levels deep.
	MaxDepth = 64
	// MaxErrors is how many problems Parse lists; a count of the others
	// follows them.
	MaxErrors = 100
)

// mapping is a YAML mapping with its keys in document order.
type mapping []mapItem

type mapItem struct {
	Key   string
	Value any
}

// decode turns the single YAML document in data into a generic tree of
// mapping, []any, string, bool, integer, float64 and nil values. Dates and
// times stay strings. The one-line scores of large rounds are read
// without the YAML parser (scoreRuns); when the parser does not find them
// where they were taken from, the file is read again as it is.
func decode(data []byte) (any, error) {
	if err := precheck(data); err != nil {
		return nil, err
	}
	text, runs := scoreRuns(data)
	if len(runs) > 0 {
		b := &builder{runs: runs}
		if root, err := b.decode(text); err == nil && b.used == len(runs) {
			return root, nil
		}
	}
	return (&builder{}).decode(data)
}

// builder builds the generic tree; runs are the score lists read ahead, by
// the line of the empty list left in their place.
type builder struct {
	runs map[int][]any
	used int
}

func (b *builder) decode(data []byte) (any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // an empty file
		}
		return nil, invalidYAML(err)
	}
	docs := 1
	for {
		var extra yaml.Node
		err := dec.Decode(&extra)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, invalidYAML(err)
		}
		docs++
	}
	if docs > 1 {
		return nil, fmt.Errorf("invalid YAML: a program file holds a single document, found %d", docs)
	}
	return b.tree(&doc)
}

func invalidYAML(err error) error {
	return fmt.Errorf("invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
}

// tree converts a YAML node into the generic tree.
func (b *builder) tree(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return b.tree(n.Content[0])
	case yaml.MappingNode:
		return b.mappingTree(n)
	case yaml.SequenceNode:
		if items, ok := b.runs[n.Line]; ok && len(n.Content) == 0 && n.Style&yaml.FlowStyle != 0 {
			b.used++
			return items, nil
		}
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := b.tree(c)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.AliasNode:
		return nil, fmt.Errorf("invalid YAML: line %d: aliases (*%s) are not allowed in a program file", n.Line, n.Value)
	}
	return scalar(n), nil
}

func (b *builder) mappingTree(n *yaml.Node) (any, error) {
	out := make(mapping, 0, len(n.Content)/2)
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("invalid YAML: line %d: a key must be a plain name", k.Line)
		}
		if seen[k.Value] {
			return nil, fmt.Errorf("invalid YAML: line %d: key %q appears twice in one mapping", k.Line, k.Value)
		}
		seen[k.Value] = true
		v, err := b.tree(n.Content[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, mapItem{Key: k.Value, Value: v})
	}
	return out, nil
}

// scalar reads a scalar: null, a boolean, an integer or a float by its
// resolved tag, else its text.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!int", "!!float":
		// The plain decimals of scores, read without the decoder's
		// reflection; YAML's other forms (0x1F, 1_000, .inf) take the
		// decoder's path below.
		if plainNumber(n.Value) {
			if i, err := strconv.ParseInt(n.Value, 10, 0); err == nil && !octal(n.Value) {
				return int(i)
			}
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil && n.ShortTag() == "!!float" {
				return f
			}
		}
		var v any
		if err := n.Decode(&v); err == nil {
			return v
		}
	case "!!bool":
		var v any
		if err := n.Decode(&v); err == nil {
			return v
		}
	}
	return n.Value
}

// precheck refuses a file that is too large or nests too deep, before any
// parsing.
func precheck(data []byte) error {
	if len(data) > MaxFileSize {
		return fmt.Errorf("the file has %d bytes; a program file may have at most %d MiB", len(data), MaxFileSize>>20)
	}
	if line, deep := tooDeep(data); deep {
		return fmt.Errorf("line %d: the file nests more than %d levels deep; a program file needs far fewer", line, MaxDepth)
	}
	return nil
}

// tooDeep estimates the nesting of a YAML text without parsing it: block
// indentation levels, "- " items opening on one line, and flow collections
// ([ and { where a value starts), skipping quoted text, comments and block
// scalars. It reports the first line where the nesting exceeds MaxDepth.
func tooDeep(data []byte) (line int, deep bool) {
	s := depthScan{blockScalar: -1}
	for ln := 1; len(data) > 0; ln++ {
		var text []byte
		text, data, _ = bytes.Cut(data, []byte("\n"))
		if s.line(text) > MaxDepth {
			return ln, true
		}
	}
	return 0, false
}

// depthScan is the state of tooDeep between lines.
type depthScan struct {
	indents     []int // the block indentation levels open
	flow        int   // flow collections open
	quote       byte  // the quote of an open quoted scalar, or 0
	blockScalar int   // the indentation of a block scalar's key line, or -1
}

// line scans one line and returns the deepest nesting in it.
func (s *depthScan) line(text []byte) int {
	text = bytes.TrimRight(text, "\r")
	indent := len(text) - len(bytes.TrimLeft(text, " "))
	rest := text[indent:]
	if s.inBlockScalar(indent, rest) {
		return 0
	}
	if s.quote == 0 && s.flow == 0 && (len(rest) == 0 || rest[0] == '#') {
		return 0
	}
	level := 0
	if s.quote == 0 && s.flow == 0 {
		level, rest = s.blockLevel(indent, rest)
	}
	deepest := level + s.flow
	last := s.scanFlow(rest, level, &deepest)
	if s.quote == 0 && s.flow == 0 && (last == '|' || last == '>') {
		s.blockScalar = indent
	}
	return deepest
}

// inBlockScalar reports whether a line is text of an open block scalar,
// and closes the scalar when it is not.
func (s *depthScan) inBlockScalar(indent int, rest []byte) bool {
	if s.blockScalar < 0 {
		return false
	}
	if len(bytes.TrimSpace(rest)) == 0 || indent > s.blockScalar {
		return true
	}
	s.blockScalar = -1
	return false
}

// blockLevel is the block nesting of a line outside flow collections: its
// indentation level plus the "- " items it opens; it returns the rest of
// the line after them.
func (s *depthScan) blockLevel(indent int, rest []byte) (int, []byte) {
	for len(s.indents) > 0 && s.indents[len(s.indents)-1] > indent {
		s.indents = s.indents[:len(s.indents)-1]
	}
	if len(s.indents) == 0 || s.indents[len(s.indents)-1] < indent {
		s.indents = append(s.indents, indent)
	}
	level := len(s.indents)
	for bytes.HasPrefix(rest, []byte("- ")) || bytes.Equal(rest, []byte("-")) {
		level++
		rest = bytes.TrimLeft(rest[1:], " ")
	}
	return level, rest
}

// scanFlow follows quotes and flow collections through rest and returns
// the last significant character outside quotes and comments (ignoring
// block scalar indicators' digits, + and -).
func (s *depthScan) scanFlow(rest []byte, level int, deepest *int) byte {
	prev, last := byte(':'), byte(0)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if s.quote != 0 {
			i = s.skipQuoted(rest, i)
			continue
		}
		if c == '#' && (i == 0 || rest[i-1] == ' ' || rest[i-1] == '\t') {
			return last // a comment
		}
		c = s.flowChar(c, strings.IndexByte(":,[{-?", prev) >= 0, level, deepest)
		if c != ' ' && c != '\t' {
			prev = c
			last = significant(last, c)
		}
	}
	return last
}

// skipQuoted moves through quoted text at rest[i], closing the quote at
// its end, and returns the index of the last byte consumed.
func (s *depthScan) skipQuoted(rest []byte, i int) int {
	c := rest[i]
	switch {
	case c == '\\' && s.quote == '"':
		return i + 1
	case c == '\'' && s.quote == '\'' && i+1 < len(rest) && rest[i+1] == '\'':
		return i + 1
	case c == s.quote:
		s.quote = 0
	}
	return i
}

// flowChar follows one character outside quotes: a quote or a bracket
// where a value starts opens a quoted scalar or a flow collection. It
// returns the character as the next one sees it: a bracket within plain
// text reads as text.
func (s *depthScan) flowChar(c byte, opens bool, level int, deepest *int) byte {
	switch {
	case (c == '"' || c == '\'') && opens:
		s.quote = c
	case (c == '[' || c == '{') && opens:
		s.flow++
		*deepest = max(*deepest, level+s.flow)
	case c == '[' || c == '{':
		return 'a'
	case (c == ']' || c == '}') && s.flow > 0:
		s.flow--
	}
	return c
}

// significant is the last significant character after c: block scalar
// indicators (| or >) keep their place against the digits, + and - that
// may follow them.
func significant(last, c byte) byte {
	if (last == '|' || last == '>') && strings.IndexByte("+-0123456789", c) >= 0 {
		return last
	}
	return c
}

// plainNumber reports whether s is digits with at most one decimal point
// inside them, optionally after a minus sign.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	point := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !point:
			point = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// octal reports whether the decoder reads the integer s as octal (a
// leading zero).
func octal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return len(s) > 1 && s[0] == '0'
}
