package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/postgres"
)

// Rounds: create one through the form (announcement in KST, rule), edit
// it, and refuse what is wrong field by field in both languages; a stale
// edit is 409 with both values; a closed round keeps its rule.
func TestRecordsRounds(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.130", adminEmail)

	_, form := c.formAt(t, "/admin/rounds/new", "round-create-form")
	wantValues(t, "new round", form, map[string]string{"kind": "stage"})
	setForm(form, map[string]string{"slug": "r4", "name_ko": "4차 평가", "period": "2031H2", "announce_at": "2031-13-40T25:00", "advance": "two", "min_total": "60.123", "backfill": "1", "note_ko": "추가 공모 뒤 첫 평가"})
	before := env.dump()
	c.postRefused(t, "unreadable round", "/admin/rounds/new", form, http.StatusUnprocessableEntity, "round-create-form",
		map[string]string{"slug": "r4", "name_ko": "4차 평가", "announce_at": "2031-13-40T25:00", "advance": "two", "min_total": "60.123", "backfill": "1", "note_ko": "추가 공모 뒤 첫 평가"},
		map[string]string{"announce_at": "날짜와 시각", "advance": "정수"})
	form.Set("announce_at", "2031-07-15T14:00")
	form.Set("advance", "2")
	c.postRefused(t, "invalid round", "/admin/rounds/new", form, http.StatusUnprocessableEntity, "round-create-form",
		map[string]string{"announce_at": "2031-07-15T14:00", "advance": "2", "min_total": "60.123", "backfill": "1"},
		map[string]string{"name_en": "필수 항목입니다", "min_total": "소수점 아래 두 자리", "note_en": "영어로도"})
	c.postRefused(t, "invalid round (en)", "/en/admin/rounds/new", form, http.StatusUnprocessableEntity, "round-create-form", map[string]string{"min_total": "60.123"},
		map[string]string{"name_en": "required", "min_total": "at most two decimals", "note_en": "required when the Korean text is given"})
	setForm(form, map[string]string{"name_en": "Fourth evaluation", "min_total": "60", "note_en": "First evaluation after the additional call", "slug": "new"})
	wantForm(t, c.post("/admin/rounds/new", form), "round-create-form", map[string]string{"slug": "new"}, map[string]string{"slug": `"new"`})
	form.Set("slug", "r1")
	c.postRefused(t, "taken round slug", "/admin/rounds/new", form, http.StatusUnprocessableEntity, "round-create-form", map[string]string{"slug": "r1"}, map[string]string{"slug": "이미 쓰이는 식별자"})
	env.wantUnchanged(t, before, "refused round forms changed the database")

	form.Set("slug", "r4")
	wantRedirect(t, "create round", c.post("/admin/rounds/new", form), "/admin/rounds/r4/edit")
	rd, err := env.store.RoundRecord(t.Context(), "console-test", "r4")
	if err != nil {
		t.Fatal(err)
	}
	wantAt := time.Date(2031, 7, 15, 5, 0, 0, 0, time.UTC)
	if rd.AnnounceAt == nil || !rd.AnnounceAt.Equal(wantAt) || rd.AnnounceDateOnly || rd.Advance != 2 || !rd.Backfill || rd.MinTotal != "60.00" || rd.Status != "draft" {
		t.Fatalf("created round %+v", rd)
	}
	if r := c.get("/admin"); !strings.Contains(r.body, `data-testid="admin-round-r4"`) || !strings.Contains(r.body, `data-testid="flash"`) {
		t.Error("the new round is not on the dashboard, or no notice says it was created")
	}

	// Edit: the announcement becomes a day only, the rule changes.
	edit, mine := c.formAt(t, "/admin/rounds/r4/edit", "round-edit-form")
	stale := fillForm(t, edit.body, "round-edit-form")
	if mine.Get("announce_at") != "2031-07-15T14:00" || mine.Get("backfill") != "1" || mine.Get("min_total") != "60.00" {
		t.Fatalf("edit form shows %v", mine)
	}
	mine.Set("advance", "3")
	mine.Set("announce_date_only", "1")
	wantRedirect(t, "update round", c.post("/admin/rounds/r4/edit", mine), "/admin/rounds/r4/edit")
	rd, _ = env.store.RoundRecord(t.Context(), "console-test", "r4")
	if rd.Advance != 3 || !rd.AnnounceDateOnly || !rd.AnnounceAt.Equal(time.Date(2031, 7, 14, 15, 0, 0, 0, time.UTC)) {
		t.Fatalf("updated round: advance %d, announce %v (date only %v)", rd.Advance, rd.AnnounceAt, rd.AnnounceDateOnly)
	}
	before = env.dump()
	stale.Set("name_en", "Evaluation four")
	r := c.post("/admin/rounds/r4/edit", stale)
	wantConflict(t, r, "round", "round-edit-form", "advance", "2", "3")
	wantConflict(t, r, "round", "round-edit-form", "name_en", "Evaluation four", "Fourth evaluation")
	env.wantUnchanged(t, before, "a stale round save changed the database")

	// A closed round keeps its rule; the message says why.
	if r := c.post("/admin/rounds/r2/close", nil); r.status != http.StatusSeeOther {
		t.Fatalf("close r2: %d", r.status)
	}
	edit = c.get("/admin/rounds/r2/edit")
	if !strings.Contains(edit.body, `data-testid="round-locked"`) || strings.Contains(edit.body, `data-testid="criterion-create-form"`) {
		t.Error("the closed round's page does not say what is locked, or offers criteria forms")
	}
	closed := fillForm(t, edit.body, "round-edit-form")
	closed.Set("advance", "1")
	before = env.dump()
	r = c.post("/admin/rounds/r2/edit", closed)
	wantStatus(t, "rule of a closed round", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "채점이 마감된 라운드입니다") {
		t.Error("the refusal does not explain the closed round")
	}
	wantForm(t, r, "round-edit-form", map[string]string{"advance": "1"}, nil)
	r = c.post("/en/admin/rounds/r2/criteria", mapForm(map[string]string{"code": "c", "name_ko": "다", "name_en": "C", "max": "10"}))
	wantStatus(t, "criterion of a closed round", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "Scoring of this round is closed") {
		t.Error("the English refusal does not explain the closed round")
	}
	env.wantUnchanged(t, before, "refused writes to a closed round changed the database")
	// Its note may still change.
	setForm(closed, map[string]string{"advance": "2", "note_ko": "마감 후 메모", "note_en": "Note after closing"})
	wantRedirect(t, "note of a closed round", c.post("/admin/rounds/r2/edit", closed), "/admin/rounds/r2/edit")
}

