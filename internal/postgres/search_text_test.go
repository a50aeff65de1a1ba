package postgres_test

import (
	"slices"
	"testing"

	"github.com/kai-challenge/portal/internal/postgres"
)

// The text search finds the reason Naver Cloud left stage 1 in Korean and
// English, matches % literally, and the trigram indexes exist.
func TestPublicSearchText(t *testing.T) {
	st, pool, ctx := importRecord(t)
	hitsFor := func(q string) []postgres.PublicTextHit {
		t.Helper()
		hits := must(st.PublicSearchText(ctx, program, q)).val(t)
		return hits
	}
	for _, q := range []string{"독자성", "Qwen", "qwen 2.5", "re-initialisation"} {
		hits := hitsFor(q)
		i := slices.IndexFunc(hits, func(h postgres.PublicTextHit) bool {
			return h.Kind == "team" && h.Slug == "naver-cloud" && h.Field == "reason"
		})
		if i < 0 {
			t.Errorf("%q: no reason hit for naver-cloud in %d hits", q, len(hits))
			continue
		}
		if h := hits[i]; h.Round.Slug == "" || h.Text.KO == "" || h.Text.EN == "" {
			t.Errorf("%q: hit %+v lacks its round or text", q, h)
		}
	}
	if hits := hitsFor("   "); len(hits) != 0 {
		t.Errorf("blank query found %d hits", len(hits))
	}
	if hits := hitsFor("100%"); slices.ContainsFunc(hits, func(h postgres.PublicTextHit) bool { return h.Field == "reason" }) {
		t.Errorf("100%% matched a reason as a wildcard: %+v", hits)
	}
	if _, err := st.PublicSearchText(ctx, "no-such-program", "x"); err == nil {
		t.Error("unknown program: no error")
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%\_search\_trgm'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("%d trigram indexes, want 6", n)
	}
}

// Every team with a public outcome is placed in its latest published round.
func TestPublicStandingRanks(t *testing.T) {
	st, _, ctx := importRecord(t)
	ranks := must(st.PublicStandingRanks(ctx, program)).val(t)
	byTeam := map[string]postgres.PublicStandingRank{}
	for _, r := range ranks {
		byTeam[r.Team] = r
	}
	for team, round := range map[string]string{"lg": "", "naver-cloud": ""} {
		r, ok := byTeam[team]
		if !ok {
			t.Errorf("%s: no rank", team)
			continue
		}
		_ = round
		if r.Round.Slug == "" || (r.PublishedAt == nil && r.Round.AnnounceAt == nil) {
			t.Errorf("%s: %+v has no round or date", team, r)
		}
	}
	t.Logf("%+v", ranks)
}
