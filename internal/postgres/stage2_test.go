package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

// stage2File is the August 2026 stage-2 evaluation in the ministry's
// scheme: raw AAII on a 0–100 scale, every leaf rounded to one decimal,
// three dated disclosure steps and Motif's pending objection. edit, when
// given, rewrites the file's text first.
func stage2File(t *testing.T, edit func(string) string) *programfile.File {
	t.Helper()
	src := must(fixtures.Stage2Program(edit)).val(t)
	return parseProgram(t, "stage 2", []byte(src))
}

// importStage2 marks the test parallel and imports the stage-2 file
// (edited by edit) into a fresh database; it returns the store, its pool and
// the test's context.
func importStage2(t *testing.T, edit func(string) string) (*postgres.Store, *pgxpool.Pool, context.Context) {
	t.Helper()
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.New(pool)
	if _, err := store.ImportProgram(t.Context(), stage2File(t, edit)); err != nil {
		t.Fatalf("import: %v", err)
	}
	return store, pool, t.Context()
}

// atLevel publishes the stage-2 round disclosing only level, as the
// ministry did on 2026-08-18.
func atLevel(level string) func(string) string {
	return func(src string) string {
		i := strings.Index(src, "    disclosures:\n")
		j := strings.Index(src, "    criteria:\n")
		return strings.Replace(src[:i]+src[j:], "    disclosure: full\n", "    disclosure: "+level+"\n", 1)
	}
}

func TestImportStage2(t *testing.T) {
	store, pool, ctx := importStage2(t, nil)

	rr := must(store.PublishedResults(ctx, "sovereign-ai", "stage-2")).val(t)
	var got []string
	for _, tr := range rr.Report.Teams {
		got = append(got, fmt.Sprintf("%d %s %s %s %v", *tr.Rank, tr.Team, *tr.Total, *tr.Outcome, tr.Categories))
	}
	want := []string{
		"1 skt 70.6 advanced map[benchmark:22.2 expert:29.3 user:19.1]",
		"2 upstage 69.9 advanced map[benchmark:22.7 expert:29.1 user:18.1]",
		"3 lg 69.0 advanced map[benchmark:20.6 expert:29.5 user:18.9]",
		"4 motif 65.8 eliminated map[benchmark:24.6 expert:27.1 user:14.1]",
	}
	wantSame(t, "stage 2", want, got)
	if rr.Report.Disclosure != postgres.DisclosureFull || rr.Input.Rounding == nil || rr.Input.Rounding.Decimals != 1 {
		t.Errorf("disclosure %q, frozen rounding %+v", rr.Report.Disclosure, rr.Input.Rounding)
	}
	if l := rr.Result.Teams[0].Leaves[0]; l.Criterion != "aaii" || l.Trail(1) != "35.0 → 8.75 → 8.8" {
		t.Errorf("skt aaii trail = %q (%s)", l.Trail(1), l.Criterion)
	}

	r := must(store.PublicRound(ctx, "sovereign-ai", "stage-2")).val(t)
	if got := figureOf(r.Scores, "skt", "total"); got != "70.6" {
		t.Errorf("round page: skt total %q, want 70.6", got)
	}
	wantStats := []postgres.PublicStat{{Criterion: "benchmark", Stat: "mean", Value: "22.5"}, {Criterion: "benchmark", Stat: "spread", Value: "4.0"},
		{Criterion: "aaii", Stat: "mean", Value: "9.48"}}
	wantSame(t, "published stats", wantStats, r.Stats)
	if got := statOf(r.Aggregates, "benchmark", "spread"); got != "4.0" {
		t.Errorf("computed benchmark spread %q, want 4.0 (%v)", got, r.Aggregates)
	}
	if got := statOf(r.Aggregates, "total", "mean"); got != "68.8" {
		t.Errorf("computed total mean %q, want 68.8", got)
	}
	var steps []string
	for _, d := range r.Disclosures {
		steps = append(steps, fmt.Sprintf("%s %s %d", d.On.Format(time.DateOnly), d.Level, len(d.Sources)))
	}
	wantSame(t, "disclosure history", []string{"2026-08-18 aggregates 0", "2026-08-20 aggregates 0", "2026-08-27 full 1"}, steps)
	if len(r.Objections) != 1 || r.Objections[0].Team.Slug != "motif" || r.Objections[0].Status != postgres.ObjectionPending ||
		r.Objections[0].DecisionDue == nil || len(r.Objections[0].Sources) != 1 {
		t.Errorf("objections = %+v", r.Objections)
	}
	motif := must(store.PublicTeam(ctx, "sovereign-ai", "motif")).val(t)
	if len(motif.Objections) != 1 || motif.Last == nil || motif.Last.Outcome != "eliminated" {
		t.Errorf("motif: objections %+v, last %+v", motif.Objections, motif.Last)
	}
	feed, err := store.PublicFeed(ctx, "sovereign-ai")
	if err != nil {
		t.Fatal(err)
	}
	if fr := feed.Rounds[len(feed.Rounds)-1]; fr.Slug != "stage-2" || len(fr.Disclosures) != 3 || len(fr.Objections) != 1 {
		t.Errorf("feed: %s with %d disclosure steps and %d objections", fr.Slug, len(fr.Disclosures), len(fr.Objections))
	}
	var approvals int
	if err := pool.QueryRow(ctx, `SELECT approvals FROM programs WHERE slug = 'sovereign-ai'`).Scan(&approvals); err != nil || approvals != 2 {
		t.Errorf("approvals = %d (%v), want 2", approvals, err)
	}

	// A second import of the same file changes nothing and logs nothing.
	unchanged, events := snapshot(t, pool), countAudit(t, store, "")
	if _, err := store.ImportProgram(ctx, stage2File(t, nil)); err != nil {
		t.Fatal(err)
	}
	unchanged("second import")
	if n := countAudit(t, store, ""); n != events {
		t.Errorf("second import: %d audit events, want %d", n, events)
	}

	// A file that narrows the published round's disclosure is refused.
	_, err = store.ImportProgram(ctx, stage2File(t, atLevel("outcomes")))
	if !errors.Is(err, contest.ErrInvalid) || !strings.Contains(err.Error(), "only ever widens") {
		t.Errorf("narrowing import: err = %v", err)
	}
}

