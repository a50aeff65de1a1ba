package postgres_test

// The record as the console writes it: organizations, teams and members,
// budgets and allocations, rounds, criteria and entries (organizations.go,
// teams.go, budgets.go, rounds.go, criteria.go), each on a copy of the
// imported record (manageStore).

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

func TestManageOrganizations(t *testing.T) {
	store, pool, ctx := manageStore(t)

	orgs := must(store.Organizations(ctx)).val(t)
	if len(orgs) < 50 {
		t.Fatalf("%d organizations, want the real record's", len(orgs))
	}
	lg := must(store.Organization(ctx, "lg-ai-research")).val(t)
	if lg.Kind != "research_institute" || lg.Name.EN != "LG AI Research" || lg.Teams != 1 || lg.Version != 1 {
		t.Errorf("lg-ai-research = %+v", lg)
	}
	if _, err := store.Organization(ctx, "nope"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown organization: err = %v, want ErrNotFound", err)
	}

	// Create.
	o, err := store.CreateOrganization(ctx, postgres.OrgRecord{
		Slug: " new-lab ", Name: contest.Text{KO: "새 연구소", EN: "New Lab"}, Kind: "startup"}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if o.Slug != "new-lab" || o.Version != 1 || o.ID == 0 {
		t.Errorf("created %+v", o)
	}
	wantAudit(t, store, "organization.create", 1, "organization:new-lab", nil,
		map[string]any{"slug": "new-lab", "kind": "startup", "name": map[string]any{"ko": "새 연구소", "en": "New Lab"}})

	// Field errors: bad slug, empty names, bad kind; nothing is written.
	unchanged := snapshot(t, pool)
	_, err = store.CreateOrganization(ctx, postgres.OrgRecord{Slug: "Bad_Slug", Kind: "guild"}, manageActor)
	fe := wantFieldErrors(t, err, "slug", "name_ko", "name_en", "kind")
	if got := fe.Fields["name_ko"]; got.Key != "required" || got.English() != "required" {
		t.Errorf("name_ko message = %+v", got)
	}
	if !strings.Contains(fe.Fields["slug"].English(), "lowercase letters and digits") || fe.Fields["slug"].Key != "slug" {
		t.Errorf("slug message = %+v", fe.Fields["slug"])
	}
	if en := fe.Fields["kind"].English(); !strings.Contains(en, "research_institute") {
		t.Errorf("kind message in English = %q", en)
	}
	// Duplicate slug.
	_, err = store.CreateOrganization(ctx, postgres.OrgRecord{Slug: "kaist", Name: contest.Text{KO: "카이스트", EN: "KAIST"}, Kind: "university"}, manageActor)
	if !errors.Is(err, contest.ErrConflict) {
		t.Errorf("duplicate slug: err = %v, want ErrConflict", err)
	}
	unchanged("refused creates")

	// Update, slug included.
	o.Slug, o.Name.EN, o.Kind = "newer-lab", "Newer Lab", "company"
	up := must(store.UpdateOrganization(ctx, "new-lab", o, manageActor)).val(t)
	if up.Slug != "newer-lab" || up.Name.EN != "Newer Lab" || up.Kind != "company" || up.Version != 2 {
		t.Errorf("updated %+v", up)
	}
	wantAudit(t, store, "organization.update", 1, "organization:new-lab",
		map[string]any{"slug": "new-lab", "kind": "startup", "version": float64(1)},
		map[string]any{"slug": "newer-lab", "kind": "company", "version": float64(2)})

	// Saving the same values again writes nothing.
	if same, err := store.UpdateOrganization(ctx, "newer-lab", up, manageActor); err != nil || same.Version != 2 {
		t.Errorf("unchanged update: %+v, %v", same, err)
	}
	if n := len(auditEvents(t, store, "organization.update")); n != 1 {
		t.Errorf("%d update events after an unchanged save, want 1", n)
	}

	// Stale version: refused, nothing changed.
	unchanged = snapshot(t, pool)
	o.Name.EN = "Overwritten"
	if _, err := store.UpdateOrganization(ctx, "newer-lab", o, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale update: err = %v, want ErrStale", err)
	}
	unchanged("stale update")
	// Renaming onto a taken slug.
	up.Slug = "kaist"
	if _, err := store.UpdateOrganization(ctx, "newer-lab", up, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("rename onto kaist: err = %v, want ErrConflict", err)
	}
}

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

func TestManageBudgets(t *testing.T) {
	store, pool, ctx := manageStore(t)

	budgets := must(store.Budgets(ctx, manageProgram)).val(t)
	if len(budgets) != 2 || budgets[0].Year != 2025 || len(budgets[0].Allocations) == 0 {
		t.Fatalf("budgets: %+v", budgets)
	}
	amount := int64(250_000_000_000)
	b, err := store.CreateBudget(ctx, manageProgram, postgres.BudgetRecord{Year: 2027, AmountKRW: &amount, Confidence: "reported",
		Note: contest.Text{KO: "계획", EN: "Planned"}}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if b.Year != 2027 || *b.AmountKRW != amount || b.Version != 1 {
		t.Errorf("created %+v", b)
	}
	wantAudit(t, store, "budget.create", 1, "budget:2027", nil, map[string]any{"year": float64(2027), "amount_krw": float64(amount)})
	if _, err := store.CreateBudget(ctx, manageProgram, postgres.BudgetRecord{Year: 2025}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("second 2025 budget: err = %v, want ErrConflict", err)
	}
	neg := int64(-1)
	_, err = store.CreateBudget(ctx, manageProgram, postgres.BudgetRecord{Year: 1999, AmountKRW: &neg, Confidence: "rumour"}, manageActor)
	wantFieldErrors(t, err, "year", "amount_krw", "confidence")

	b.AmountKRW = nil
	up := must(store.UpdateBudget(ctx, manageProgram, 2027, b, manageActor)).val(t)
	if up.AmountKRW != nil || up.Version != 2 {
		t.Errorf("updated %+v", up)
	}
	wantAudit(t, store, "budget.update", 1, "budget:2027", map[string]any{"amount_krw": float64(amount)}, map[string]any{"amount_krw": nil})
	if _, err := store.UpdateBudget(ctx, manageProgram, 2027, b, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale budget: err = %v, want ErrStale", err)
	}

	// Allocations.
	qty := 256
	a := must(store.CreateAllocation(ctx, manageProgram, 2027, postgres.AllocationRecord{Team: "motif", Kind: "gpu", GPUModel: "B300", Quantity: &qty}, manageActor)).val(t)
	if a.Team != "motif" || *a.Quantity != 256 || a.Year != 2027 || a.Position != 0 || a.Confidence != "confirmed" {
		t.Errorf("created %+v", a)
	}
	wantAudit(t, store, "allocation.create", 1, "budget:2027/allocation:"+itoa(a.ID), nil, map[string]any{"team": "motif", "gpu_model": "B300"})
	wide := must(store.CreateAllocation(ctx, manageProgram, 2027, postgres.AllocationRecord{Kind: "data"}, manageActor)).val(t)
	if wide.Team != "" || wide.Position != 1 {
		t.Errorf("program-wide allocation %+v", wide)
	}
	negQty := -5
	_, err = store.CreateAllocation(ctx, manageProgram, 2027, postgres.AllocationRecord{Team: "ghost", Kind: "gold", Quantity: &negQty}, manageActor)
	wantFieldErrors(t, err, "team", "kind", "quantity")
	if _, err := store.CreateAllocation(ctx, manageProgram, 2030, postgres.AllocationRecord{Kind: "gpu"}, manageActor); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("allocation of a missing budget: err = %v, want ErrNotFound", err)
	}

	a.Team, a.Quantity = "", nil
	a2 := must(store.UpdateAllocation(ctx, manageProgram, a, manageActor)).val(t)
	if a2.Team != "" || a2.Quantity != nil || a2.Version != 2 {
		t.Errorf("updated %+v", a2)
	}
	wantAudit(t, store, "allocation.update", 1, "budget:2027/allocation:"+itoa(a.ID), map[string]any{"team": "motif", "quantity": float64(256)},
		map[string]any{"team": "", "quantity": nil})
	unchanged := snapshot(t, pool)
	if _, err := store.UpdateAllocation(ctx, manageProgram, a, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale allocation: err = %v, want ErrStale", err)
	}
	if err := store.DeleteAllocation(ctx, manageProgram, a.ID, 1, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale allocation delete: err = %v, want ErrStale", err)
	}
	unchanged("stale allocation writes")
	if err := store.DeleteAllocation(ctx, manageProgram, a.ID, 2, manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "allocation.delete", 1, "budget:2027/allocation:"+itoa(a.ID), map[string]any{"kind": "gpu"}, nil)
	got := must(store.Budget(ctx, manageProgram, 2027)).val(t)
	if len(got.Allocations) != 1 || got.Allocations[0].ID != wide.ID {
		t.Errorf("allocations left: %+v", got.Allocations)
	}
	// An allocation is reachable through its own program only: import a
	// second program with an allocation of its own, and neither program
	// reaches the other's.
	txt := func(s string) programfile.Text { return programfile.Text{KO: s, EN: s} }
	other := &programfile.File{
		Program:       programfile.Program{Slug: "other-program", Name: txt("Other"), Ministry: txt("M")},
		Organizations: []programfile.Organization{{Slug: "other-org", Name: txt("Other org"), Kind: "other"}},
		Teams:         []programfile.Team{{Slug: "other-team", Name: txt("Other team"), Lead: "other-org"}},
	}
	if _, err := store.ImportProgram(ctx, other); err != nil {
		t.Fatalf("import the other program: %v", err)
	}
	if _, err := store.CreateBudget(ctx, "other-program", postgres.BudgetRecord{Year: 2027}, manageActor); err != nil {
		t.Fatal(err)
	}
	otherAlloc := must(store.CreateAllocation(ctx, "other-program", 2027, postgres.AllocationRecord{Team: "other-team", Kind: "data"}, manageActor)).val(t)
	if got, err := store.Allocation(ctx, "other-program", otherAlloc.ID); err != nil || got.Team != "other-team" {
		t.Errorf("allocation of the other program via itself: %+v, %v", got, err)
	}
	if _, err := store.Allocation(ctx, manageProgram, otherAlloc.ID); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("allocation of the other program via %s: err = %v, want ErrNotFound", manageProgram, err)
	}
	if _, err := store.Allocation(ctx, "other-program", wide.ID); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("allocation via another program: err = %v, want ErrNotFound", err)
	}
	unchanged = snapshot(t, pool)
	if _, err := store.UpdateAllocation(ctx, "other-program", wide, manageActor); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("update via another program: err = %v, want ErrNotFound", err)
	}
	if err := store.DeleteAllocation(ctx, "other-program", wide.ID, wide.Version, manageActor); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("delete via another program: err = %v, want ErrNotFound", err)
	}
	unchanged("writes via another program")
	if got, err := store.Allocation(ctx, manageProgram, wide.ID); err != nil || got.ID != wide.ID {
		t.Errorf("allocation via its own program: %+v, %v", got, err)
	}

	// The audit chain still verifies after all these writes.
	vr, err := store.VerifyAudit(ctx)
	if err != nil || vr.BrokenAt != 0 {
		t.Errorf("verify audit: %+v, %v", vr, err)
	}
}