// Criteria and entries of a round: the tree with categories, leaves and
// panels, edited and deleted through the forms, with the store's refusals
// on their fields.
func TestRecordsCriteriaAndEntries(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.131", adminEmail)

	edit := c.get("/admin/rounds/r1/edit")
	wantStatus(t, "r1 edit", edit, http.StatusOK)
	for _, code := range []string{"bench", "nia", "global", "expert"} {
		if !strings.Contains(edit.body, `data-testid="criterion-`+code+`"`) {
			t.Errorf("the tree lacks %s", code)
		}
	}
	add := fillForm(t, edit.body, "criterion-create-form")
	setForm(add, map[string]string{"code": "total", "name_ko": "사용자 평가", "max": "abc", "panel_size": "2", "aggregate": "trimmed_mean"})
	before := env.dump()
	r := c.postRefused(t, "invalid criterion", "/admin/rounds/r1/criteria", add, http.StatusUnprocessableEntity, "criterion-create-form",
		map[string]string{"code": "total", "name_ko": "사용자 평가", "max": "abc", "panel_size": "2", "aggregate": "trimmed_mean"},
		map[string]string{"code": "예약어", "name_en": "필수 항목입니다", "max": "소수점", "aggregate": "3명 이상"})
	if !strings.Contains(r.body, `<option value="trimmed_mean" selected>`) {
		t.Error("the chosen aggregate is not kept")
	}
	r = c.post("/en/admin/rounds/r1/criteria", add)
	wantForm(t, r, "criterion-create-form", map[string]string{"code": "total"},
		map[string]string{"code": `"total" is reserved`, "name_en": "required", "max": "decimal", "aggregate": "at least 3"})
	add.Set("panel_size", "many")
	wantForm(t, c.post("/admin/rounds/r1/criteria", add), "criterion-create-form", map[string]string{"panel_size": "many"}, map[string]string{"panel_size": "정수"})
	env.wantUnchanged(t, before, "refused criteria changed the database")

	setForm(add, map[string]string{"code": "user", "name_en": "User panel", "max": "25", "panel_size": "5"})
	wantRedirect(t, "create criterion", c.post("/admin/rounds/r1/criteria", add), "/admin/rounds/r1/edit")
	// The confirmation names the criterion, with no particle to guess.
	if got := selText(t, c.get("/admin/rounds/r1/edit").body, testid("flash")); got != "평가 항목을 추가했습니다: "+add.Get("name_ko") {
		t.Errorf("flash = %q", got)
	}
	leaf := mapForm(map[string]string{"code": "kmmlu", "parent": "bench", "name_ko": "KMMLU", "name_en": "KMMLU", "max": "10"})
	r = c.post("/admin/rounds/r1/criteria", leaf)
	wantStatus(t, "sub-criterion over a sum", r, http.StatusSeeOther)
	r = c.postRefused(t, "taken code", "/admin/rounds/r1/criteria", leaf, http.StatusUnprocessableEntity, "criterion-create-form", map[string]string{"code": "kmmlu", "parent": "bench"}, map[string]string{"code": "이미 있는 항목 코드"})

	edit = c.get("/admin/rounds/r1/edit")
	cf := fillForm(t, edit.body, "criterion-form-nia")
	staleCF := fillForm(t, edit.body, "criterion-form-nia")
	staleDelete := fillForm(t, edit.body, "criterion-delete-kmmlu")
	if cf.Get("parent") != "bench" || cf.Get("max") != "30.00" {
		t.Fatalf("criterion form shows %v", cf)
	}
	setForm(cf, map[string]string{"max": "25", "description_ko": "국가 벤치마크", "description_en": "National benchmark"})
	wantRedirect(t, "update criterion", c.post("/admin/rounds/r1/criteria/nia", cf), "/admin/rounds/r1/edit")
	staleCF.Set("name_en", "NIA suite")
	r = c.post("/admin/rounds/r1/criteria/nia", staleCF)
	wantConflict(t, r, "criterion-nia", "criterion-form-nia", "max", "30.00", "25.00")
	if !strings.Contains(r.body, `<details class="record-edit" open`) {
		t.Error("the conflicting criterion form is folded")
	}
	// A category cannot be deleted while it has sub-criteria.
	edit = c.get("/admin/rounds/r1/edit")
	if strings.Contains(edit.body, `data-testid="criterion-delete-bench"`) {
		t.Error("a category with sub-criteria offers a delete button")
	}
	r = c.post("/admin/rounds/r1/criteria/bench/delete", mapForm(map[string]string{"version": fillForm(t, edit.body, "criterion-form-bench").Get("version")}))
	wantStatus(t, "delete a category", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "하위 항목이 있는 항목은 지울 수 없습니다") {
		t.Error("the refusal does not say why")
	}
	// Deleting a criterion edited since the page was made is refused.
	edit = c.get("/admin/rounds/r1/edit")
	kf := fillForm(t, edit.body, "criterion-form-kmmlu")
	kf.Set("max", "12")
	wantRedirect(t, "update kmmlu", c.post("/admin/rounds/r1/criteria/kmmlu", kf), "/admin/rounds/r1/edit")
	wantStatus(t, "stale delete", c.post("/admin/rounds/r1/criteria/kmmlu/delete", staleDelete), http.StatusConflict)
	edit = c.get("/admin/rounds/r1/edit")
	wantRedirect(t, "delete criterion", c.post("/admin/rounds/r1/criteria/kmmlu/delete", fillForm(t, edit.body, "criterion-delete-kmmlu")), "/admin/rounds/r1/edit")
	crits, err := env.store.Criteria(t.Context(), "console-test", "r1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cr := range crits {
		got = append(got, cr.Code+"/"+cr.Parent+"/"+cr.Max)
	}
	if diff := cmp.Diff([]string{"bench//50.00", "nia/bench/25.00", "global/bench/20.00", "expert//50.00", "user//25.00"}, got); diff != "" {
		t.Errorf("criteria tree (-want +got):\n%s", diff)
	}
	if user := crits[4]; user.PanelSize != 5 || user.Aggregate != "trimmed_mean" {
		t.Errorf("user panel: %d %s", user.PanelSize, user.Aggregate)
	}

	// Entries: r3 has t1 and t2; t3 joins and leaves, a team with scores stays.
	edit = c.get("/admin/rounds/r3/edit")
	ef := fillForm(t, edit.body, "entry-add-form")
	wantForm(t, c.post("/admin/rounds/r3/entries", ef), "entry-add-form", nil, map[string]string{"team": "필수 항목입니다"})
	ef.Set("team", "t3")
	wantRedirect(t, "add entry", c.post("/admin/rounds/r3/entries", ef), "/admin/rounds/r3/edit")
	r = c.postRefused(t, "entry twice", "/admin/rounds/r3/entries", ef, http.StatusUnprocessableEntity, "entry-add-form", map[string]string{"team": "t3"}, map[string]string{"team": "이미 이 라운드에 참가한 팀"})
	r = c.post("/admin/rounds/r3/entries/t1/remove", nil)
	wantStatus(t, "remove a scored entry", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "점수 1개가 입력되어 있어") {
		t.Error("the refusal does not say the team has scores")
	}
	wantRedirect(t, "remove entry", c.post("/admin/rounds/r3/entries/t3/remove", nil), "/admin/rounds/r3/edit")
	rd, _ := env.store.RoundRecord(t.Context(), "console-test", "r3")
	if len(rd.Entries) != 2 {
		t.Errorf("r3 has %d entries, want 2", len(rd.Entries))
	}
	for action, want := range map[string]int{"criterion.create": 2, "criterion.update": 2, "criterion.delete": 1, "entry.add": 1, "entry.remove": 1} {
		if n := env.auditCount(action); n != want {
			t.Errorf("%d %s events, want %d", n, action, want)
		}
	}
}

