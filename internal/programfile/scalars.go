package programfile

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// Scalar readers. Each reports its own problems and returns the zero value
// (or the raw text, for names used in cross-references) on error.

func (p *parser) str(n node, required bool) string {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return ""
	}
	s, ok := n.v.(string)
	if !ok {
		p.fail(n, "must be a string")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		p.fail(n, "required")
	}
	return s
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

// int64Value reads a set node as an integer >= lo.
func (p *parser) int64Value(n node, lo int64) (int64, bool) {
	x, ok := asInt64(n.v)
	if !ok {
		p.fail(n, "must be an integer")
		return 0, false
	}
	if x < lo {
		p.fail(n, "must be >= %d", lo)
		return 0, false
	}
	return x, true
}

func (p *parser) intValue(n node, lo int64) (int, bool) {
	x, ok := p.int64Value(n, lo)
	if ok && int64(int(x)) != x {
		p.fail(n, "is too large")
		return 0, false
	}
	return int(x), ok
}

func (p *parser) reqInt(n node, lo int64) (int, bool) {
	if !n.set {
		p.fail(n, "required")
		return 0, false
	}
	return p.intValue(n, lo)
}

func (p *parser) optInt(n node, lo int64) *int {
	if !n.set {
		return nil
	}
	x, ok := p.intValue(n, lo)
	if !ok {
		return nil
	}
	return &x
}

func (p *parser) optKRW(n node) *int64 {
	if !n.set {
		return nil
	}
	x, ok := p.int64Value(n, 0)
	if !ok {
		return nil
	}
	return &x
}

func (p *parser) boolean(n node) bool {
	if !n.set {
		return false
	}
	b, ok := n.v.(bool)
	if !ok {
		p.fail(n, "must be true or false")
	}
	return b
}

// enum reads one of allowed; def is returned when absent, and "" makes the
// field required.
func (p *parser) enum(n node, def string, allowed ...string) string {
	if !n.set {
		if def == "" {
			p.fail(n, "required")
		}
		return def
	}
	s, ok := n.v.(string)
	if !ok || !slices.Contains(allowed, s) {
		p.fail(n, "must be one of %s (got %s)", strings.Join(allowed, ", "), literal(n.v))
		return ""
	}
	return s
}

// literal shows a scalar as the file gave it, for messages.
func literal(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// slug reads a required slug. It returns the text even when it is not a
// valid slug, so that references to it do not report a second error.
func (p *parser) slug(n node) string {
	s := p.str(n, true)
	if s != "" && !contest.ValidSlug(s) {
		p.fail(n, "must be a slug (lowercase letters and digits in words joined by single hyphens, at most %d characters)", contest.MaxSlugLen)
	}
	return s
}

// code reads a criterion code: like a slug, but words may also be joined by
// underscores.
func (p *parser) code(n node) string {
	s := p.str(n, true)
	if s != "" && !contest.ValidCode(s) {
		p.fail(n, "must be a code (lowercase letters and digits in words joined by single hyphens or underscores, at most %d characters)", contest.MaxSlugLen)
	}
	if s == contest.TotalCode {
		p.fail(n, "%q is reserved for the round total", contest.TotalCode)
	}
	return s
}

func (p *parser) text(n node, required bool) Text {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return Text{}
	}
	o := p.object(n, "ko", "en")
	if o == nil {
		return Text{}
	}
	return Text{KO: p.str(o.get("ko"), true), EN: p.str(o.get("en"), true)}
}

func (p *parser) date(n node, required bool) string {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return ""
	}
	switch x := n.v.(type) {
	case time.Time:
		return x.Format(contest.DateLayout)
	case string:
		if contest.ValidDate(x) {
			return x
		}
	}
	p.fail(n, "must be a date YYYY-MM-DD (got %s)", literal(n.v))
	return ""
}

// kst is Korea Standard Time, without depending on a tz database.
var kst = time.FixedZone("KST", 9*3600)