func TestManageRounds(t *testing.T) {
	store, pool, ctx := manageStore(t)

	rounds := must(store.RoundRecords(ctx, manageProgram)).val(t)
	if len(rounds) != 6 || rounds[2].Slug != "stage-1" || rounds[2].Status != "published" {
		t.Fatalf("rounds: %+v", rounds)
	}

	// Create: a draft appended after the last round.
	at := time.Date(2026, 12, 20, 14, 0, 0, 0, time.FixedZone("KST", 9*3600))
	r, err := store.CreateRound(ctx, manageProgram, postgres.RoundRecord{
		Slug: "stage-3", Kind: "stage", Name: contest.Text{KO: "3차 단계평가", EN: "Stage 3"}, Period: "2026H2",
		EvaluatedOn: "2026-12-10", AnnounceAt: &at, Advance: 2, MinTotal: "60"}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if r.Position != rounds[5].Position+1 || r.Status != "draft" || r.MinTotal != "60.00" || !r.AnnounceAt.Equal(at) || r.EvaluatedOn != "2026-12-10" {
		t.Errorf("created %+v", r)
	}
	wantAudit(t, store, "round.create", 1, "round:stage-3", nil, map[string]any{"slug": "stage-3", "advance": float64(2), "min_total": "60.00"})

	_, err = store.CreateRound(ctx, manageProgram, postgres.RoundRecord{Slug: "-x", Kind: "final", Name: contest.Text{EN: "X"},
		EvaluatedOn: "2026-13-01", Advance: -1, MinTotal: "1.234"}, manageActor)
	wantFieldErrors(t, err, "slug", "kind", "name_ko", "evaluated_on", "advance", "min_total")
	if _, err := store.CreateRound(ctx, manageProgram, postgres.RoundRecord{Slug: "final", Kind: "stage",
		Name: contest.Text{KO: "최종", EN: "Final"}}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("duplicate round: err = %v, want ErrConflict", err)
	}

	// Update a draft: everything may change.
	r.Advance, r.Backfill, r.Kind, r.MinTotal = 1, true, "selection", ""
	up := must(store.UpdateRound(ctx, manageProgram, "stage-3", r, manageActor)).val(t)
	if up.Advance != 1 || !up.Backfill || up.Kind != "selection" || up.MinTotal != "" || up.Version != 2 {
		t.Errorf("updated %+v", up)
	}
	wantAudit(t, store, "round.update", 1, "round:stage-3", map[string]any{"advance": float64(2), "kind": "stage"},
		map[string]any{"advance": float64(1), "kind": "selection", "min_total": ""})
	if _, err := store.UpdateRound(ctx, manageProgram, "stage-3", r, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale round update: err = %v, want ErrStale", err)
	}

	// The published stage-1 round: its rule, kind, name and announcement
	// stay; only its note may change.
	s1 := must(store.RoundRecord(ctx, manageProgram, "stage-1")).val(t)
	if len(s1.Entries) != 5 {
		t.Errorf("stage-1 entries: %+v", s1.Entries)
	}
	unchanged := snapshot(t, pool)
	for _, change := range []func(*postgres.RoundRecord){
		func(r *postgres.RoundRecord) { r.Advance = 3 },
		func(r *postgres.RoundRecord) { r.Backfill = true },
		func(r *postgres.RoundRecord) { r.Kind = "selection" },
		func(r *postgres.RoundRecord) { r.Name.EN = "Renamed" },
		func(r *postgres.RoundRecord) { t := r.AnnounceAt.Add(time.Hour); r.AnnounceAt = &t },
	} {
		edit := s1
		change(&edit)
		if _, err := store.UpdateRound(ctx, manageProgram, "stage-1", edit, manageActor); !errors.Is(err, contest.ErrRoundState) {
			t.Errorf("change of published stage-1: err = %v, want contest.ErrRoundState", err)
		}
	}
	if _, err := store.CreateCriterion(ctx, manageProgram, "stage-1", postgres.CriterionRecord{Code: "extra",
		Name: contest.Text{KO: "추가", EN: "Extra"}, Max: "5"}, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("criterion added to published stage-1: err = %v, want contest.ErrRoundState", err)
	}
	if err := store.DeleteCriterion(ctx, manageProgram, "stage-1", "nia", 1, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("criterion deleted from published stage-1: err = %v, want contest.ErrRoundState", err)
	}
	if err := store.AddEntry(ctx, manageProgram, "stage-1", "kt", manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("entry added to published stage-1: err = %v, want contest.ErrRoundState", err)
	}
	unchanged("refused changes of stage-1")
	edit := s1
	edit.Note.EN += " Updated."
	noted, err := store.UpdateRound(ctx, manageProgram, "stage-1", edit, manageActor)
	if err != nil {
		t.Fatalf("note of published stage-1: %v", err)
	}
	if noted.Note.EN != edit.Note.EN || noted.Status != "published" || noted.Version != s1.Version+1 {
		t.Errorf("noted %+v", noted)
	}
}

func TestEligibilityBeforePublication(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	if err := store.SetEligibility(ctx, "p", "r1", "t1", "disqualified", contest.Text{KO: "독자성", EN: "independence"}, alice); err != nil {
		t.Fatal(err)
	}
	if err := store.SetEligibility(ctx, "p", "r1", "t1", "disqualified", contest.Text{}, alice); err == nil {
		t.Error("disqualification without a reason accepted")
	}
	rr := must(store.Results(ctx, "p", "r1")).val(t)
	if tm := reportTeam(t, rr.Report, "t1"); tm.Outcome == nil || *tm.Outcome != "disqualified" {
		t.Errorf("t1: %+v", tm)
	}
	if n := countAudit(t, store, "entry.eligibility"); n != 1 {
		t.Errorf("%d eligibility events", n)
	}
}

func TestManageCriteriaAndEntries(t *testing.T) {
	store, pool, ctx := manageStore(t)
	const round = "stage-2"
	name := func(s string) contest.Text { return contest.Text{KO: s + " (ko)", EN: s} }

	// Build a tree in the draft stage-2 round.
	for _, c := range []postgres.CriterionRecord{
		{Code: "benchmark", Name: name("Benchmarks"), Max: "40"},
		{Code: "expert", Name: name("Experts"), Max: "35", PanelSize: 5, Aggregate: "trimmed_mean"},
		{Code: "nia", Parent: "benchmark", Name: name("NIA"), Max: "10.5"},
		{Code: "global_common", Parent: "benchmark", Name: name("Global"), Max: "29.5"},
	} {
		if _, err := store.CreateCriterion(ctx, manageProgram, round, c, manageActor); err != nil {
			t.Fatalf("create %s: %v", c.Code, err)
		}
	}
	crits, err := store.Criteria(ctx, manageProgram, round)
	if err != nil {
		t.Fatal(err)
	}
	var tree []string
	for _, c := range crits {
		tree = append(tree, strings.Repeat("  ", c.Depth)+c.Code+" "+c.Max)
	}
	want := []string{"benchmark 40.00", "  nia 10.50", "  global_common 29.50", "expert 35.00"}
	wantSame(t, "tree", want, tree)
	wantAudit(t, store, "criterion.create", 4, "round:stage-2/criterion:global_common", nil,
		map[string]any{"code": "global_common", "parent": "benchmark", "max": "29.50"})

	// Field errors.
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "total", Max: "0"}, manageActor)
	fe := wantFieldErrors(t, err, "code", "name_ko", "name_en", "max")
	if got := fe.Fields["max"]; got.Key != "positive" || got.English() != "must be > 0" {
		t.Errorf("max message = %+v", got)
	}
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "bad code", Name: name("X"), Max: "-1",
		PanelSize: 2, Aggregate: "trimmed_mean"}, manageActor)
	wantFieldErrors(t, err, "code", "max", "aggregate")
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "sub", Parent: "expert", Name: name("Sub"), Max: "5"}, manageActor)
	wantFieldErrors(t, err, "parent")
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "sub", Parent: "nowhere", Name: name("Sub"), Max: "5"}, manageActor)
	wantFieldErrors(t, err, "parent")
	if _, err := store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "nia", Name: name("NIA"), Max: "5"}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("duplicate code: err = %v, want ErrConflict", err)
	}
	benchmark := must(store.Criterion(ctx, manageProgram, round, "benchmark")).val(t)
	benchmark.Parent = "nia"
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "benchmark", benchmark, manageActor)
	wantFieldErrors(t, err, "parent")

	// Entries: add one, then enter scores.
	if err := store.AddEntry(ctx, manageProgram, round, "trillion-labs", manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "entry.add", 1, "round:stage-2/team:trillion-labs", nil, map[string]any{"team": "trillion-labs", "status": "eligible"})
	if err := store.AddEntry(ctx, manageProgram, round, "lg", manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("entry twice: err = %v, want ErrConflict", err)
	}
	wantFieldErrors(t, store.AddEntry(ctx, manageProgram, round, "nobody", manageActor), "team")
	if _, err := store.SaveScores(ctx, manageProgram, round, []postgres.ScoreEdit{
		{Team: "lg", Criterion: "nia", Value: "9.5"},
		{Team: "lg", Criterion: "expert", Evaluator: 4, Value: "30"},
	}, manageActor); err != nil {
		t.Fatal(err)
	}

	// Lowering a maximum below an entered score is a field error on max.
	nia := must(store.Criterion(ctx, manageProgram, round, "nia")).val(t)
	if nia.Scores != 1 || !nia.Leaf || nia.Depth != 1 {
		t.Errorf("nia = %+v", nia)
	}
	unchanged := snapshot(t, pool)
	low := nia
	low.Max = "9"
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "nia", low, manageActor)
	fe = wantFieldErrors(t, err, "max")
	if got := fe.Fields["max"]; got.Key != "max_below" || !strings.Contains(got.English(), "9.50") {
		t.Errorf("max message = %+v", fe.Fields["max"])
	}
	// Panels that would orphan scores.
	expert := must(store.Criterion(ctx, manageProgram, round, "expert")).val(t)
	small := expert
	small.PanelSize, small.Aggregate = 3, "mean"
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "expert", small, manageActor)
	wantFieldErrors(t, err, "panel_size")
	direct := expert
	direct.PanelSize, direct.Aggregate = 0, ""
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "expert", direct, manageActor)
	wantFieldErrors(t, err, "panel_size")
	// A scored criterion, and a team with scores, are not deleted.
	err = store.DeleteCriterion(ctx, manageProgram, round, "nia", nia.Version, manageActor)
	wantFieldErrors(t, err, "")
	err = store.DeleteCriterion(ctx, manageProgram, round, "benchmark", benchmark.Version, manageActor)
	wantFieldErrors(t, err, "")
	err = store.RemoveEntry(ctx, manageProgram, round, "lg", manageActor)
	wantFieldErrors(t, err, "")
	unchanged("refused criteria changes")

	// What the scores allow goes through.
	ok := nia
	ok.Max, ok.Code, ok.Name.EN = "9.50", "nia_bench", "NIA benchmarks"
	got := must(store.UpdateCriterion(ctx, manageProgram, round, "nia", ok, manageActor)).val(t)
	if got.Max != "9.50" || got.Code != "nia_bench" || got.Version != 2 || got.Scores != 1 || got.Parent != "benchmark" {
		t.Errorf("updated %+v", got)
	}
	wantAudit(t, store, "criterion.update", 1, "round:stage-2/criterion:nia", map[string]any{"code": "nia", "max": "10.50"},
		map[string]any{"code": "nia_bench", "max": "9.50", "version": float64(2)})
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "nia_bench", ok, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale criterion update: err = %v, want ErrStale", err)
	}
	bigger := expert
	bigger.PanelSize = 7
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "expert", bigger, manageActor); err != nil {
		t.Errorf("growing the panel: %v", err)
	}
	// Moving a criterion appends it to its new siblings.
	gc := must(store.Criterion(ctx, manageProgram, round, "global_common")).val(t)
	gc.Parent = ""
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "global_common", gc, manageActor); err != nil {
		t.Fatal(err)
	}
	crits, err = store.Criteria(ctx, manageProgram, round)
	if err != nil {
		t.Fatal(err)
	}
	tree = tree[:0]
	for _, c := range crits {
		tree = append(tree, strings.Repeat("  ", c.Depth)+c.Code)
	}
	wantSame(t, "tree after the move", []string{"benchmark", "  nia_bench", "expert", "global_common"}, tree)

	// Deleting an unscored leaf, and removing an unscored entry.
	gc, _ = store.Criterion(ctx, manageProgram, round, "global_common")
	if err := store.DeleteCriterion(ctx, manageProgram, round, "global_common", gc.Version-1, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale delete: err = %v, want ErrStale", err)
	}
	if err := store.DeleteCriterion(ctx, manageProgram, round, "global_common", gc.Version, manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "criterion.delete", 1, "round:stage-2/criterion:global_common", map[string]any{"code": "global_common"}, nil)
	if err := store.RemoveEntry(ctx, manageProgram, round, "trillion-labs", manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "entry.remove", 1, "round:stage-2/team:trillion-labs", map[string]any{"team": "trillion-labs"}, nil)
	rr := must(store.RoundRecord(ctx, manageProgram, round)).val(t)
	var entries []string
	for _, e := range rr.Entries {
		entries = append(entries, e.Team)
	}
	wantSame(t, "entries", []string{"lg", "skt", "upstage", "motif"}, entries)
}