func figureOf(scores []postgres.PublicScore, team, criterion string) string {
	for _, s := range scores {
		if s.Team == team && s.Criterion == criterion {
			return s.Value
		}
	}
	return ""
}

func statOf(stats []postgres.PublicStat, criterion, stat string) string {
	for _, s := range stats {
		if s.Criterion == criterion && s.Stat == stat {
			return s.Value
		}
	}
	return ""
}

// teamFigures are the stage-2 points of single teams: none may show below
// the full level.
var teamFigures = []string{"70.6", "69.9", "69.0", "65.8", "22.2", "22.7", "20.6", "24.6", "29.3", "29.1", "27.1",
	"19.1", "18.1", "18.9", "14.1", "ranked", "위 ("}

// timestamp matches a time in JSON.
var timestamp = regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)"`)

// publicReads reads everything the public can read about the program.
func publicReads(t *testing.T, store *postgres.Store) map[string]any {
	t.Helper()
	ctx := t.Context()
	const p = "sovereign-ai"
	out := map[string]any{}
	add := func(name string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = v
	}
	v1, err := store.PublicRound(ctx, p, "stage-2")
	add("PublicRound", v1, err)
	v2, err := store.PublicRounds(ctx, p)
	add("PublicRounds", v2, err)
	v3, err := store.PublicTeams(ctx, p)
	add("PublicTeams", v3, err)
	for _, team := range []string{"skt", "upstage", "lg", "motif"} {
		v, err := store.PublicTeam(ctx, p, team)
		add("PublicTeam "+team, v, err)
	}
	v4, err := store.PublicOverview(ctx, p)
	add("PublicOverview", v4, err)
	v5, err := store.PublicHistory(ctx, p)
	add("PublicHistory", v5, err)
	v6, err := store.PublicFeed(ctx, p)
	add("PublicFeed", v6, err)
	v7, err := store.PublicSearch(ctx, p, "motif")
	add("PublicSearch", v7, err)
	v8, err := store.PublishedResults(ctx, p, "stage-2")
	add("PublishedResults", v8, err)
	report, err := json.Marshal(v8.Report)
	add("results JSON", string(report), err)
	v11, rec, err := store.Revision(ctx, p, "stage-2", 1)
	add("Revision", []any{v11.Report, v11.Input, v11.Result, rec}, err)
	v9, err := store.Objections(ctx, p, "stage-2")
	add("Objections", v9, err)
	v10, err := store.Disclosures(ctx, p, "stage-2")
	add("Disclosures", v10, err)
	return out
}

