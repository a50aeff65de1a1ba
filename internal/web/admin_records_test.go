package web_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

var (
	textareaRe = regexp.MustCompile(`(?s)<textarea([^>]*)>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select([^>]*)>(.*?)</select>`)
	optionRe   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
	checkedRe  = regexp.MustCompile(`\schecked[\s/>]`)
)

// formHTML returns the inside of the form marked data-testid=id.
func formHTML(t *testing.T, body, id string) string {
	t.Helper()
	for _, m := range formRe.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return m[2]
		}
	}
	t.Fatalf("no form %q in the page", id)
	return ""
}

// fillForm returns what a browser would submit from the form marked
// data-testid=id untouched: its inputs (ticked checkboxes only), textareas
// and the chosen option of each select.
func fillForm(t *testing.T, body, id string) url.Values {
	t.Helper()
	inner := formHTML(t, body, id)
	vals := url.Values{}
	for _, tag := range inputRe.FindAllString(inner, -1) {
		name, typ := attr(tag, "name"), attr(tag, "type")
		if name == "" || typ == "file" || (typ == "checkbox" && !checkedRe.MatchString(tag)) {
			continue
		}
		vals.Add(name, attr(tag, "value"))
	}
	for _, m := range textareaRe.FindAllStringSubmatch(inner, -1) {
		vals.Add(attr(m[1], "name"), html.UnescapeString(m[2]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(inner, -1) {
		opts := optionRe.FindAllStringSubmatch(m[2], -1)
		if len(opts) == 0 {
			continue
		}
		chosen := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				chosen = o[1]
			}
		}
		vals.Set(attr(m[1], "name"), html.UnescapeString(chosen))
	}
	return vals
}

// wantForm checks that the form id of a response shows each value as typed
// and a message containing the given text on each field.
func wantForm(t *testing.T, r response, id string, values map[string]string, errs map[string]string) {
	t.Helper()
	got := fillForm(t, r.body, id)
	for name, want := range values {
		if got.Get(name) != want {
			t.Errorf("form %s: %s = %q, want the typed %q", id, name, got.Get(name), want)
		}
	}
	inner := formHTML(t, r.body, id)
	for name, msg := range errs {
		re := regexp.MustCompile(`(?s)data-testid="error-` + regexp.QuoteMeta(name) + `">([^<]*)<`)
		m := re.FindStringSubmatch(inner)
		switch {
		case m == nil:
			t.Errorf("form %s: no message on %s", id, name)
		case !strings.Contains(html.UnescapeString(m[1]), msg):
			t.Errorf("form %s: message on %s is %q, want it to contain %q", id, name, html.UnescapeString(m[1]), msg)
		}
	}
	for name := range got {
		if _, want := errs[name]; !want && strings.Contains(inner, `data-testid="error-`+name+`"`) {
			t.Errorf("form %s: unexpected message on %s", id, name)
		}
	}
}

// wantStatus fails the test unless r has the status.
func wantStatus(t *testing.T, what string, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: %d, want %d\n%s", what, r.status, status, r.body)
	}
}

// wantRedirect fails the test unless r is a 303 to location.
func wantRedirect(t *testing.T, what string, r response, location string) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.header.Get("Location") != location {
		t.Fatalf("%s: %d → %q, want 303 → %q\n%s", what, r.status, r.header.Get("Location"), location, r.body)
	}
}

// wantConflict checks a 409 page: the conflict box of id shows the typed
// and the saved value of a field, and the form still holds the typed one.
func wantConflict(t *testing.T, r response, box, formID, field, yours, current string) {
	t.Helper()
	wantStatus(t, "stale save", r, http.StatusConflict)
	i := strings.Index(r.body, `data-testid="conflict-`+box+`"`)
	if i < 0 {
		t.Fatalf("409 page has no conflict box %s", box)
	}
	seg := r.body[i:]
	if j := strings.Index(seg, "</table>"); j >= 0 {
		seg = seg[:j]
	}
	if !strings.Contains(seg, `data-testid="conflict-yours">`+html.EscapeString(yours)+`<`) ||
		!strings.Contains(seg, `data-testid="conflict-current">`+html.EscapeString(current)+`<`) {
		t.Errorf("conflict box %s does not show yours %q and saved %q:\n%s", box, yours, current, seg)
	}
	if got := fillForm(t, r.body, formID).Get(field); got != yours {
		t.Errorf("409 form %s: %s = %q, want the typed %q", formID, field, got, yours)
	}
}