func TestManageClosedRoundKeepsRuleAndCriteria(t *testing.T) {
	store, _, ctx := manageStore(t)
	const round = "final"
	if _, err := store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "total_score",
		Name: contest.Text{KO: "총점", EN: "Score"}, Max: "100"}, manageActor); err != nil {
		t.Fatal(err)
	}
	for _, team := range []string{"lg", "skt"} {
		if err := store.AddEntry(ctx, manageProgram, round, team, manageActor); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.SaveScores(ctx, manageProgram, round, []postgres.ScoreEdit{
		{Team: "lg", Criterion: "total_score", Value: "90"}, {Team: "skt", Criterion: "total_score", Value: "80"}}, manageActor); err != nil {
		t.Fatal(err)
	}
	if err := store.CloseRound(ctx, manageProgram, round, manageActor); err != nil {
		t.Fatal(err)
	}
	r := must(store.RoundRecord(ctx, manageProgram, round)).val(t)
	rule := r
	rule.Advance = 1
	if _, err := store.UpdateRound(ctx, manageProgram, round, rule, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("rule of a closed round: err = %v, want contest.ErrRoundState", err)
	}
	c := must(store.Criterion(ctx, manageProgram, round, "total_score")).val(t)
	c.Name.EN = "Total score"
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "total_score", c, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("criterion of a closed round: err = %v, want contest.ErrRoundState", err)
	}
	if err := store.RemoveEntry(ctx, manageProgram, round, "skt", manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("entry of a closed round: err = %v, want contest.ErrRoundState", err)
	}
	// Before publication its name, note and announcement may still change.
	at := time.Date(2026, 12, 30, 10, 0, 0, 0, time.UTC)
	r.Name.EN, r.Note.EN, r.AnnounceAt = "Final evaluation (2026)", r.Note.EN+" More.", &at
	up := must(store.UpdateRound(ctx, manageProgram, round, r, manageActor)).val(t)
	if up.Name.EN != "Final evaluation (2026)" || !up.AnnounceAt.Equal(at) || up.Status != "closed" {
		t.Errorf("updated %+v", up)
	}
}
