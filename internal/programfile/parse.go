package programfile

import (
	"fmt"
	"slices"
	"strings"
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
		out := make(Errors, 0, min(len(p.errs), MaxErrors+1))
		for _, e := range p.errs[:min(len(p.errs), MaxErrors)] {
			out = append(out, e.err)
		}
		if more := len(p.errs) - MaxErrors; more > 0 {
			out = append(out, &PathError{Msg: fmt.Sprintf("… and %d more problems (only the first %d are listed)", more, MaxErrors)})
		}
		return nil, &out
	}
	return f, nil
}

// node is a value of the generic tree with its path. pos locates it in the
// document (index of the key or item at each level) and orders the errors.
type node struct {
	at  *loc // nil for the root
	v   any
	set bool // present and not null
}

// loc is where a value sits: a field or an item of its parent. Paths and
// positions are only written out for an error, so they are kept as links.
type loc struct {
	up    *loc
	name  string // the field's key
	item  bool   // a list item rather than a field
	index int    // the position of the key or item within its parent
}

func (n node) child(name string, i int, v any, present bool) node {
	return node{at: &loc{up: n.at, name: name, index: i}, v: v, set: present && v != nil}
}

func (n node) item(i int, v any) node {
	return node{at: &loc{up: n.at, item: true, index: i}, v: v, set: v != nil}
}

// path is n's path in the file: rounds[2].criteria[0].max.
func (n node) path() string {
	var segs []*loc
	for l := n.at; l != nil; l = l.up {
		segs = append(segs, l)
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		switch l := segs[i]; {
		case l.item:
			fmt.Fprintf(&b, "[%d]", l.index)
		case b.Len() > 0:
			b.WriteString("." + l.name)
		default:
			b.WriteString(l.name)
		}
	}
	return b.String()
}

// pos locates n in the document (the index of the key or item at each
// level) and orders the errors.
func (n node) pos() []int {
	var pos []int
	for l := n.at; l != nil; l = l.up {
		pos = append(pos, l.index)
	}
	slices.Reverse(pos)
	return pos
}

type posError struct {
	pos []int
	err *PathError
}

type parser struct {
	errs []posError
}

func (p *parser) fail(n node, format string, args ...any) {
	p.errs = append(p.errs, posError{pos: n.pos(), err: &PathError{Path: n.path(), Msg: fmt.Sprintf(format, args...)}})
}

// obj is a mapping whose keys were checked against the known field names.
type obj struct {
	n      node
	known  []string
	fields []node // by the index of the name in known; at is nil when absent
	end    int    // position given to absent fields: after the present ones
}

// object reads n as a mapping with the given fields; unknown keys are
// reported. It reports and returns nil when n is not a mapping.
func (p *parser) object(n node, known ...string) *obj {
	m, ok := n.v.(mapping)
	if !ok {
		p.fail(n, "must be a mapping")
		return nil
	}
	o := &obj{n: n, known: known, fields: make([]node, len(known)), end: len(m)}
	for i, it := range m {
		c := n.child(it.Key, i, it.Value, true)
		j := slices.Index(known, it.Key)
		if j < 0 {
			p.fail(c, "unknown field")
			continue
		}
		o.fields[j] = c
	}
	return o
}

// get returns the field name, or an absent node placed after the present keys.
func (o *obj) get(name string) node {
	j := slices.Index(o.known, name)
	if j < 0 {
		panic("programfile: field " + name + " not declared")
	}
	if c := o.fields[j]; c.at != nil {
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