// Organizations: create and edit through the forms; a refused form keeps
// what was typed with a message per field in Korean and in English; a
// taken slug is a message on the slug; a stale edit is 409 with both
// values and changes nothing; saving the conflict form again is deliberate
// and wins.
func TestRecordsOrganizations(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.120", adminEmail)

	page := c.get("/admin/organizations")
	wantStatus(t, "organizations", page, http.StatusOK)
	if !strings.Contains(page.body, `data-testid="org-org-a"`) {
		t.Fatal("the list lacks org-a")
	}
	form := fillForm(t, page.body, "org-create-form")
	setForm(form, map[string]string{"slug": "Bad Slug", "name_ko": "라 기관", "kind": "university"})
	before := env.dump()
	c.postRefused(t, "invalid organization", "/admin/organizations", form, http.StatusUnprocessableEntity, "org-create-form",
		map[string]string{"slug": "Bad Slug", "name_ko": "라 기관", "name_en": "", "kind": "university"},
		map[string]string{"slug": "영문 소문자", "name_en": "필수 항목입니다"})
	r := c.post("/en/admin/organizations", form)
	wantStatus(t, "invalid organization (en)", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, `<html lang="en">`) {
		t.Error("the English form is not in English")
	}
	wantForm(t, r, "org-create-form",
		map[string]string{"slug": "Bad Slug", "name_ko": "라 기관", "kind": "university"},
		map[string]string{"slug": "must be a slug", "name_en": "required"})

	form.Set("slug", "org-a")
	form.Set("name_en", "Org D")
	r = c.postRefused(t, "taken slug", "/admin/organizations", form, http.StatusUnprocessableEntity, "org-create-form", map[string]string{"slug": "org-a", "name_en": "Org D"}, map[string]string{"slug": "이미 쓰이는 식별자"})
	env.wantUnchanged(t, before, "refused forms changed the database")

	form.Set("slug", "org-d")
	wantRedirect(t, "create organization", c.post("/admin/organizations", form), "/admin/organizations")
	page = c.get("/admin/organizations")
	if !strings.Contains(page.body, `data-testid="flash"`) || !strings.Contains(page.body, `data-testid="org-org-d"`) {
		t.Fatal("the new organization is not listed with a notice")
	}

	edit, stale := c.formAt(t, "/admin/organizations/org-d", "org-edit-form")
	mine := fillForm(t, edit.body, "org-edit-form")
	mine.Set("name_en", "Org Delta")
	mine.Set("kind", "research_institute")
	wantRedirect(t, "update organization", c.post("/admin/organizations/org-d", mine), "/admin/organizations")
	o, err := env.store.Organization(t.Context(), "org-d")
	if err != nil || o.Name.EN != "Org Delta" || o.Kind != "research_institute" {
		t.Fatalf("saved %+v, %v", o, err)
	}

	// A colleague's form, made before that save.
	before = env.dump()
	stale.Set("name_en", "Org Dee")
	r = c.post("/admin/organizations/org-d", stale)
	wantConflict(t, r, "org", "org-edit-form", "name_en", "Org Dee", "Org Delta")
	if !strings.Contains(r.body, "그사이 다른 사람이") {
		t.Error("the 409 page does not say someone else changed the record")
	}
	env.wantUnchanged(t, before, "a stale save changed the database")
	// The English page says it in English.
	r = c.post("/en/admin/organizations/org-d", stale)
	wantConflict(t, r, "org", "org-edit-form", "name_en", "Org Dee", "Org Delta")
	if !strings.Contains(r.body, "Someone else changed this record") {
		t.Error("the English 409 page does not explain the conflict")
	}
	// Saving the conflict form again replaces the saved values on purpose.
	again := fillForm(t, r.body, "org-edit-form")
	wantRedirect(t, "deliberate save", c.post("/en/admin/organizations/org-d", again), "/en/admin/organizations")
	if o, _ := env.store.Organization(t.Context(), "org-d"); o.Name.EN != "Org Dee" {
		t.Errorf("after the deliberate save the name is %q", o.Name.EN)
	}
	env.wantAudit(t, "organization.update", 2)
	env.wantAudit(t, "organization.create", 1)
	if r := c.get("/admin/organizations/nobody"); r.status != http.StatusNotFound {
		t.Errorf("unknown organization: %d", r.status)
	}
}

