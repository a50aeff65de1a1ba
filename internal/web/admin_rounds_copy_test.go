package web_test

import (
	"net/http"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/postgres"
)

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

	form.Set("slug", "r4")
	form.Set("name_ko", "4차 평가")
	form.Set("name_en", "Fourth evaluation")
	form.Set("advance", "1")
	form.Set("copy_from", "r9")
	before := env.dump()
	r := c.postRefused(t, "unknown source round", "/admin/rounds/new", form, http.StatusUnprocessableEntity, "round-create-form", map[string]string{"slug": "r4"}, map[string]string{"copy_from": "이 사업에 없는 라운드입니다"})
	env.wantUnchanged(t, before, "a refused copy changed the database")

	form.Set("copy_from", "r1")
	r = c.post("/admin/rounds/new", form)
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
