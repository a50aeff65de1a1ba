package contest

// The validation vocabulary: what is wrong with a record's input, field by
// field, as a message key and its arguments. The wording lives in the
// portal's message catalogs (validation.<key> in ko/en.validation.json);
// English gives the English for logs and the command line, and the
// catalog tests keep the English catalog equal to it.

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one message: a key of English (and of the catalogs, prefixed
// "validation.") and its arguments as name/value pairs.
type Problem struct {
	Key  string
	Args []any
}

// English renders the problem in English.
func (p Problem) English() string { return Wording(English, p.Key, p.Args) }

// Wording is the wording of message key in catalog (the key itself when
// the catalog lacks it) with each {name} placeholder filled from args, a
// list of name, value pairs.
func Wording(catalog map[string]string, key string, args []any) string {
	msg, ok := catalog[key]
	if !ok {
		msg = key
	}
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return msg
}

// FieldErrors is what is wrong with a form's input: one problem per field.
// Bilingual fields are named with a language suffix (name_ko, name_en);
// the empty name is the record as a whole (e.g. "it has scores"). It
// matches ErrInvalid.
type FieldErrors struct {
	Fields map[string]Problem
}

// Invalid is a problem with the record as a whole.
func Invalid(key string, args ...any) error {
	fe := &FieldErrors{}
	fe.Add("", key, args...)
	return fe
}

// Error lists the problems in English, field by field.
func (e *FieldErrors) Error() string {
	keys := slices.Sorted(maps.Keys(e.Fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k == "" {
			parts[i] = e.Fields[k].English()
		} else {
			parts[i] = k + ": " + e.Fields[k].English()
		}
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is makes the error match ErrInvalid.
func (e *FieldErrors) Is(target error) bool { return target == ErrInvalid }

// Add records a problem; the first problem of a field wins.
func (e *FieldErrors) Add(field, key string, args ...any) {
	if e.Fields == nil {
		e.Fields = map[string]Problem{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = Problem{Key: key, Args: args}
	}
}

// OrNil returns e as an error, or nil (untyped) when nothing was added.
func (e *FieldErrors) OrNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Required records a missing value.
func (e *FieldErrors) Required(field string) { e.Add(field, "required") }

// Chars refuses what PostgreSQL text cannot hold.
func (e *FieldErrors) Chars(field, s string) bool {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		e.Add(field, "bad_chars")
		return false
	}
	return true
}

// Slug checks a required slug.
func (e *FieldErrors) Slug(field, s string) { e.identifier(field, s, ValidSlug, "slug") }

// Code checks a required criterion code.
func (e *FieldErrors) Code(field, s string) {
	if e.identifier(field, s, ValidCode, "code") && s == TotalCode {
		e.Add(field, "reserved_code", "code", TotalCode)
	}
}

// identifier checks a required slug or code s: present and valid, or the
// problem key naming its form. It reports whether s passed.
func (e *FieldErrors) identifier(field, s string, valid func(string) bool, key string) bool {
	switch {
	case s == "":
		e.Required(field)
	case !valid(s):
		e.Add(field, key, "max", MaxSlugLen)
	default:
		return true
	}
	return false
}

// Text checks a Korean/English pair: both languages when required, and
// never one without the other.
func (e *FieldErrors) Text(field string, t Text, required bool) {
	ko, en := field+"_ko", field+"_en"
	okKO, okEN := e.Chars(ko, t.KO), e.Chars(en, t.EN)
	switch {
	case !okKO || !okEN:
	case required || !t.IsZero():
		if t.KO == "" {
			if required {
				e.Required(ko)
			} else {
				e.Add(ko, "ko_with_en")
			}
		}
		if t.EN == "" {
			if required {
				e.Required(en)
			} else {
				e.Add(en, "en_with_ko")
			}
		}
	}
}

// OneOf checks a required choice.
func (e *FieldErrors) OneOf(field, s string, allowed []string) {
	switch {
	case s == "":
		e.Required(field)
	case !slices.Contains(allowed, s):
		e.Add(field, "one_of", "list", strings.Join(allowed, ", "), "got", s)
	}
}

// Date checks an optional date; "" is no date.
func (e *FieldErrors) Date(field, s string) bool {
	if s == "" {
		return true
	}
	if !ValidDate(s) {
		e.Add(field, "date", "got", s)
		return false
	}
	return true
}

// Between checks an integer range.
func (e *FieldErrors) Between(field string, v, lo, hi int64) {
	switch {
	case v < lo:
		e.Add(field, "at_least", "n", lo)
	case v > hi:
		e.Add(field, "at_most", "n", hi)
	}
}

// English is the English wording of every validation key, with {name}
// placeholders for the arguments.
var English = map[string]string{
	"not_in_round":           "team \"{team}\" is not a team of this round",
	"before_filing":          "must not be before the filing date",
	"source_url":             "sources must be http(s) addresses",
	"required":               "required",
	"bad_chars":              "contains characters that cannot be stored",
	"slug":                   "must be a slug (lowercase letters and digits in words joined by single hyphens, at most {max} characters)",
	"code":                   "must be a code (lowercase letters and digits in words joined by single hyphens or underscores, at most {max} characters)",
	"reserved_code":          "\"{code}\" is reserved for the round total",
	"ko_with_en":             "required when the English text is given",
	"en_with_ko":             "required when the Korean text is given",
	"one_of":                 "must be one of {list} (got \"{got}\")",
	"date":                   "must be a date YYYY-MM-DD (got \"{got}\")",
	"decimal":                "must be a decimal number with at most two decimals (e.g. 1.5)",
	"positive":               "must be > 0",
	"at_least":               "must be >= {n}",
	"at_most":                "must be at most {n}",
	"year_range":             "must be between {min} and {max}",
	"unknown_team":           "unknown team \"{team}\"",
	"unknown_org":            "unknown organization \"{org}\"",
	"unknown_criterion":      "unknown criterion \"{criterion}\"",
	"unknown_round":          "unknown round \"{round}\"",
	"aggregate_needs_size":   "required when an aggregate is chosen",
	"trimmed_panel":          "trimmed_mean needs a panel size of at least {min} (size is {n})",
	"parent_cycle":           "cannot be the criterion itself or one of its sub-criteria",
	"parent_scored":          "\"{parent}\" has entered scores; a criterion with sub-criteria is not scored",
	"parent_panel":           "\"{parent}\" is scored by a panel, and only leaf criteria have a panel; remove its panel first",
	"max_below_scores":       "cannot be lower than a score already entered",
	"max_below":              "cannot be lower than {top}, a score already entered",
	"panel_direct_scores":    "cannot add a panel: {n} score(s) were entered directly",
	"panel_has_scores":       "cannot remove the panel: {n} evaluator score(s) were entered",
	"panel_below":            "must be at least {n}: evaluator {n} has scores",
	"panel_not_leaf":         "only leaf criteria have a panel; this criterion has sub-criteria",
	"criterion_has_children": "the criterion has sub-criteria; delete them first",
	"criterion_has_scores":   "the criterion has {n} entered score(s); it cannot be deleted",
	"criterion_published":    "the criterion has published figures; it cannot be deleted",
	"round_kind_announced":   "cannot change: the round has announced outcomes of its kind",
	"entry_has_scores":       "the team has {n} entered score(s) in this round; remove them first",
	"entry_published":        "the team has announced outcomes or published figures in this round",
	"entry_decided":          "the team is named in the round's tie decision",
	"role":                   "must be lowercase letters and underscores (e.g. participant)",
	"until_before_since":     "must not be before since ({since})",
	"slug_published":         "cannot change: the team appears in published results, which name it by its slug",
	"lead_is_member":         "\"{org}\" is already a member of the team; remove the membership first",
	"member_is_lead":         "\"{org}\" is the team's lead, which is a member implicitly",
}
