package programfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	yamlparser "github.com/goccy/go-yaml/parser"
)

// PathError is one problem in a program file, at the path of the bad value
// (`rounds[2].criteria[0].max`). Path is "" for problems with the file as a
// whole, such as a YAML syntax error.
type PathError struct {
	Path string
	Msg  string
}

func (e *PathError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errors is every problem found in a program file, in document order.
type Errors []*PathError

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, pe := range e {
		lines[i] = pe.Error()
	}
	return strings.Join(lines, "\n")
}

// Parse reads and validates a program file in YAML or JSON. On any problem it
// returns a nil File and an *Errors listing all problems found, in document
// order.
func Parse(data []byte) (*File, error) {
	root, err := decode(data)
	if err != nil {
		return nil, &Errors{{Msg: err.Error()}}
	}
	p := &parser{}
	f := p.file(node{v: root, set: root != nil})
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b posError) int { return slices.Compare(a.pos, b.pos) })
		out := make(Errors, len(p.errs))
		for i, e := range p.errs {
			out[i] = e.err
		}
		return nil, &out
	}
	return f, nil
}

// decode turns the single YAML document in data into a generic tree of
// yaml.MapSlice (mappings, key order kept), []any, string, bool, integer,
// float64 and nil values.
func decode(data []byte) (any, error) {
	doc, err := yamlparser.ParseBytes(data, 0)
	if err != nil {
		return nil, fmt.Errorf("invalid YAML: %s", yaml.FormatError(err, false, false))
	}
	if len(doc.Docs) > 1 {
		return nil, fmt.Errorf("invalid YAML: a program file holds a single document, found %d", len(doc.Docs))
	}
	var v any
	if err := yaml.UnmarshalWithOptions(data, &v, yaml.UseOrderedMap()); err != nil {
		return nil, fmt.Errorf("invalid YAML: %s", yaml.FormatError(err, false, false))
	}
	return v, nil
}

// node is a value of the generic tree with its path. pos locates it in the
// document (index of the key or item at each level) and orders the errors.
type node struct {
	path string
	pos  []int
	v    any
	set  bool // present and not null
}

func (n node) child(name string, i int, v any, present bool) node {
	path := name
	if n.path != "" {
		path = n.path + "." + name
	}
	return node{path: path, pos: appendPos(n.pos, i), v: v, set: present && v != nil}
}

func (n node) item(i int, v any) node {
	return node{path: fmt.Sprintf("%s[%d]", n.path, i), pos: appendPos(n.pos, i), v: v, set: v != nil}
}

func appendPos(pos []int, i int) []int {
	out := make([]int, len(pos), len(pos)+1)
	copy(out, pos)
	return append(out, i)
}

type posError struct {
	pos []int
	err *PathError
}

type parser struct {
	errs []posError
}

func (p *parser) fail(n node, format string, args ...any) {
	p.errs = append(p.errs, posError{pos: n.pos, err: &PathError{Path: n.path, Msg: fmt.Sprintf(format, args...)}})
}

// obj is a mapping whose keys were checked against the known field names.
type obj struct {
	n      node
	known  []string
	fields map[string]node
	end    int // position given to absent fields: after the present ones
}

// object reads n as a mapping with the given fields; unknown keys are
// reported. It reports and returns nil when n is not a mapping.
func (p *parser) object(n node, known ...string) *obj {
	m, ok := n.v.(yaml.MapSlice)
	if !ok {
		p.fail(n, "must be a mapping")
		return nil
	}
	o := &obj{n: n, known: known, fields: make(map[string]node, len(m)), end: len(m)}
	for i, it := range m {
		k := fmt.Sprint(it.Key)
		c := n.child(k, i, it.Value, true)
		if !slices.Contains(known, k) {
			p.fail(c, "unknown field")
			continue
		}
		o.fields[k] = c
	}
	return o
}

// get returns the field name, or an absent node placed after the present keys.
func (o *obj) get(name string) node {
	if !slices.Contains(o.known, name) {
		panic("programfile: field " + name + " not declared")
	}
	if c, ok := o.fields[name]; ok {
		return c
	}
	return o.n.child(name, o.end, nil, false)
}

// objects reads n as a list of mappings with the given fields and returns
// what read makes of each; items that are not mappings are reported and
// skipped.
func objects[T any](p *parser, n node, fields []string, read func(o *obj, it node) T) []T {
	var out []T
	for _, it := range p.list(n) {
		if o := p.object(it, fields...); o != nil {
			out = append(out, read(o, it))
		}
	}
	return out
}