// TestDisclosureLevels: a round published at outcomes shows no figure
// through any public read; widening to aggregates adds the statistics
// but no team's points; full shows the table; narrowing is refused.
func TestDisclosureLevels(t *testing.T) {
	store, _, ctx := importStage2(t, atLevel("outcomes"))

	for name, v := range publicReads(t, store) {
		b := must(json.Marshal(v)).val(t)
		// Times (such as the program's UpdatedAt, taken from the clock)
		// may hold a figure's digits by chance.
		b = timestamp.ReplaceAll(b, []byte(`"<time>"`))
		for _, fig := range teamFigures {
			if strings.Contains(string(b), fig) {
				t.Errorf("outcomes: %s shows %q: %s", name, fig, b)
			}
		}
	}
	rr := must(store.PublishedResults(ctx, "sovereign-ai", "stage-2")).val(t)
	for _, tr := range rr.Report.Teams {
		if tr.Rank != nil || tr.Total != nil || len(tr.Categories) != 0 || tr.Outcome == nil || tr.Reason.EN == "" {
			t.Errorf("outcomes: results line %+v", tr)
		}
	}
	if rr.Report.Disclosure != "outcomes" || rr.Result != nil || len(rr.Input.Scores) != 0 || len(rr.Aggregates) != 0 {
		t.Errorf("outcomes: disclosure %q, result %v, what-if scores %d, aggregates %v", rr.Report.Disclosure, rr.Result != nil, len(rr.Input.Scores), rr.Aggregates)
	}
	if got := rr.Report.Teams[len(rr.Report.Teams)-1]; got.Team != "motif" || got.Reason.EN != "eliminated" {
		t.Errorf("outcomes: last line %+v, want motif eliminated with a plain reason", got)
	}

	// Widen to aggregates: statistics, still no team's points.
	note := contest.Text{KO: "영역별 평균과 격차 공개", EN: "Block averages and gaps"}
	if err := store.WidenDisclosure(ctx, "sovereign-ai", "stage-2", "aggregates", time.Date(2026, 8, 18, 0, 0, 0, 0, time.UTC), note, manageActor); err != nil {
		t.Fatal(err)
	}
	r, err := store.PublicRound(ctx, "sovereign-ai", "stage-2")
	if err != nil {
		t.Fatal(err)
	}
	if r.Disclosure != "aggregates" || len(r.Scores) != 0 || statOf(r.Aggregates, "total", "spread") != "4.8" ||
		statOf(r.Aggregates, "benchmark", "mean") != "22.5" || len(r.Stats) != 3 {
		t.Errorf("aggregates: disclosure %q, figures %v, aggregates %v, stats %v", r.Disclosure, r.Scores, r.Aggregates, r.Stats)
	}
	for _, o := range r.Outcomes {
		if o.Rank != nil || strings.Contains(o.Reason.EN, "ranked") {
			t.Errorf("aggregates: outcome %+v", o)
		}
	}
	rr, err = store.PublishedResults(ctx, "sovereign-ai", "stage-2")
	if err != nil {
		t.Fatal(err)
	}
	if rr.Report.Disclosure != "aggregates" || rr.Report.Teams[0].Total != nil || len(rr.Aggregates) == 0 {
		t.Errorf("aggregates: results %+v, aggregates %v", rr.Report, rr.Aggregates)
	}
	wantAudit(t, store, "round.disclose", 1, "round:stage-2", map[string]any{"disclosure": "outcomes"},
		map[string]any{"disclosure": "aggregates", "on": "2026-08-18"})

	// Narrowing is refused, with a message saying so.
	err = store.WidenDisclosure(ctx, "sovereign-ai", "stage-2", "outcomes", time.Date(2026, 8, 19, 0, 0, 0, 0, time.UTC), note, manageActor)
	if !errors.Is(err, contest.ErrInvalid) || !strings.Contains(err.Error(), "only ever widens") {
		t.Errorf("narrowing: err = %v", err)
	}

	// Full: the table.
	if err := store.WidenDisclosure(ctx, "sovereign-ai", "stage-2", "full", time.Date(2026, 8, 27, 0, 0, 0, 0, time.UTC), contest.Text{KO: "전체 공개", EN: "Full table"}, manageActor); err != nil {
		t.Fatal(err)
	}
	r, err = store.PublicRound(ctx, "sovereign-ai", "stage-2")
	if err != nil {
		t.Fatal(err)
	}
	if figureOf(r.Scores, "motif", "total") != "65.8" || len(r.Disclosures) != 2 || r.Disclosures[1].By != "" {
		t.Errorf("full: figures %v, disclosures %+v", r.Scores, r.Disclosures)
	}
	steps, err := store.Disclosures(ctx, "sovereign-ai", "stage-2")
	if err != nil || len(steps) != 2 || steps[0].Note != note {
		t.Errorf("disclosures = %+v, %v", steps, err)
	}
}

