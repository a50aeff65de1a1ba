package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func TestOpenDataRecord(t *testing.T) {
	st, _, ctx := importRecord(t)

	t.Run("programs", func(t *testing.T) {
		ps := must(st.PublicPrograms(ctx)).val(t)
		def := must(st.DefaultProgram(ctx)).val(t)
		if len(ps) != 1 || !cmp.Equal(ps[0], def) {
			t.Errorf("programs = %+v, want only the default program", ps)
		}
	})

	t.Run("memberships", func(t *testing.T) {
		ms := must(st.PublicMemberships(ctx, program)).val(t)
		var lg []postgres.PublicMembership
		teams := map[string]int{}
		for _, m := range ms {
			teams[m.Team.Slug]++
			if m.Team.Slug == "lg" {
				lg = append(lg, m)
			}
		}
		if len(teams) != 16 {
			t.Errorf("memberships of %d teams, want 16", len(teams))
		}
		if len(lg) != 11 || !lg[0].Lead || lg[0].Org.Slug != "lg-ai-research" || lg[0].Role != "lead" {
			t.Fatalf("LG consortium = %+v", lg)
		}
		detail := must(st.PublicTeam(ctx, program, "lg")).val(t)
		for i, m := range detail.Members {
			got := lg[i+1]
			want := postgres.PublicMembership{Team: got.Team, PublicMember: m}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("LG member %d differs from the team page (-team page +memberships):\n%s", i, diff)
			}
		}
	})

	t.Run("organization details", func(t *testing.T) {
		ds := must(st.PublicOrganizationDetails(ctx, program)).val(t)
		list := must(st.PublicOrganizations(ctx, program)).val(t)
		if len(ds) != len(list) {
			t.Fatalf("%d details for %d organizations", len(ds), len(list))
		}
		for i, d := range ds {
			if d.PublicOrg != list[i] {
				t.Errorf("organization %d: %+v, want %+v", i, d.PublicOrg, list[i])
			}
		}
		teams := must(st.PublicTeams(ctx, program)).val(t)
		teamOrder := map[string]int{}
		for i, tm := range teams {
			teamOrder[tm.Slug] = i
		}
		// Each detail is the organization page, whose consortia are those
		// the organization leads, then those it belongs to, in team order.
		for _, got := range ds {
			want := must(st.PublicOrganization(ctx, program, got.Slug)).val(t)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-organization page +details):\n%s", got.Slug, diff)
			}
			if len(got.Memberships) == 0 {
				t.Errorf("%s: no consortium", got.Slug)
			}
			for i := 1; i < len(got.Memberships); i++ {
				prev, m := got.Memberships[i-1], got.Memberships[i]
				if (m.Lead && !prev.Lead) || (m.Lead == prev.Lead && teamOrder[m.Team.Slug] < teamOrder[prev.Team.Slug]) {
					t.Errorf("%s: consortium %s (lead %v) listed after %s (lead %v)", got.Slug, m.Team.Slug, m.Lead, prev.Team.Slug, prev.Lead)
				}
			}
		}
	})

	t.Run("not found", func(t *testing.T) {
		for name, err := range map[string]error{
			"memberships":   second(st.PublicMemberships(ctx, "no-program")),
			"organizations": second(st.PublicOrganizationDetails(ctx, "no-program")),
			"feed":          second(st.PublicFeed(ctx, "no-program")),
			"search":        second(st.PublicSearch(ctx, "no-program", "lg")),
			"empty search":  second(st.PublicSearch(ctx, "no-program", "")),
		} {
			if !errors.Is(err, contest.ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", name, err)
			}
		}
	})
}