// Teams and members: a new team appears on the public pages, its edits
// and members too; refused and stale forms keep what was typed.
func TestRecordsTeams(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.121", adminEmail)

	_, form := c.formAt(t, "/admin/teams", "team-create-form")
	setForm(form, map[string]string{"slug": "t4", "name_ko": "라팀", "model_note_en": "A 32B model"})
	before := env.dump()
	c.postRefused(t, "invalid team", "/admin/teams", form, http.StatusUnprocessableEntity, "team-create-form",
		map[string]string{"slug": "t4", "name_ko": "라팀", "model_note_en": "A 32B model"},
		map[string]string{"name_en": "필수 항목입니다", "lead": "필수 항목입니다", "model_note_ko": "한국어로도"})
	r := c.post("/en/admin/teams", form)
	wantForm(t, r, "team-create-form", map[string]string{"model_note_en": "A 32B model"},
		map[string]string{"name_en": "required", "lead": "required", "model_note_ko": "required when the English text is given"})
	env.wantUnchanged(t, before, "refused forms changed the database")

	setForm(form, map[string]string{"name_en": "Team Four", "lead": "org-c", "model_note_ko": "32B 모델", "model": "Four-1"})
	wantRedirect(t, "create team", c.post("/admin/teams", form), "/admin/teams/t4")
	if pub := c.get("/teams"); !strings.Contains(pub.body, "라팀") {
		t.Error("the new team is not on /teams")
	}
	if pub := c.get("/en/teams/t4"); pub.status != http.StatusOK || !strings.Contains(pub.body, "Team Four") || !strings.Contains(pub.body, "Four-1") {
		t.Errorf("/en/teams/t4: %d", pub.status)
	}
	form.Set("slug", "t1")
	c.postRefused(t, "taken team slug", "/admin/teams", form, http.StatusUnprocessableEntity, "team-create-form", map[string]string{"slug": "t1"}, map[string]string{"slug": "이미 쓰이는 식별자"})

	// Edit the team.
	edit, stale := c.formAt(t, "/admin/teams/t4", "team-edit-form")
	mine := fillForm(t, edit.body, "team-edit-form")
	mine.Set("name_ko", "라팀 컨소시엄")
	wantRedirect(t, "update team", c.post("/admin/teams/t4", mine), "/admin/teams/t4")
	if pub := c.get("/teams/t4"); !strings.Contains(pub.body, "라팀 컨소시엄") {
		t.Error("the edited name is not on /teams/t4")
	}
	before = env.dump()
	stale.Set("model", "Four-2")
	wantConflict(t, c.post("/admin/teams/t4", stale), "team", "team-edit-form", "model", "Four-2", "Four-1")
	env.wantUnchanged(t, before, "a stale team save changed the database")

	// Members: add with a refused date order, then right.
	edit = c.get("/admin/teams/t4")
	add := fillForm(t, edit.body, "member-add-form")
	if add.Get("role") != "participant" || add.Get("confidence") != "confirmed" {
		t.Errorf("member form defaults: %v", add)
	}
	setForm(add, map[string]string{"org": "org-a", "since": "2026-03-01", "until": "2026-01-01", "note_ko": "데이터 제공"})
	c.postRefused(t, "invalid member", "/admin/teams/t4/members", add, http.StatusUnprocessableEntity, "member-add-form",
		map[string]string{"org": "org-a", "since": "2026-03-01", "until": "2026-01-01", "note_ko": "데이터 제공"},
		map[string]string{"until": "시작일(2026-03-01)보다 앞설 수 없습니다", "note_en": "영어로도"})
	setForm(add, map[string]string{"until": "", "note_en": "Provides data", "role": "data_partner"})
	wantRedirect(t, "add member", c.post("/admin/teams/t4/members", add), "/admin/teams/t4")
	c.postRefused(t, "member twice", "/admin/teams/t4/members", add, http.StatusUnprocessableEntity, "member-add-form", map[string]string{"org": "org-a", "role": "data_partner"}, map[string]string{"org": "이미 이 팀의 구성원"})
	if pub := c.get("/en/teams/t4"); !strings.Contains(pub.body, "Org A") {
		t.Error("the new member is not on /en/teams/t4")
	}

	edit = c.get("/admin/teams/t4")
	mf := fillForm(t, edit.body, "member-form-org-a")
	staleMember := fillForm(t, edit.body, "member-form-org-a")
	removeStale := fillForm(t, edit.body, "member-remove-org-a")
	mf.Set("confidence", "reported")
	wantRedirect(t, "update member", c.post("/admin/teams/t4/members/org-a", mf), "/admin/teams/t4")
	staleMember.Set("role", "advisor")
	r = c.post("/admin/teams/t4/members/org-a", staleMember)
	wantConflict(t, r, "member-org-a", "member-form-org-a", "role", "advisor", "data_partner")
	if !strings.Contains(r.body, `<details class="record-edit" open`) {
		t.Error("the member form with the conflict is folded")
	}
	// Removing with the old version is refused too.
	before = env.dump()
	wantStatus(t, "stale remove", c.post("/admin/teams/t4/members/org-a/remove", removeStale), http.StatusConflict)
	env.wantUnchanged(t, before, "stale member writes changed the database")
	edit = c.get("/admin/teams/t4")
	wantRedirect(t, "remove member", c.post("/admin/teams/t4/members/org-a/remove", fillForm(t, edit.body, "member-remove-org-a")), "/admin/teams/t4")
	tr, err := env.store.Team(t.Context(), "console-test", "t4")
	if err != nil || len(tr.Members) != 0 || tr.Name.KO != "라팀 컨소시엄" {
		t.Fatalf("team after the edits: %+v, %v", tr, err)
	}
	for action, want := range map[string]int{"team.create": 1, "team.update": 1, "membership.add": 1, "membership.update": 1, "membership.remove": 1} {
		if n := env.auditCount(action); n != want {
			t.Errorf("%d %s events, want %d", n, action, want)
		}
	}
}