// A new round starts from a copy of an earlier round's criteria tree: the
// new-round form offers the program's rounds by name, latest first, and
// creating the round copies the tree; an unknown round is refused on the
// field without creating anything.
func TestRoundCreateCopiesCriteria(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.131", adminEmail)

	page, form := c.formAt(t, "/admin/rounds/new", "round-create-form")
	opts := parseHTML(t, page.body).Find(`[data-testid="round-create-form"] select[name="copy_from"] option`)
	var labels, values []string
	opts.Each(func(_ int, o *goquery.Selection) {
		v, _ := o.Attr("value")
		values = append(values, v)
		labels = append(labels, textOf(o))
	})
	if diff := cmp.Diff([]string{"", "r3", "r2", "r1"}, values); diff != "" {
		t.Errorf("copy_from values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"복사하지 않음 (빈 평가 항목으로 시작)", "3차 평가", "2차 평가", "1차 평가"}, labels); diff != "" {
		t.Errorf("copy_from labels (-want +got):\n%s", diff)
	}
	if form.Get("copy_from") != "" {
		t.Errorf("copy_from preselected %q, want none", form.Get("copy_from"))
	}
	en := c.get("/en/admin/rounds/new")
	if got := textOf(one(t, en.body, `label[for="round-copy-from"]`)); got != "Copy the criteria of" {
		t.Errorf("English label %q", got)
	}
	if got := textOf(one(t, en.body, `#round-copy-from option[value="r1"]`)); got != "First evaluation" {
		t.Errorf("English option %q", got)
	}

	setForm(form, map[string]string{"slug": "r4", "name_ko": "4차 평가", "name_en": "Fourth evaluation", "advance": "1", "copy_from": "r9"})
	before := env.dump()
	c.postRefused(t, "unknown source round", "/admin/rounds/new", form, http.StatusUnprocessableEntity, "round-create-form", map[string]string{"slug": "r4"}, map[string]string{"copy_from": "이 사업에 없는 라운드입니다"})
	env.wantUnchanged(t, before, "a refused copy changed the database")

	form.Set("copy_from", "r1")
	r := c.post("/admin/rounds/new", form)
	wantRedirect(t, "create round with a copy", r, "/admin/rounds/r4/edit")
	edit := c.get("/admin/rounds/r4/edit")
	if got := selText(t, edit.body, testid("flash")); got != "4차 평가 라운드를 만들고 1차 평가의 평가 항목을 복사했습니다. 평가 항목을 확인하고 참가 팀을 넣으세요." {
		t.Errorf("flash %q", got)
	}
	for _, code := range []string{"bench", "nia", "global", "expert"} {
		one(t, edit.body, testid("criterion-"+code))
	}
	src, err := env.store.Criteria(t.Context(), "console-test", "r1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := env.store.Criteria(t.Context(), "console-test", "r4")
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Code, Parent, NameKO, NameEN, Max, Aggregate string
		Panel, Depth                                 int
	}
	nodes := func(cs []postgres.CriterionRecord) []node {
		var out []node
		for _, c := range cs {
			out = append(out, node{c.Code, c.Parent, c.Name.KO, c.Name.EN, c.Max, c.Aggregate, c.PanelSize, c.Depth})
		}
		return out
	}
	if diff := cmp.Diff(nodes(src), nodes(got)); diff != "" || len(got) != 4 {
		t.Errorf("r4 criteria (-r1 +r4):\n%s", diff)
	}
	env.wantAudit(t, "criteria.copy", 1)

	// Without a choice the round starts empty.
	form.Set("slug", "r5")
	form.Set("copy_from", "")
	wantRedirect(t, "create round without a copy", c.post("/admin/rounds/new", form), "/admin/rounds/r5/edit")
	if cs, err := env.store.Criteria(t.Context(), "console-test", "r5"); err != nil || len(cs) != 0 {
		t.Errorf("r5 criteria %v (%v), want none", cs, err)
	}
	env.wantAudit(t, "criteria.copy", 1)
}
