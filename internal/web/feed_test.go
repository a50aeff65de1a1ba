package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const atomNS = "http://www.w3.org/2005/Atom"

// atomDoc decodes a feed generically enough to check RFC 4287's rules
// rather than the encoder's own structs.
type atomDoc struct {
	XMLName xml.Name
	Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	atomCommon
	Authors []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Entries []atomEntryT `xml:"http://www.w3.org/2005/Atom entry"`
}

type atomTextT struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLinkT struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// atomCommon are the elements a feed and an entry both have.
type atomCommon struct {
	IDs     []string    `xml:"http://www.w3.org/2005/Atom id"`
	Titles  []atomTextT `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string    `xml:"http://www.w3.org/2005/Atom updated"`
	Links   []atomLinkT `xml:"http://www.w3.org/2005/Atom link"`
}

type atomEntryT struct {
	atomCommon
	Published  []string    `xml:"http://www.w3.org/2005/Atom published"`
	Summary    []atomTextT `xml:"http://www.w3.org/2005/Atom summary"`
	Content    []atomTextT `xml:"http://www.w3.org/2005/Atom content"`
	Categories []struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
}

func (e atomEntryT) title() string {
	if len(e.Titles) == 0 {
		return ""
	}
	return e.Titles[0].Body
}

func (e atomEntryT) id() string {
	if len(e.IDs) == 0 {
		return ""
	}
	return e.IDs[0]
}

// parseAtom fetches a feed and checks the rules of RFC 4287 every Atom
// document must follow: the namespace; exactly one id, title and updated
// on the feed and on each entry; absolute IRIs for ids; RFC 3339 dates; a
// self link; an author; an alternate link and a summary or content on each
// entry (an entry with no content must have an alternate link); unique
// alternate links per type and language; unique entry ids.
func parseAtom(t *testing.T, h http.Handler, path string) atomDoc {
	t.Helper()
	r := getOK(t, h, path)
	if ct := r.header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if !strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("%s: no XML declaration", path)
	}
	if r.header.Get("ETag") == "" || r.header.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("%s: caching headers %v", path, r.header)
	}
	var f atomDoc
	dec := xml.NewDecoder(strings.NewReader(r.body))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: not well-formed XML: %v", path, err)
	}
	if f.XMLName.Space != atomNS || f.XMLName.Local != "feed" {
		t.Fatalf("%s: root element %v", path, f.XMLName)
	}
	checkIRI := func(what, id string) {
		u, err := url.Parse(id)
		if err != nil || u.Scheme == "" {
			t.Errorf("%s: %s %q is not an absolute IRI", path, what, id)
		}
		if u.Scheme == "tag" && !strings.Contains(id, ",2025:") {
			t.Errorf("%s: %s %q is not a tag: URI", path, what, id)
		}
	}
	checkDate := func(what, d string) {
		if _, err := time.Parse(time.RFC3339, d); err != nil {
			t.Errorf("%s: %s %q is not an RFC 3339 date", path, what, d)
		}
	}
	if len(f.IDs) != 1 || len(f.Titles) != 1 || len(f.Updated) != 1 {
		t.Fatalf("%s: feed has %d ids, %d titles, %d updated; want one each", path, len(f.IDs), len(f.Titles), len(f.Updated))
	}
	checkIRI("feed id", f.IDs[0])
	checkDate("feed updated", f.Updated[0])
	if len(f.Authors) == 0 || f.Authors[0].Name == "" {
		t.Errorf("%s: the feed has no author (its entries have none of their own)", path)
	}
	checkLinks := func(what string, links []atomLinkT) {
		seen := map[string]bool{}
		for _, l := range links {
			if l.Href == "" {
				t.Errorf("%s: %s has a link without href", path, what)
			}
			if l.Rel == "" || l.Rel == "alternate" {
				key := l.Type + "|" + l.Hreflang
				if seen[key] {
					t.Errorf("%s: %s has two alternate links of type %q and language %q", path, what, l.Type, l.Hreflang)
				}
				seen[key] = true
			}
		}
	}
	checkLinks("the feed", f.Links)
	var self bool
	for _, l := range f.Links {
		if l.Rel == "self" && l.Href == baseURL+path {
			self = true
		}
	}
	if !self {
		t.Errorf("%s: no self link to %s: %+v", path, baseURL+path, f.Links)
	}
	ids := map[string]bool{}
	for i, e := range f.Entries {
		if len(e.IDs) != 1 || len(e.Titles) != 1 || len(e.Updated) != 1 {
			t.Errorf("%s: entry %d has %d ids, %d titles, %d updated", path, i, len(e.IDs), len(e.Titles), len(e.Updated))
			continue
		}
		checkIRI("entry id", e.IDs[0])
		checkDate("entry updated", e.Updated[0])
		for _, p := range e.Published {
			checkDate("entry published", p)
		}
		if ids[e.IDs[0]] {
			t.Errorf("%s: duplicate entry id %s", path, e.IDs[0])
		}
		ids[e.IDs[0]] = true
		var alternate bool
		for _, l := range e.Links {
			if (l.Rel == "" || l.Rel == "alternate") && strings.HasPrefix(l.Href, baseURL+"/") {
				alternate = true
			}
		}
		if !alternate {
			t.Errorf("%s: entry %s has no alternate link", path, e.IDs[0])
		}
		checkLinks("entry "+e.IDs[0], e.Links)
		if len(e.Summary) != 1 || strings.TrimSpace(e.Summary[0].Body) == "" || len(e.Content) > 1 {
			t.Errorf("%s: entry %s: %d summaries, %d contents", path, e.IDs[0], len(e.Summary), len(e.Content))
		}
		if !strings.Contains(e.title(), " / ") {
			t.Errorf("%s: entry title %q is not in both languages", path, e.title())
		}
	}
	if strings.Contains(r.body, "⟦") {
		t.Errorf("%s: untranslated message near %q", path, r.body[strings.Index(r.body, "⟦"):][:60])
	}
	return f
}

// entryTitles maps entry ids (after the program part of the tag) to titles.
func entryTitles(f atomDoc) map[string]atomEntryT {
	out := map[string]atomEntryT{}
	for _, e := range f.Entries {
		id := e.id()
		out[id[strings.Index(id, "/")+1:]] = e
	}
	return out
}

// TestFeedRecord: the feed of the real record has one entry per published
// round and per team selected, added or out, in both languages, and none
// for the unpublished rounds.
func TestFeedRecord(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct {
		path, lang, advanced string
		titles               map[string]string
	}{
		{"/feed.atom", "ko", "통과", map[string]string{
			"rounds/stage-1/publication":         "1차 단계평가 결과 발표 / Stage 1 evaluation results published",
			"rounds/additional-call/teams/motif": "모티프테크놀로지스 컨소시엄 추가 선정 — 추가 공모 / Motif Technologies consortium added — Additional call",
			"rounds/stage-1/teams/naver-cloud":   "네이버클라우드 컨소시엄 실격 — 1차 단계평가 / Naver Cloud consortium disqualified — Stage 1 evaluation",
			"rounds/stage-1/teams/nc-ai":         "NC AI 컨소시엄 탈락 — 1차 단계평가 / NC AI consortium eliminated — Stage 1 evaluation",
		}},
		{"/en/feed.atom", "en", "advanced", map[string]string{
			"rounds/stage-1/publication":                 "Stage 1 evaluation results published / 1차 단계평가 결과 발표",
			"rounds/additional-call/teams/motif":         "Motif Technologies consortium added — Additional call / 모티프테크놀로지스 컨소시엄 추가 선정 — 추가 공모",
			"rounds/additional-call/teams/trillion-labs": "Trillion Labs consortium not selected — Additional call / 트릴리온랩스 컨소시엄 미선정 — 추가 공모",
		}},
	} {
		f := parseAtom(t, env.h, tc.path)
		if f.Lang != tc.lang {
			t.Errorf("%s: xml:lang %q", tc.path, f.Lang)
		}
		entries := entryTitles(f)
		for id, want := range tc.titles {
			if got := entries[id].title(); got != want {
				t.Errorf("%s: entry %s titled %q, want %q", tc.path, id, got, want)
			}
		}
		for _, round := range []string{"document-review", "presentation-review", "stage-1", "additional-call"} {
			if _, ok := entries["rounds/"+round+"/publication"]; !ok {
				t.Errorf("%s: no entry for the publication of %s", tc.path, round)
			}
		}
		// 15 applicants (10 selected, 5 not), 10 presented (5 and 5),
		// stage 1 (two out; advancing is no change), the additional call.
		if n := len(f.Entries); n != 4+15+10+2+2 {
			t.Errorf("%s: %d entries, want 33", tc.path, n)
		}
		teamEntries := 0
		for id, e := range entries {
			if strings.Contains(id, "stage-2") || strings.Contains(id, "final") {
				t.Errorf("%s: entry %s for an unpublished round", tc.path, id)
			}
			// A team entry is labelled with the team's outcome; advancing
			// is no change of the field, so no entry has that outcome.
			for _, c := range e.Categories {
				if c.Term != "team" {
					continue
				}
				teamEntries++
				if c.Label == "" || c.Label == tc.advanced {
					t.Errorf("%s: team entry %s labelled %q", tc.path, id, c.Label)
				}
			}
		}
		if teamEntries != 15+10+2+2 {
			t.Errorf("%s: %d team entries, want 29", tc.path, teamEntries)
		}
		// The teams that advanced at stage 1 get no entry for it.
		for _, team := range []string{"lg", "skt", "upstage"} {
			if _, ok := entries["rounds/stage-1/teams/"+team]; ok {
				t.Errorf("%s: entry for %s, which only advanced at stage 1", tc.path, team)
			}
		}
		motif := entries["rounds/additional-call/teams/motif"]
		if motif.Updated[0] != "2026-02-20T00:00:00+09:00" || !strings.HasPrefix(motif.Links[0].Href, baseURL) {
			t.Errorf("%s: Motif entry = %+v", tc.path, motif)
		}
		if f.Entries[0].id() != entries["rounds/additional-call/publication"].id() || f.Updated[0] != "2026-02-20T00:00:00+09:00" {
			t.Errorf("%s: newest entry %s, feed updated %s", tc.path, f.Entries[0].id(), f.Updated[0])
		}
	}
}

// TestFeedPublication: publishing a fully scored round adds its entries;
// a correction adds one that says what changed and why.
func TestFeedPublication(t *testing.T) {
	t.Parallel()
	env := newEnv(t, false, true)
	ctx := context.Background()
	f := parseAtom(t, env.h, "/feed.atom")
	if len(f.Entries) != 0 {
		t.Fatalf("entries before any publication: %d", len(f.Entries))
	}
	at := time.Date(2026, 8, 14, 5, 0, 0, 0, time.UTC)
	closeAndPublish(ctx, t, env.store, "demo", "r1", odActor, at)
	f = parseAtom(t, env.h, "/feed.atom")
	entries := entryTitles(f)
	pub, ok := entries["rounds/r1/publication"]
	if !ok || pub.title() != "시범 평가 결과 발표 / Demo evaluation results published" || pub.Updated[0] != "2026-08-14T14:00:00+09:00" {
		t.Fatalf("publication entry = %+v (entries %v)", pub, entries)
	}
	if !strings.Contains(pub.Content[0].Body, "시범 팀 3") || !strings.Contains(pub.Summary[0].Body, "탈락(점수) 1") {
		t.Errorf("publication content = %q / %q", pub.Summary[0].Body, pub.Content[0].Body)
	}
	if e, ok := entries["rounds/r1/teams/t3"]; !ok || e.title() != "시범 팀 3 탈락 — 시범 평가 / Demo team 3 eliminated — Demo evaluation" {
		t.Errorf("t3 entry = %+v", e)
	}
	if len(f.Entries) != 2 {
		t.Errorf("%d entries, want the publication and t3's elimination", len(f.Entries))
	}

	odCorrect(t, env.store, at.Add(24*time.Hour))
	for _, tc := range []struct{ path, title, summary string }{
		// The criterion is named as on the round page, not by its code.
		{"/feed.atom", "시범 평가 결과 정정 (개정 2) / Demo evaluation results corrected (revision 2)", "정정 사유: 입력 오류 정정. 변경: 시범 팀 3: 가 영역 점수 20.00 → 45.00"},
		{"/en/feed.atom", "Demo evaluation results corrected (revision 2) / 시범 평가 결과 정정 (개정 2)", "Reason: Data entry error corrected. Change: Demo team 3: Area A score 20.00 → 45.00"},
	} {
		f = parseAtom(t, env.h, tc.path)
		entries = entryTitles(f)
		c, ok := entries["rounds/r1/revisions/2"]
		if !ok || c.title() != tc.title || c.Summary[0].Body != tc.summary || c.Updated[0] != "2026-08-15T14:00:00+09:00" {
			t.Errorf("%s: correction entry = %+v", tc.path, c)
		}
		if f.Entries[0].id() != c.id() || f.Updated[0] != "2026-08-15T14:00:00+09:00" {
			t.Errorf("%s: the correction is not the newest entry", tc.path)
		}
		// t3 now advances and t2 is out: the team entries follow the latest revision.
		if _, ok := entries["rounds/r1/teams/t3"]; ok {
			t.Errorf("%s: t3 still listed as eliminated", tc.path)
		}
		if e, ok := entries["rounds/r1/teams/t2"]; !ok || e.Updated[0] != "2026-08-15T14:00:00+09:00" {
			t.Errorf("%s: t2's elimination by the correction = %+v", tc.path, e)
		}
	}
}