// Every new record page is for admins: the anonymous are sent to sign in,
// scorers are refused.
func TestRecordsPagesAdminOnly(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "https://portal.example")
	if _, err := env.store.CreateBudget(context.Background(), "console-test", budgetFixture(), adminActor); err != nil {
		t.Fatal(err)
	}
	anon := env.client("198.51.100.8")
	scorer := env.signedIn("192.0.2.122", scorerEmail)
	admin := env.signedIn("192.0.2.123", adminEmail)
	for _, path := range recordPages {
		for _, lang := range []string{"", "/en"} {
			p := lang + path
			r := anon.get(p)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != i18n.Localize(langOf(lang), "/login")+"?next="+url.QueryEscape(p) {
				t.Errorf("anonymous GET %s: %d → %q", p, r.status, r.header.Get("Location"))
			}
			if r := scorer.get(p); r.status != http.StatusForbidden || !strings.Contains(r.body, `data-testid="error-403"`) {
				t.Errorf("scorer GET %s: %d, want 403", p, r.status)
			}
			r = admin.get(p)
			if r.status != http.StatusOK {
				t.Errorf("admin GET %s: %d", p, r.status)
				continue
			}
			if i := strings.Index(r.body, "⟦"); i >= 0 {
				t.Errorf("%s: untranslated message near %q", p, r.body[i:min(len(r.body), i+60)])
			}
			if strings.Contains(r.body, "<script") || strings.Contains(r.body, " style=") {
				t.Errorf("%s: inline script or style", p)
			}
			if cc := r.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: Cache-Control %q", p, cc)
			}
			checkSecurityHeaders(t, p, r, true)
		}
	}
	// Scorers see no way to the record pages; admins do.
	r := scorer.get("/admin")
	for _, id := range []string{"admin-nav-teams", "admin-nav-organizations", "admin-nav-budgets", "new-round", "edit-round-r1"} {
		if strings.Contains(r.body, `data-testid="`+id+`"`) {
			t.Errorf("the scorer's dashboard shows %s", id)
		}
	}
	if r := scorer.get("/admin/rounds/r1"); strings.Contains(r.body, `data-testid="edit-round"`) {
		t.Error("the scorer's round page links to its settings")
	}
	r = admin.get("/admin")
	for _, id := range []string{"admin-nav-teams", "admin-nav-organizations", "admin-nav-budgets", "new-round", "edit-round-r1"} {
		if !strings.Contains(r.body, `data-testid="`+id+`"`) {
			t.Errorf("the admin's dashboard lacks %s", id)
		}
	}
	if r := admin.get("/admin/rounds/r1"); !strings.Contains(r.body, `data-testid="edit-round"`) {
		t.Error("the round page does not link to its settings")
	}
}

