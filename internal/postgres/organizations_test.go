package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
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