func TestOpenDataSearch(t *testing.T) {
	st, _, ctx := importRecord(t)
	for _, tc := range []struct {
		q                   string
		teams, orgs, rounds []string
	}{
		{"", nil, nil, nil},
		{"   ", nil, nil, nil},
		{"lg", []string{"lg"}, []string{"lg-uplus", "lg-ai-research"}, nil},
		{"LG AI연구원", []string{"lg"}, []string{"lg-ai-research"}, nil},
		{"lg ai 연구원", []string{"lg"}, []string{"lg-ai-research"}, nil},
		{"exaone", []string{"lg"}, nil, nil},
		{"모티프", []string{"motif"}, []string{"motif-technologies"}, nil},
		{"단계평가", nil, nil, []string{"stage-1", "stage-2"}},
		// A substring anywhere: "Upstage" contains "stage".
		{"Stage", []string{"upstage"}, []string{"upstage"}, []string{"stage-1", "stage-2"}},
		{"additional", nil, nil, []string{"additional-call"}},
		{"2025H2", nil, nil, []string{"stage-1"}},
		// Wildcards match themselves only.
		{"%", nil, nil, nil},
		{"_", nil, nil, nil},
		{`\`, nil, nil, nil},
		{"no such thing", nil, nil, nil},
	} {
		res, err := st.PublicSearch(ctx, program, tc.q)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var teams, orgs, rounds []string
		for _, x := range res.Teams {
			teams = append(teams, x.Slug)
		}
		for _, x := range res.Organizations {
			orgs = append(orgs, x.Slug)
		}
		for _, x := range res.Rounds {
			rounds = append(rounds, x.Slug)
		}
		if diff := cmp.Diff(tc.teams, teams); diff != "" {
			t.Errorf("%q: teams (-want +got):\n%s", tc.q, diff)
		}
		if tc.orgs != nil || orgs != nil {
			for _, want := range tc.orgs {
				if !slices.Contains(orgs, want) {
					t.Errorf("%q: organizations %v lack %s", tc.q, orgs, want)
				}
			}
			if tc.orgs == nil {
				t.Errorf("%q: organizations %v, want none", tc.q, orgs)
			}
		}
		if diff := cmp.Diff(tc.rounds, rounds); diff != "" {
			t.Errorf("%q: rounds (-want +got):\n%s", tc.q, diff)
		}
	}
	res := must(st.PublicSearch(ctx, program, "lg")).val(t)
	if tm := res.Teams[0]; tm.Name.KO == "" || tm.Lead.Slug != "lg-ai-research" || tm.Model != "K-EXAONE" {
		t.Errorf("LG search result = %+v", tm)
	}
}

// TestOpenDataFeedEmbargo: the feed's read model holds the published rounds
// only, whatever a round that is not published yet (draft, scoring or
// closed) holds.
func TestOpenDataFeedEmbargo(t *testing.T) {
	embargoed(t, "open data methods", testOpenDataFeedEmbargo)
}

func testOpenDataFeedEmbargo(t *testing.T, st *postgres.Store, _ *pgxpool.Pool, ctx context.Context, _ string, collect func(any, error)) {
	f := must(st.PublicFeed(ctx, program)).val(t)
	var got []string
	for _, r := range f.Rounds {
		got = append(got, r.Slug)
		if r.PublishedAt == nil || len(r.Outcomes) == 0 || len(r.Revisions) != 0 {
			t.Errorf("%s: published at %v, %d outcomes, %d revisions", r.Slug, r.PublishedAt, len(r.Outcomes), len(r.Revisions))
		}
	}
	wantSame(t, "feed rounds", []string{"document-review", "presentation-review", "stage-1", "additional-call"}, got)
	if f.Program.Slug != program {
		t.Errorf("program = %q", f.Program.Slug)
	}
	collect(f, nil)
	collect(st.PublicMemberships(ctx, program))
	collect(st.PublicOrganizationDetails(ctx, program))
	collect(st.PublicSearch(ctx, program, "stage"))
	// Search finds the round, but as not published.
	res := must(st.PublicSearch(ctx, program, "stage")).val(t)
	published := map[string]bool{}
	for _, r := range res.Rounds {
		published[r.Slug] = r.Published
	}
	wantSame(t, "rounds found, published", map[string]bool{"stage-1": true, "stage-2": false}, published)
}

// TestOpenDataFeedRevisions: a publication and a correction show up as
// revisions 1 and 2 of the round, with the correction's reason and change.
func TestOpenDataFeedRevisions(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	f, err := store.PublicFeed(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rounds) != 0 {
		t.Fatalf("unpublished round in the feed: %+v", f.Rounds)
	}
	published := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	if err := store.CloseRound(ctx, "p", "r1", alice); err != nil {
		t.Fatal(err)
	}
	if _, err := store.PublishRound(ctx, "p", "r1", alice, published); err != nil {
		t.Fatal(err)
	}
	why := contest.Text{KO: "입력 오류 정정", EN: "data entry error corrected"}
	corrected := published.Add(48 * time.Hour)
	if _, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, why, alice, corrected); err != nil {
		t.Fatal(err)
	}
	if f, err = store.PublicFeed(ctx, "p"); err != nil {
		t.Fatal(err)
	}
	if len(f.Rounds) != 1 || len(f.Rounds[0].Revisions) != 2 {
		t.Fatalf("feed rounds = %+v", f.Rounds)
	}
	r := f.Rounds[0]
	if !r.PublishedAt.Equal(published) || len(r.Outcomes) != 3 || !r.Computed {
		t.Errorf("round = %+v", r.PublicRound)
	}
	v1, v2 := r.Revisions[0], r.Revisions[1]
	if v1.Revision != 1 || !v1.PublishedAt.Equal(published) || !v1.Reason.IsZero() {
		t.Errorf("revision 1 = %+v", v1)
	}
	var change map[string]any
	if err := json.Unmarshal(v2.Change, &change); err != nil {
		t.Fatal(err)
	}
	if v2.Revision != 2 || !v2.PublishedAt.Equal(corrected) || v2.Reason != why || change["kind"] != "score" || change["team"] != "t3" || change["new"] != "45.00" {
		t.Errorf("revision 2 = %+v, change %v", v2, change)
	}
}