// recordPages are the record pages of the console fixture.
var recordPages = []string{
	"/admin/organizations", "/admin/organizations/org-a", "/admin/teams", "/admin/teams/t1",
	"/admin/rounds/new", "/admin/rounds/r1/edit", "/admin/rounds/r2/edit", "/admin/budgets", "/admin/budgets/2026",
}

func langOf(prefix string) i18n.Lang {
	if prefix == "/en" {
		return i18n.EN
	}
	return i18n.KO
}

// The message ids the record pages build from field names and codes exist
// in both languages.
func TestRecordsDynamicMessages(t *testing.T) {
	t.Parallel()
	wantMessages(t, map[string][]string{
		"records.field.": {
			"slug", "name_ko", "name_en", "kind", "lead", "model", "model_note_ko", "model_note_en", "goal_ko", "goal_en",
			"note_ko", "note_en", "org", "role", "since", "until", "confidence", "period", "evaluated_on", "announce_at",
			"announce_date_only", "advance", "backfill", "min_total", "code", "parent", "description_ko", "description_en",
			"max", "panel_size", "aggregate", "year", "amount_krw", "team", "gpu_model", "quantity",
		},
		"records.invalid.taken.": {"slug", "code", "org", "team", "year"},
		"records.confidence.":    {"confirmed", "reported", "conflicting"},
		"records.nav.":           {"teams", "organizations", "budgets"},
	})
}

// seedRecords adds what the record routes of the route table act on: two
// memberships (t1 ← org-b, t2 ← org-c) and the 2026 budget with two
// allocations.
func seedRecords(e *consoleEnv) {
	e.t.Helper()
	ctx := context.Background()
	for team, org := range map[string]string{"t1": "org-b", "t2": "org-c"} {
		if _, err := e.store.AddMember(ctx, "console-test", team, postgres.MemberRecord{Org: org}, adminActor); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := e.store.CreateBudget(ctx, "console-test", budgetFixture(), adminActor); err != nil {
		e.t.Fatal(err)
	}
	for _, kind := range []string{"gpu", "data"} {
		if _, err := e.store.CreateAllocation(ctx, "console-test", 2026, postgres.AllocationRecord{Team: "t1", Kind: kind}, adminActor); err != nil {
			e.t.Fatal(err)
		}
	}
}

// recordRefs are the versions and ids the record routes of the route table
// name, read from the database (after seedRecords).
type recordRefs struct {
	org, team, round, nia, global, member1, member2, budget string
	alloc1, alloc2, alloc1Version, alloc2Version            string
}

func recordRefsOf(e *consoleEnv) recordRefs {
	e.t.Helper()
	ctx := context.Background()
	itoa := strconv.Itoa
	var refs recordRefs
	o, err1 := e.store.Organization(ctx, "org-a")
	t1, err2 := e.store.Team(ctx, "console-test", "t1")
	t2, err3 := e.store.Team(ctx, "console-test", "t2")
	rd, err4 := e.store.RoundRecord(ctx, "console-test", "r1")
	crits, err5 := e.store.Criteria(ctx, "console-test", "r1")
	b, err6 := e.store.Budget(ctx, "console-test", 2026)
	if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
		e.t.Fatal(err)
	}
	if len(t1.Members) != 1 || len(t2.Members) != 1 || len(b.Allocations) != 2 {
		e.t.Fatal("the route table needs seedRecords")
	}
	refs.org, refs.team, refs.round, refs.budget = itoa(o.Version), itoa(t1.Version), itoa(rd.Version), itoa(b.Version)
	refs.member1, refs.member2 = itoa(t1.Members[0].Version), itoa(t2.Members[0].Version)
	for _, c := range crits {
		switch c.Code {
		case "nia":
			refs.nia = itoa(c.Version)
		case "global":
			refs.global = itoa(c.Version)
		}
	}
	a1, a2 := b.Allocations[0], b.Allocations[1]
	refs.alloc1, refs.alloc2 = strconv.FormatInt(a1.ID, 10), strconv.FormatInt(a2.ID, 10)
	refs.alloc1Version, refs.alloc2Version = itoa(a1.Version), itoa(a2.Version)
	return refs
}

