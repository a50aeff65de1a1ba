// Package i18n owns the portal's two languages: the message catalogs
// (web/i18n/ko.json and en.json, keyed by message id), the Localizer that
// templates and handlers use to translate UI text and pick the language of
// bilingual data, and the URL scheme that puts the language in the path —
// Korean at /…, English at /en/….
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web/format"
)

// Lang is a page language.
type Lang string

// The portal's languages. Korean is the default.
const (
	KO Lang = "ko"
	EN Lang = "en"
)

// Langs lists the languages in display order.
var Langs = []Lang{KO, EN}

// Other returns the language a page switches to.
func (l Lang) Other() Lang {
	if l == EN {
		return KO
	}
	return EN
}

// Prefix is the path prefix of the language: "" for Korean, "/en" for English.
func (l Lang) Prefix() string {
	if l == EN {
		return "/en"
	}
	return ""
}

// Localize returns the URL of a language-neutral path ("/teams/lg") in l.
// The English home page is "/en".
func Localize(l Lang, path string) string {
	if path == "" {
		path = "/"
	}
	if l == EN && path == "/" {
		return "/en"
	}
	return l.Prefix() + path
}

// Split returns the language of a request path and the path without the
// language prefix: "/en/teams/lg" → (EN, "/teams/lg"), "/en" → (EN, "/").
func Split(path string) (Lang, string) {
	switch {
	case path == "/en":
		return EN, "/"
	case strings.HasPrefix(path, "/en/"):
		return EN, path[len("/en"):]
	case path == "":
		return KO, "/"
	}
	return KO, path
}

// Catalogs holds the message catalog of every language.
type Catalogs struct {
	msgs map[Lang]map[string]string
}

// Load reads <lang>.json and any <lang>.<part>.json (for example
// ko.admin.json) for every language from fsys and merges them; a message id
// defined twice is an error. Each file is a flat JSON object of message id →
// message; a message may hold {name} placeholders filled by Localizer.T.
func Load(fsys fs.FS) (*Catalogs, error) {
	c := &Catalogs{msgs: map[Lang]map[string]string{}}
	for _, l := range Langs {
		parts, err := fs.Glob(fsys, string(l)+".*.json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		m := map[string]string{}
		for _, name := range append([]string{string(l) + ".json"}, parts...) {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(data, &part); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("i18n: %s: message %q is defined twice", name, k)
				}
				m[k] = v
			}
		}
		c.msgs[l] = m
	}
	return c, nil
}

// Keys returns the sorted message ids of a language.
func (c *Catalogs) Keys(l Lang) []string {
	keys := make([]string, 0, len(c.msgs[l]))
	for k := range c.msgs[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Message returns the raw message of id in l.
func (c *Catalogs) Message(l Lang, id string) (string, bool) {
	m, ok := c.msgs[l][id]
	return m, ok
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Placeholders returns the sorted {name} placeholders of a message.
func Placeholders(msg string) []string {
	ps := placeholder.FindAllString(msg, -1)
	sort.Strings(ps)
	return ps
}

// Localizer returns the localizer of l.
func (c *Catalogs) Localizer(l Lang) *Localizer {
	if l != EN {
		l = KO
	}
	return &Localizer{lang: l, msgs: c.msgs[l]}
}

// Localizer translates UI messages and formats values for one language.
type Localizer struct {
	lang Lang
	msgs map[string]string
}

// Lang returns the localizer's language.
func (l *Localizer) Lang() Lang { return l.lang }

// Has reports whether the catalog defines the message id.
func (l *Localizer) Has(id string) bool {
	_, ok := l.msgs[id]
	return ok
}

// T returns the message id, with {name} placeholders replaced by the
// name/value pairs in args. A missing id comes back as "⟦id⟧" so it shows in
// pages and fails the catalog tests rather than vanishing.
func (l *Localizer) T(id string, args ...any) string {
	msg, ok := l.msgs[id]
	if !ok {
		return "⟦" + id + "⟧"
	}
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return msg
}

// Text picks the localizer's language from bilingual data.
func (l *Localizer) Text(t contest.Text) string { return t.In(string(l.lang)) }

// URL localizes a language-neutral path.
func (l *Localizer) URL(path string) string { return Localize(l.lang, path) }

// Undisclosed is the text shown for a figure that was never published.
func (l *Localizer) Undisclosed() string { return l.T("value.undisclosed") }

// Number formats an integer with thousands separators.
func (l *Localizer) Number(n int) string { return format.Number(int64(n)) }

// Points formats a decimal with two decimals.
func (l *Localizer) Points(v string) string { return format.Points(v) }

// Money formats an amount in won, or says it was not disclosed.
func (l *Localizer) Money(krw *int64) string {
	if krw == nil {
		return l.Undisclosed()
	}
	return format.Money(string(l.lang), *krw)
}

// Date formats a calendar date; "" when nil.
func (l *Localizer) Date(d *time.Time) string {
	if d == nil {
		return ""
	}
	return format.Date(string(l.lang), *d)
}

// DateRange formats a calendar date, or a range when until is set.
func (l *Localizer) DateRange(from time.Time, until *time.Time) string {
	if until == nil || until.Equal(from) {
		return format.Date(string(l.lang), from)
	}
	return format.DateRange(string(l.lang), from, *until)
}

// DateTime formats an instant in KST; "" when nil.
func (l *Localizer) DateTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return format.DateTime(string(l.lang), *t)
}

// Announcement formats an announcement time, as a date when only the day is
// known; "" when nil.
func (l *Localizer) Announcement(t *time.Time, dateOnly bool) string {
	if t == nil {
		return ""
	}
	return format.Announcement(string(l.lang), *t, dateOnly)
}