// announceAt reads an RFC 3339 time with offset, or a date taken as 00:00 KST.
func (p *parser) announceAt(n node) (at *time.Time, dateOnly bool) {
	if !n.set {
		return nil, false
	}
	switch x := n.v.(type) {
	case time.Time:
		return &x, false
	case string:
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return &t, false
		}
		if t, err := time.ParseInLocation(contest.DateLayout, x, kst); err == nil {
			return &t, true
		}
	}
	p.fail(n, "must be a time with offset (e.g. 2026-01-15T14:00:00+09:00) or a date YYYY-MM-DD (got %s)", literal(n.v))
	return nil, false
}

const msgDecimal = "must be a decimal number with at most two decimals (e.g. 1.5)"

// decimal reads a number of the points domain: >= 0, at most
// contest.MaxPoints, with at most two decimals (zeros beyond the second
// are dropped). It returns it in canonical form with exactly two decimals
// ("9.20").
func (p *parser) decimal(n node, required bool) string {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return ""
	}
	var s string
	switch x := n.v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case int, int64, uint64:
		s = fmt.Sprint(x)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		p.fail(n, msgDecimal)
		return ""
	}
	s, negative := strings.CutPrefix(s, "-")
	if whole, frac, ok := strings.Cut(s, "."); ok {
		for len(frac) > 2 && frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		s = whole + "." + frac
	}
	if c, ok := cents(s); ok && !negative {
		return formatCents(c)
	}
	v, err := rules.ParseValue(s)
	switch {
	case err != nil:
		p.fail(n, msgDecimal)
		return ""
	case negative && v.Sign() != 0:
		p.fail(n, "must be >= 0")
		return ""
	case contest.ExceedsMaxPoints(v):
		p.fail(n, "must be at most %s", contest.MaxPoints)
		return ""
	}
	return rules.FormatCents(v)
}

// rat reads a decimal in the canonical form decimal returns.
func rat(d string) *big.Rat {
	v, err := rules.ParseValue(d)
	if err != nil {
		panic("programfile: not a canonical decimal: " + d)
	}
	return v
}

func (p *parser) url(n node, s string) {
	if !(strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) || len(s) <= len("https://") ||
		strings.ContainsAny(s, " \t\r\n") {
		p.fail(n, "must be an http:// or https:// URL")
	}
}

func (p *parser) list(n node) []node {
	if !n.set {
		return nil
	}
	l, ok := n.v.([]any)
	if !ok {
		p.fail(n, "must be a list")
		return nil
	}
	out := make([]node, len(l))
	for i, v := range l {
		out[i] = n.item(i, v)
	}
	return out
}

func (p *parser) sources(n node) []Source {
	var out []Source
	for _, it := range p.list(n) {
		if s, ok := it.v.(string); ok {
			p.url(it, s)
			out = append(out, Source{URL: s})
			continue
		}
		if _, ok := it.v.(mapping); !ok {
			p.fail(it, "must be a URL or a mapping with url, label, date, date_note")
			continue
		}
		o := p.object(it, "url", "label", "date", "date_note")
		var s Source
		urlN := o.get("url")
		if s.URL = p.str(urlN, true); s.URL != "" {
			p.url(urlN, s.URL)
		}
		s.Label = p.str(o.get("label"), false)
		s.Date = p.date(o.get("date"), false)
		s.DateNote = p.str(o.get("date_note"), false)
		out = append(out, s)
	}
	return out
}

func (p *parser) confidence(n node) string {
	return p.enum(n, contest.Confirmed, contest.Confidences...)
}

// unique reports key as a duplicate of an earlier occurrence.
func (p *parser) unique(seen map[string]bool, n node, key, shown string) {
	if key == "" {
		return
	}
	if seen[key] {
		p.fail(n, "duplicate %s", shown)
		return
	}
	seen[key] = true
}