// recordRoutes are the state-changing record routes with a form that
// changes the database when an admin sends it, in an order in which each
// still does.
func recordRoutes(e *consoleEnv) []stateRoute {
	refs := recordRefsOf(e)
	return []stateRoute{
		{"/admin/organizations", url.Values{"slug": {"org-z"}, "name_ko": {"하 기관"}, "name_en": {"Org Z"}, "kind": {"company"}}, true},
		{"/admin/organizations/org-a", url.Values{"slug": {"org-a"}, "name_ko": {"가 기관"}, "name_en": {"Org Alpha"}, "kind": {"company"}, "version": {refs.org}}, true},
		{"/admin/teams", url.Values{"slug": {"t9"}, "name_ko": {"구팀"}, "name_en": {"Team Nine"}, "lead": {"org-a"}}, true},
		{"/admin/teams/t1", url.Values{"slug": {"t1"}, "name_ko": {"가팀"}, "name_en": {"Team Uno"}, "lead": {"org-a"}, "version": {refs.team}}, true},
		{"/admin/teams/t1/members", url.Values{"org": {"org-c"}, "role": {"participant"}, "confidence": {"confirmed"}}, true},
		{"/admin/teams/t1/members/org-b", url.Values{"role": {"advisor"}, "confidence": {"reported"}, "version": {refs.member1}}, true},
		{"/admin/teams/t2/members/org-c/remove", url.Values{"version": {refs.member2}}, true},
		{"/admin/rounds/new", url.Values{"slug": {"r9"}, "kind": {"stage"}, "name_ko": {"9차"}, "name_en": {"Ninth"}, "advance": {"1"}}, true},
		{"/admin/rounds/r1/edit", url.Values{"slug": {"r1"}, "kind": {"stage"}, "name_ko": {"1차 평가"}, "name_en": {"First evaluation"},
			"announce_at": {"2030-01-15T14:00"}, "advance": {"3"}, "version": {refs.round}}, true},
		{"/admin/rounds/r1/criteria", url.Values{"code": {"user"}, "name_ko": {"사용자"}, "name_en": {"Users"}, "max": {"10"}}, true},
		{"/admin/rounds/r1/criteria/nia", url.Values{"code": {"nia"}, "parent": {"bench"}, "name_ko": {"NIA 벤치마크"}, "name_en": {"NIA benchmark"},
			"max": {"25"}, "version": {refs.nia}}, true},
		{"/admin/rounds/r1/criteria/global/delete", url.Values{"version": {refs.global}}, true},
		{"/admin/rounds/r1/entries/t3/remove", url.Values{}, true},
		{"/admin/rounds/r1/entries", url.Values{"team": {"t9"}}, true},
		{"/admin/budgets", url.Values{"year": {"2027"}, "amount_krw": {"210,000,000,000"}, "confidence": {"reported"}}, true},
		{"/admin/budgets/2026", url.Values{"year": {"2026"}, "amount_krw": {"190,000,000,000"}, "confidence": {"confirmed"}, "version": {refs.budget}}, true},
		{"/admin/budgets/2026/allocations", url.Values{"team": {"t2"}, "kind": {"gpu"}, "gpu_model": {"H100"}, "quantity": {"512"}}, true},
		{"/admin/budgets/2026/allocations/" + refs.alloc1, url.Values{"team": {"t1"}, "kind": {"gpu"}, "gpu_model": {"B200"}, "version": {refs.alloc1Version}}, true},
		{"/admin/budgets/2026/allocations/" + refs.alloc2 + "/delete", url.Values{"version": {refs.alloc2Version}}, true},
		{"/en/admin/organizations", url.Values{"slug": {"org-y"}, "name_ko": {"파 기관"}, "name_en": {"Org Y"}, "kind": {"startup"}}, true},
	}
}

// Each record route of the route table really changes the record when the
// admin sends its form, so the refusals the route table checks are real.
func TestRecordsRouteTableIsReal(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "https://portal.example")
	seedRecords(env)
	admin := env.signedIn("192.0.2.124", adminEmail)
	for _, rt := range recordRoutes(env) {
		before := env.dump()
		r := admin.post(rt.path, rt.form)
		if r.status != http.StatusSeeOther {
			t.Errorf("admin POST %s: %d, want 303\n%s", rt.path, r.status, r.body)
			continue
		}
		if cmp.Equal(before, env.dump()) {
			t.Errorf("admin POST %s changed nothing", rt.path)
		}
	}
}