// TestObjectionFiledAndDecided: staff record an objection and its
// decision, who, when and why; the results do not change.
func TestObjectionFiledAndDecided(t *testing.T) {
	store, _, ctx := importStage2(t, nil)
	before := must(store.PublishedResults(ctx, "sovereign-ai", "stage-2")).val(t)
	due := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	o, err := store.FileObjection(ctx, "sovereign-ai", "stage-2", postgres.NewObjection{
		Team: "lg", FiledOn: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), DecisionDue: &due,
		Summary: contest.Text{KO: "전문가 평가 재검토 요청", EN: "Asked for the expert scores to be reviewed"},
		Sources: []string{"https://example.org/lg-objection"},
	}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != postgres.ObjectionPending || len(o.Sources) != 1 || o.Version != 1 {
		t.Errorf("filed: %+v", o)
	}
	wantAudit(t, store, "objection.file", 1, fmt.Sprintf("round:stage-2/objection:%d", o.ID), nil, map[string]any{"team": "lg", "status": "pending"})

	_, err = store.FileObjection(ctx, "sovereign-ai", "stage-2", postgres.NewObjection{Team: "naver", FiledOn: due, Summary: o.Summary}, manageActor)
	wantFieldErrors(t, err, "team")

	decided := time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)
	why := contest.Text{KO: "평가 절차에 하자 없음", EN: "The evaluation followed its procedure"}
	if _, err := store.DecideObjection(ctx, o.ID, "rejected", decided, why, o.Version+1, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale decision: err = %v", err)
	}
	_, err = store.DecideObjection(ctx, o.ID, "maybe", decided, contest.Text{KO: "사유"}, o.Version, manageActor)
	wantFieldErrors(t, err, "status", "decision_en")
	d := must(store.DecideObjection(ctx, o.ID, "rejected", decided, why, o.Version, manageActor)).val(t)
	if d.Status != "rejected" || d.DecidedOn == nil || !d.DecidedOn.Equal(decided) || d.Decision != why || d.DecidedBy != manageActor.Name || d.Version != 2 {
		t.Errorf("decided: %+v", d)
	}
	wantAudit(t, store, "objection.decide", 1, fmt.Sprintf("round:stage-2/objection:%d", o.ID), map[string]any{"status": "pending"},
		map[string]any{"status": "rejected", "decided_on": "2026-09-10", "decision_en": why.EN, "decided_by": manageActor.Name})
	if _, err := store.DecideObjection(ctx, o.ID, "upheld", decided, why, d.Version, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("second decision: err = %v", err)
	}

	public := must(store.Objections(ctx, "sovereign-ai", "stage-2")).val(t)
	if len(public) != 2 || public[1].Team.Slug != "lg" || public[1].Status != "rejected" || public[1].Decision != why || public[1].DecidedBy != "" {
		t.Errorf("public objections = %+v", public)
	}
	staff, err := store.AdminObjections(ctx, "sovereign-ai", "stage-2")
	if err != nil || len(staff) != 2 || staff[1].DecidedBy != manageActor.Name {
		t.Errorf("staff objections = %+v, %v", staff, err)
	}
	after := must(store.PublishedResults(ctx, "sovereign-ai", "stage-2")).val(t)
	if diff := cmp.Diff(before.Report, after.Report); diff != "" || after.Revision != before.Revision {
		t.Errorf("deciding an objection changed the results (-before +after):\n%s", diff)
	}

	// A re-import of the file keeps the objection recorded in the console
	// and its source.
	if _, err := store.ImportProgram(ctx, stage2File(t, nil)); err != nil {
		t.Fatal(err)
	}
	public, err = store.Objections(ctx, "sovereign-ai", "stage-2")
	if err != nil || len(public) != 2 || len(public[1].Sources) != 1 {
		t.Errorf("after re-import: %+v, %v", public, err)
	}
}

