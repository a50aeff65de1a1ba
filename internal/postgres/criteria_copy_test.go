package postgres_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// criteriaRows is every column of a round's criteria except the row's own
// identity (id, round, version), with the parent by code, keyed by code: a
// column added to the table later is compared too.
func criteriaRows(t *testing.T, pool *pgxpool.Pool, round string) map[string]map[string]any {
	t.Helper()
	rows, err := pool.Query(t.Context(), `
SELECT c.code, to_jsonb(c) - 'id' - 'round_id' - 'parent_id' - 'version' || jsonb_build_object('parent', p.code)
FROM criteria c JOIN rounds r ON r.id = c.round_id LEFT JOIN criteria p ON p.id = c.parent_id
WHERE r.slug = $1`, round)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[string]any{}
	for rows.Next() {
		var code string
		var row map[string]any
		if err := rows.Scan(&code, &row); err != nil {
			t.Fatal(err)
		}
		out[code] = row
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func roundRounding(t *testing.T, pool *pgxpool.Pool, round string) string {
	t.Helper()
	var s string
	if err := pool.QueryRow(t.Context(),
		`SELECT rounding_decimals || '/' || rounding_level FROM rounds WHERE slug = $1`, round).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCreateRoundCopiesCriteria(t *testing.T) {
	store, pool, ctx := manageStore(t)
	// Give stage 1 a raw-value scale and a rounding other than the
	// defaults, so the copy is seen to carry them.
	if _, err := pool.Exec(ctx, `
UPDATE criteria SET scale_from = 1, scale_to = 5 WHERE code = 'benchmark' AND round_id = (SELECT id FROM rounds WHERE slug = 'stage-1');
UPDATE rounds SET rounding_decimals = 1, rounding_level = 'leaf' WHERE slug = 'stage-1'`); err != nil {
		t.Fatal(err)
	}
	src := criteriaRows(t, pool, "stage-1")
	if len(src) != 6 || src["nia"]["parent"] != "benchmark" || src["benchmark"]["scale_to"] == nil || src["user"]["panel_size"] != float64(49) {
		t.Fatalf("stage-1 criteria: %v", src)
	}

	r, err := store.CreateRoundFrom(ctx, manageProgram, postgres.RoundRecord{
		Slug: "stage-3", Kind: "stage", Name: contest.Text{KO: "3차 단계평가", EN: "Stage 3"}}, "stage-1", manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "draft" {
		t.Errorf("created %+v", r)
	}
	if diff := cmp.Diff(src, criteriaRows(t, pool, "stage-3")); diff != "" {
		t.Errorf("copied criteria (-stage-1 +stage-3):\n%s", diff)
	}
	if got := roundRounding(t, pool, "stage-3"); got != "1/leaf" {
		t.Errorf("rounding %s, want 1/leaf", got)
	}
	tree := must(store.Criteria(ctx, manageProgram, "stage-3")).val(t)
	var codes []string
	for _, c := range tree {
		codes = append(codes, c.Code)
		if c.Scores != 0 || c.Version != 1 {
			t.Errorf("copied %s: %d scores, version %d", c.Code, c.Scores, c.Version)
		}
	}
	wantSame(t, "tree order", []string{"benchmark", "nia", "global_common", "global_individual", "expert", "user"}, codes)
	wantAudit(t, store, "criteria.copy", 1, "round:stage-3", nil, map[string]any{"from": "stage-1", "criteria": float64(6)})

	// The copy is the new round's own: editing it leaves the source alone.
	c := tree[1]
	c.Max = "5"
	if _, err := store.UpdateCriterion(ctx, manageProgram, "stage-3", "nia", c, manageActor); err != nil {
		t.Fatal(err)
	}
	if got := criteriaRows(t, pool, "stage-1")["nia"]["max"]; got != float64(10) {
		t.Errorf("stage-1 nia max after editing the copy = %v", got)
	}

	// A round without a copy starts empty with the default rounding.
	if _, err := store.CreateRound(ctx, manageProgram, postgres.RoundRecord{
		Slug: "stage-4", Kind: "stage", Name: contest.Text{KO: "4차", EN: "Stage 4"}}, manageActor); err != nil {
		t.Fatal(err)
	}
	if got := criteriaRows(t, pool, "stage-4"); len(got) != 0 {
		t.Errorf("stage-4 criteria: %v", got)
	}
	if got := roundRounding(t, pool, "stage-4"); got != "2/category" {
		t.Errorf("stage-4 rounding %s", got)
	}

	// An unknown source refuses the whole creation.
	_, err = store.CreateRoundFrom(ctx, manageProgram, postgres.RoundRecord{
		Slug: "stage-5", Kind: "stage", Name: contest.Text{KO: "5차", EN: "Stage 5"}}, "no-such-round", manageActor)
	wantFieldErrors(t, err, "copy_from")
	if _, err := store.RoundRecord(ctx, manageProgram, "stage-5"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("stage-5 after a refused copy: err = %v, want ErrNotFound", err)
	}
}
