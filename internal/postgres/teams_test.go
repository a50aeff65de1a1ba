package postgres_test

import (
	"errors"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func TestManageTeamsAndMembers(t *testing.T) {
	store, pool, ctx := manageStore(t)

	teams := must(store.Teams(ctx, manageProgram)).val(t)
	if len(teams) != 16 || teams[0].Slug != "naver-cloud" {
		t.Fatalf("teams: %d, first %q", len(teams), teams[0].Slug)
	}
	lg := must(store.Team(ctx, manageProgram, "lg")).val(t)
	if lg.Lead != "lg-ai-research" || lg.Model == "" || len(lg.Members) == 0 {
		t.Errorf("lg = %+v", lg)
	}
	if _, err := store.Teams(ctx, "no-program"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown program: err = %v, want ErrNotFound", err)
	}

	// Create: appended after the program's teams.
	tm, err := store.CreateTeam(ctx, manageProgram, postgres.TeamRecord{
		Slug: "kakao-2", Name: contest.Text{KO: "카카오 2", EN: "Kakao 2"}, Lead: "kakao", Model: "Kanana",
		Goal: contest.Text{KO: "목표", EN: "Goal"}}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if tm.Position != teams[len(teams)-1].Position+1 || tm.LeadName.EN != "Kakao" || tm.Version != 1 {
		t.Errorf("created %+v", tm)
	}
	wantAudit(t, store, "team.create", 1, "team:kakao-2", nil, map[string]any{"slug": "kakao-2", "lead": "kakao", "model": "Kanana"})

	_, err = store.CreateTeam(ctx, manageProgram, postgres.TeamRecord{Slug: "x", Name: contest.Text{KO: "엑스"}, Lead: "no-such-org",
		Note: contest.Text{EN: "only English"}}, manageActor)
	wantFieldErrors(t, err, "name_en", "lead", "note_ko")
	_, err = store.CreateTeam(ctx, manageProgram, postgres.TeamRecord{Slug: "lg", Name: contest.Text{KO: "엘지", EN: "LG"}, Lead: "kakao"}, manageActor)
	if !errors.Is(err, contest.ErrConflict) {
		t.Errorf("duplicate team: err = %v, want ErrConflict", err)
	}

	// Update.
	tm.Model, tm.Lead = "Kanana 2", "kaist"
	up := must(store.UpdateTeam(ctx, manageProgram, "kakao-2", tm, manageActor)).val(t)
	if up.Model != "Kanana 2" || up.Lead != "kaist" || up.Version != 2 {
		t.Errorf("updated %+v", up)
	}
	wantAudit(t, store, "team.update", 1, "team:kakao-2", map[string]any{"model": "Kanana", "lead": "kakao"},
		map[string]any{"model": "Kanana 2", "lead": "kaist", "version": float64(2)})
	unchanged := snapshot(t, pool)
	if _, err := store.UpdateTeam(ctx, manageProgram, "kakao-2", tm, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale team update: err = %v, want ErrStale", err)
	}
	// A team in published results keeps its slug.
	lg.Slug = "lg-renamed"
	_, err = store.UpdateTeam(ctx, manageProgram, "lg", lg, manageActor)
	wantFieldErrors(t, err, "slug")
	unchanged("refused team updates")

	// Members.
	m := must(store.AddMember(ctx, manageProgram, "kakao-2", postgres.MemberRecord{Org: "postech", Since: "2025-08-04"}, manageActor)).val(t)
	if m.Role != "participant" || m.Confidence != "confirmed" || m.Since != "2025-08-04" || m.OrgName.EN != "POSTECH" {
		t.Errorf("added %+v", m)
	}
	wantAudit(t, store, "membership.add", 1, "team:kakao-2/org:postech", nil, map[string]any{"org": "postech", "role": "participant"})
	if _, err := store.AddMember(ctx, manageProgram, "kakao-2", postgres.MemberRecord{Org: "postech"}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("member twice: err = %v, want ErrConflict", err)
	}
	_, err = store.AddMember(ctx, manageProgram, "kakao-2", postgres.MemberRecord{Org: "kaist", Role: "Lead!", Since: "2025-09-01", Until: "2025-01-01",
		Confidence: "maybe"}, manageActor)
	wantFieldErrors(t, err, "org", "role", "until", "confidence")
	// The lead cannot become a member, nor a member the lead.
	up.Lead = "postech"
	_, err = store.UpdateTeam(ctx, manageProgram, "kakao-2", up, manageActor)
	wantFieldErrors(t, err, "lead")

	m.Role, m.Until, m.Confidence = "data_partner", "2026-02-01", "reported"
	m2 := must(store.UpdateMember(ctx, manageProgram, "kakao-2", m, manageActor)).val(t)
	if m2.Role != "data_partner" || m2.Until != "2026-02-01" || m2.Version != 2 {
		t.Errorf("updated member %+v", m2)
	}
	wantAudit(t, store, "membership.update", 1, "team:kakao-2/org:postech", map[string]any{"role": "participant", "until": ""},
		map[string]any{"role": "data_partner", "until": "2026-02-01", "confidence": "reported"})
	if _, err := store.UpdateMember(ctx, manageProgram, "kakao-2", m, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale member update: err = %v, want ErrStale", err)
	}
	if err := store.RemoveMember(ctx, manageProgram, "kakao-2", "postech", 1, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale member removal: err = %v, want ErrStale", err)
	}
	if err := store.RemoveMember(ctx, manageProgram, "kakao-2", "postech", 2, manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "membership.remove", 1, "team:kakao-2/org:postech", map[string]any{"role": "data_partner"}, nil)
	got := must(store.Team(ctx, manageProgram, "kakao-2")).val(t)
	if len(got.Members) != 0 {
		t.Errorf("members after removal: %+v", got.Members)
	}
}