// TestCompletenessCountsDisqualifiedTeams: a disqualified team's scores
// are required too (with backfill, where it is not ranked), so the counts
// agree with the missing list.
func TestCompletenessCountsDisqualifiedTeams(t *testing.T) {
	t.Parallel()
	store := postgres.New(pgtest.New(t))
	txt := func(s string) programfile.Text { return programfile.Text{KO: s, EN: s} }
	f := &programfile.File{Program: programfile.Program{Slug: "p", Name: txt("P"), Ministry: txt("M")}}
	f.Organizations = []programfile.Organization{{Slug: "o", Name: txt("O"), Kind: "other"}}
	r := programfile.Round{Slug: "r1", Kind: "stage", Name: txt("Round"), Rule: programfile.Rule{Advance: 1, Backfill: true},
		Criteria: []programfile.Criterion{{Code: "a", Name: txt("A"), Max: "50.00"}, {Code: "b", Name: txt("B"), Max: "50.00"}}}
	for _, team := range []string{"t1", "t2", "t3"} {
		f.Teams = append(f.Teams, programfile.Team{Slug: team, Name: txt(team), Lead: "o"})
		e := programfile.Entry{Team: team, Status: "eligible"}
		if team == "t3" {
			e = programfile.Entry{Team: team, Status: "disqualified", Reason: txt("rule breach")}
		}
		r.Entries = append(r.Entries, e)
		r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "a", Value: "10.00"})
		if team != "t3" {
			r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "b", Value: "10.00"})
		}
	}
	f.Rounds = []programfile.Round{r}
	if _, err := store.ImportProgram(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	rounds := must(store.AdminRounds(t.Context(), "p")).val(t)
	c := rounds[0].Completeness
	if c.Required != 6 || c.Entered != 5 || len(c.Missing) != 1 || c.Required-c.Entered != len(c.Missing) {
		t.Errorf("completeness = %+v, want 5 of 6 entered, t3/b missing", c)
	}
}

// TestFrozenInputWithoutRounding: revisions frozen before rounding existed
// re-derive with two decimals at category level; newer ones keep theirs.
func TestFrozenInputWithoutRounding(t *testing.T) {
	var old postgres.FrozenInput
	if err := json.Unmarshal([]byte(`{"kind": "stage", "advance": 1, "criteria": [{"code": "a", "max": "10"}]}`), &old); err != nil {
		t.Fatal(err)
	}
	if got := old.EngineInput().Rule.Rounding; got.Decimals != 2 || got.Level != "category" {
		t.Errorf("old revision rounding = %+v", got)
	}
	b, err := json.Marshal(postgres.FrozenInput{Rounding: &postgres.FrozenRounding{Decimals: 1, Level: "leaf"},
		Criteria: []postgres.FrozenCriterion{{Code: "a", Max: "25", Scale: &postgres.FrozenScale{From: "0", To: "100"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var in postgres.FrozenInput
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	e := in.EngineInput()
	if e.Rule.Rounding.Decimals != 1 || e.Rule.Rounding.Level != "leaf" || e.Criteria[0].Scale == nil || e.Criteria[0].Scale.To.FloatString(0) != "100" {
		t.Errorf("round trip: rounding %+v, scale %+v", e.Rule.Rounding, e.Criteria[0].Scale)
	}
}
