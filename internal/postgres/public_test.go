package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

const program = "sovereign-ai"

// importRecord marks the test parallel and returns a fresh database holding
// the real program record (a frozen copy in fixtures, imported once into a
// template) and the test's context.
func importRecord(t *testing.T) (*postgres.Store, *pgxpool.Pool, context.Context) {
	t.Helper()
	t.Parallel()
	pool := pgtest.NewRecordDB(t)
	return postgres.New(pool), pool, t.Context()
}

func teamSlugs(ts []postgres.PublicTeam) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Slug)
	}
	return out
}

func figures(scores []postgres.PublicScore) []string {
	var out []string
	for _, s := range scores {
		out = append(out, s.Team+"/"+s.Criterion+"="+s.Value)
	}
	return out
}

func TestPublicRecord(t *testing.T) {
	st, _, ctx := importRecord(t)

	t.Run("default program", func(t *testing.T) {
		p := must(st.DefaultProgram(ctx)).val(t)
		if p.Slug != program || p.Ministry.KO != "과학기술정보통신부" || len(p.Agencies) != 3 || p.UpdatedAt.IsZero() {
			t.Errorf("program = %+v", p)
		}
		if p.FinalTeams == nil || *p.FinalTeams != 2 {
			t.Errorf("final teams = %v, want 2", p.FinalTeams)
		}
		bySlug, err := st.PublicProgram(ctx, program)
		if err != nil || !cmp.Equal(p, bySlug) {
			t.Errorf("PublicProgram = %+v, %v; want the default program", bySlug, err)
		}
	})

	t.Run("overview", func(t *testing.T) {
		ov := must(st.PublicOverview(ctx, program)).val(t)
		wantSame(t, "still in", []string{"upstage", "skt", "lg", "motif"}, teamSlugs(ov.StillIn))
		if ov.Next == nil || ov.Next.Slug != "stage-2" || ov.Next.Entrants != 4 || ov.Next.Advance != 3 || ov.Next.Published {
			t.Errorf("next = %+v", ov.Next)
		}
		if ov.Latest == nil || ov.Latest.Slug != "additional-call" || len(ov.Latest.Outcomes) != 2 {
			t.Fatalf("latest = %+v", ov.Latest)
		}
		if o := ov.Latest.Outcomes[0]; o.Team.Slug != "motif" || o.Outcome != contest.OutcomeSelected || len(o.Sources) == 0 {
			t.Errorf("latest first outcome = %+v", o)
		}
		if ov.Teams != 16 || ov.Rounds != 6 || ov.Organizations < 80 {
			t.Errorf("counts: teams %d rounds %d organizations %d", ov.Teams, ov.Rounds, ov.Organizations)
		}
	})

	t.Run("teams", func(t *testing.T) {
		teams := must(st.PublicTeams(ctx, program)).val(t)
		byStatus := map[string][]string{}
		var lg postgres.PublicTeam
		for _, tm := range teams {
			byStatus[tm.Status] = append(byStatus[tm.Status], tm.Slug)
			if tm.Slug == "lg" {
				lg = tm
			}
		}
		want := map[string][]string{
			postgres.TeamCompeting:   {"upstage", "skt", "lg", "motif"},
			postgres.TeamOut:         {"naver-cloud", "nc-ai"},
			postgres.TeamNotSelected: {"kt", "kakao", "kaist", "konan", "lunit", "bionexus", "sionic-ai", "junctionmed", "pion", "trillion-labs"},
		}
		wantSame(t, "teams by status", want, byStatus)
		wantLG := []string{"lg/benchmark=33.60", "lg/nia=9.20", "lg/global_common=14.40", "lg/global_individual=10.00",
			"lg/expert=31.60", "lg/user=25.00", "lg/total=90.20"}
		wantSame(t, "LG figures", wantLG, figures(lg.Scores))
		if lg.ScoresRound == nil || lg.ScoresRound.Slug != "stage-1" || lg.Last == nil || lg.Last.Outcome != "advanced" {
			t.Errorf("LG = %+v", lg)
		}
		if lg.Lead.Slug != "lg-ai-research" || lg.Size != 11 {
			t.Errorf("LG lead %s, members %d (want lg-ai-research, 11)", lg.Lead.Slug, lg.Size)
		}
	})

	t.Run("stage 1", func(t *testing.T) {
		r := must(st.PublicRound(ctx, program, "stage-1")).val(t)
		if !r.Published || r.Advance != 4 || r.Backfill || r.Entrants != 5 || r.Through == nil || *r.Through != 3 {
			t.Errorf("round = %+v", r.PublicRound)
		}
		var codes []string
		for _, c := range r.Criteria {
			codes = append(codes, c.Code+":"+c.Max)
		}
		wantSame(t, "criteria", []string{"benchmark:40.00", "nia:10.00", "global_common:20.00", "global_individual:10.00", "expert:35.00", "user:25.00"}, codes)
		if c := r.Criteria[4]; c.PanelSize == nil || *c.PanelSize != 10 || c.Aggregate != "mean" || !c.Leaf || c.Depth != 0 {
			t.Errorf("expert criterion = %+v", c)
		}
		if c := r.Criteria[1]; c.Parent != "benchmark" || c.Depth != 1 {
			t.Errorf("nia criterion = %+v", c)
		}
		wantScores := []string{"lg/benchmark=33.60", "lg/nia=9.20", "lg/global_common=14.40", "lg/global_individual=10.00",
			"lg/expert=31.60", "lg/user=25.00", "lg/total=90.20", "skt/nia=9.20", "upstage/global_individual=10.00"}
		wantSame(t, "published scores", wantScores, figures(r.Scores))
		outcomes := map[string]postgres.PublicOutcome{}
		for _, o := range r.Outcomes {
			outcomes[o.Team.Slug] = o
		}
		if o := outcomes["nc-ai"]; o.Outcome != "eliminated" || o.Reason.KO != "5개 팀 중 총점 최하위" {
			t.Errorf("NC AI outcome = %+v", o)
		}
		if o := outcomes["naver-cloud"]; o.Outcome != "disqualified" || !strings.Contains(o.Reason.EN, "independence") {
			t.Errorf("Naver Cloud outcome = %+v", o)
		}
		var naver postgres.PublicEntry
		for _, e := range r.Entries {
			if e.Team.Slug == "naver-cloud" {
				naver = e
			}
		}
		if naver.Status != "disqualified" || naver.Reason.KO == "" {
			t.Errorf("Naver Cloud entry = %+v", naver)
		}
		stats := map[string]string{}
		for _, s := range r.Stats {
			stats[s.Stat+"/"+s.Criterion] = s.Value
		}
		if stats["mean/total"] != "79.70" || stats["mean/expert"] != "28.56" || stats["max/global_common"] != "14.40" || len(stats) != 11 {
			t.Errorf("stats = %v", stats)
		}
		if len(r.Sources) == 0 || r.Sources[0].Label == "" {
			t.Errorf("sources = %+v", r.Sources)
		}
	})

	t.Run("rounds", func(t *testing.T) {
		rounds := must(st.PublicRounds(ctx, program)).val(t)
		var got []string
		for _, r := range rounds {
			through := "-"
			if r.Through != nil {
				through = strconv.Itoa(*r.Through)
			}
			got = append(got, r.Slug+":"+r.Status+":"+through)
		}
		want := []string{"document-review:published:10", "presentation-review:published:5", "stage-1:published:3",
			"additional-call:published:1", "stage-2:draft:-", "final:draft:-"}
		wantSame(t, "rounds", want, got)
		if !rounds[3].AnnounceDateOnly || rounds[3].AnnounceAt == nil {
			t.Errorf("additional call announcement = %v, date only %v", rounds[3].AnnounceAt, rounds[3].AnnounceDateOnly)
		}
	})

	t.Run("team", func(t *testing.T) {
		lg := must(st.PublicTeam(ctx, program, "lg")).val(t)
		var rounds []string
		for _, r := range lg.Rounds {
			o := "-"
			if r.Outcome != nil {
				o = r.Outcome.Outcome
			}
			rounds = append(rounds, r.Round.Slug+":"+o)
		}
		wantSame(t, "LG rounds", []string{"document-review:selected", "presentation-review:selected", "stage-1:advanced", "stage-2:-"}, rounds)
		if len(lg.Rounds[2].Scores) != 7 || lg.Rounds[3].Published || lg.Rounds[3].Eligibility != "" {
			t.Errorf("LG stage rounds = %+v", lg.Rounds[2:])
		}
		var elice *postgres.PublicMember
		for i, m := range lg.Members {
			if m.Org.Slug == "elice" {
				elice = &lg.Members[i]
			}
		}
		if elice == nil || elice.Confidence != contest.Reported || elice.Since == nil || elice.Since.Format("2006-01-02") != "2026-02-25" || len(elice.Sources) != 1 {
			t.Errorf("Elice membership = %+v", elice)
		}
		if lg.Model != "K-EXAONE" || lg.ModelNote.EN == "" || len(lg.Support) != 3 || len(lg.Sources) == 0 {
			t.Errorf("LG = model %q note %q support %d sources %d", lg.Model, lg.ModelNote.EN, len(lg.Support), len(lg.Sources))
		}

		motif := must(st.PublicTeam(ctx, program, "motif")).val(t)
		if motif.Last == nil {
			t.Fatalf("Motif has no latest outcome: %+v", motif.PublicTeam)
		}
		if motif.Status != postgres.TeamCompeting || motif.Last.Round.Slug != "additional-call" || motif.Size != 17 {
			t.Errorf("Motif = status %s last %+v members %d", motif.Status, motif.Last, motif.Size)
		}
	})

	t.Run("history", func(t *testing.T) {
		h := must(st.PublicHistory(ctx, program)).val(t)
		if len(h.Rounds) != 6 || len(h.Rounds[0].Outcomes) != 15 || len(h.Rounds[4].Outcomes) != 0 {
			t.Errorf("history rounds: %d, first %d outcomes", len(h.Rounds), len(h.Rounds[0].Outcomes))
		}
		if len(h.Events) != 13 || h.Events[0].Title.EN != "Kickoff ceremony" {
			t.Errorf("events: %d, first %+v", len(h.Events), h.Events[0])
		}
		for i := 1; i < len(h.Events); i++ {
			if h.Events[i].On.Before(h.Events[i-1].On) {
				t.Errorf("events out of order at %d", i)
			}
		}
	})

	t.Run("organizations", func(t *testing.T) {
		orgs := must(st.PublicOrganizations(ctx, program)).val(t)
		counts := map[string]int{}
		for _, o := range orgs {
			counts[o.Slug] = o.Teams
		}
		if counts["kaist"] != 6 || counts["seoul-national-university"] != 4 || counts["lg-ai-research"] != 1 {
			t.Errorf("consortia of kaist %d, snu %d, lg-ai-research %d", counts["kaist"], counts["seoul-national-university"], counts["lg-ai-research"])
		}
		kaist := must(st.PublicOrganization(ctx, program, "kaist")).val(t)
		if len(kaist.Memberships) != 6 || !kaist.Memberships[0].Lead || kaist.Memberships[0].Team.Slug != "kaist" ||
			kaist.Memberships[0].Team.Status != postgres.TeamNotSelected {
			t.Errorf("KAIST memberships = %+v", kaist.Memberships)
		}
	})

	t.Run("funding", func(t *testing.T) {
		budgets := must(st.PublicFunding(ctx, program)).val(t)
		if len(budgets) != 2 {
			t.Fatalf("budgets: %d", len(budgets))
		}
		b := budgets[0]
		if b.Year != 2025 || b.AmountKRW == nil || *b.AmountKRW != 200_000_000_000 || b.Confidence != contest.Reported || len(b.Allocations) != 16 || len(b.Sources) == 0 {
			t.Errorf("2025 budget = %+v", b)
		}
		if b.Allocations[5].Team != nil || b.Allocations[5].AmountKRW == nil || *b.Allocations[5].AmountKRW != 10_000_000_000 {
			t.Errorf("program-wide data allocation = %+v", b.Allocations[5])
		}
		b = budgets[1]
		if b.AmountKRW != nil || len(b.Allocations) != 5 {
			t.Errorf("2026 budget = %+v", b)
		}
		if a := b.Allocations[0]; a.GPUModel != "B200" || a.Quantity == nil || *a.Quantity != 768 || a.Team == nil || a.Team.Slug != "motif" {
			t.Errorf("Motif GPU allocation = %+v", a)
		}
	})

	t.Run("not found", func(t *testing.T) {
		for name, err := range map[string]error{
			"team":         second(st.PublicTeam(ctx, program, "nobody")),
			"round":        second(st.PublicRound(ctx, program, "stage-9")),
			"organization": second(st.PublicOrganization(ctx, program, "nowhere")),
			"program":      second(st.PublicTeams(ctx, "no-program")),
		} {
			if !errors.Is(err, contest.ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", name, err)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestPublicDefaultProgramEmpty(t *testing.T) {
	t.Parallel()
	st := postgres.New(pgtest.New(t))
	if _, err := st.DefaultProgram(t.Context()); !errors.Is(err, contest.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

// Sentinel figures of an unpublished round, planted behind the importer's
// back: every public method must keep them out.
const (
	sentinelReason   = pgtest.SentinelReason
	sentinelRevision = pgtest.SentinelRevision
	sentinelScore    = pgtest.SentinelScore
	sentinelCategory = pgtest.SentinelCategory
	sentinelStat     = pgtest.SentinelStat
	sentinelEntry    = pgtest.SentinelEntry
)

// unpublishedStatuses are the statuses of a round before publication: the
// embargo tests plant their sentinels in a round in each of them.
var unpublishedStatuses = []string{"draft", "scoring", "closed"}

// plantSentinels plants pgtest's sentinels in the round stage-2 (a draft in
// the record) put in the given status before publication.
func plantSentinels(t *testing.T, pool *pgxpool.Pool, status string) {
	t.Helper()
	if !slices.Contains(unpublishedStatuses, status) {
		t.Fatalf("plant sentinels: %q is not a status before publication", status)
	}
	pgtest.PlantSentinels(t, pool, status)
}

// embargoed runs read, in parallel, on a fresh copy of the record for every
// status before publication, with pgtest's sentinels planted in stage-2 put
// in that status. Everything read passes to collect; none of it may hold a
// sentinel (what names the methods in the message).
func embargoed(t *testing.T, what string, read func(t *testing.T, st *postgres.Store, pool *pgxpool.Pool, ctx context.Context, status string, collect func(any, error))) {
	t.Parallel()
	for _, status := range unpublishedStatuses {
		t.Run(status, func(t *testing.T) {
			st, pool, ctx := importRecord(t)
			plantSentinels(t, pool, status)
			var everything []any
			read(t, st, pool, ctx, status, func(v any, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				everything = append(everything, v)
			})
			data := must(json.Marshal(everything)).val(t)
			for _, s := range []string{sentinelReason, sentinelRevision, sentinelScore, sentinelCategory, sentinelStat, sentinelEntry} {
				if strings.Contains(string(data), s) {
					t.Errorf("%s returned the embargoed %q of a %s round", what, s, status)
				}
			}
		})
	}
}

// TestPublicEmbargo: results of a round that is not published (draft,
// scoring or closed) never leave the public queries, whatever the tables
// hold.
func TestPublicEmbargo(t *testing.T) {
	embargoed(t, "public methods", testPublicEmbargo)
}

func testPublicEmbargo(t *testing.T, st *postgres.Store, pool *pgxpool.Pool, ctx context.Context, status string, collect func(any, error)) {
	collect(st.PublicOverview(ctx, program))
	collect(st.PublicTeams(ctx, program))
	collect(st.PublicRounds(ctx, program))
	collect(st.PublicHistory(ctx, program))
	collect(st.PublicFunding(ctx, program))
	collect(st.PublicOrganizations(ctx, program))
	collect(st.PublicOrganization(ctx, program, "lg-ai-research"))
	for _, team := range []string{"lg", "skt", "upstage", "motif"} {
		collect(st.PublicTeam(ctx, program, team))
	}
	for _, round := range []string{"stage-1", "stage-2", "final"} {
		collect(st.PublicRound(ctx, program, round))
	}

	r := must(st.PublicRound(ctx, program, "stage-2")).val(t)
	if r.Status != status || r.Published || r.Through != nil || len(r.Scores)+len(r.Stats)+len(r.Outcomes) != 0 {
		t.Errorf("stage 2 (%s, published %v) leaks: through %v scores %v stats %v outcomes %v", r.Status, r.Published, r.Through, r.Scores, r.Stats, r.Outcomes)
	}
	for _, e := range r.Entries {
		if e.Status != "" {
			t.Errorf("stage 2 (%s) entry %s has eligibility %q before publication", status, e.Team.Slug, e.Status)
		}
	}
	// The criteria of an unpublished round are public: the rules are known in advance.
	if len(r.Criteria) != 1 || r.Criteria[0].Code != "sentinel" {
		t.Errorf("stage 2 criteria = %+v", r.Criteria)
	}
	teams, err := st.PublicTeams(ctx, program)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tm := range teams {
		if tm.Slug != "lg" {
			continue
		}
		found = true
		if tm.Last == nil {
			t.Fatalf("LG has no latest outcome: %+v", tm)
		}
		if tm.Status != postgres.TeamCompeting || tm.Last.Round.Slug != "stage-1" {
			t.Errorf("LG status %s after %s: the %s outcome counted", tm.Status, tm.Last.Round.Slug, status)
		}
	}
	if !found {
		t.Fatal("LG is not among the public teams")
	}

	// Publishing the round releases what it holds: its result revision
	// (computed results win over announced ones) and its statistics.
	if _, err := pool.Exec(ctx, `UPDATE rounds SET status = 'published', published_at = now() WHERE slug = 'stage-2'`); err != nil {
		t.Fatal(err)
	}
	r, err = st.PublicRound(ctx, program, "stage-2")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Computed || len(r.Outcomes) != 1 || r.Outcomes[0].Reason.KO != sentinelRevision || r.Outcomes[0].Rank == nil {
		t.Errorf("published stage 2 outcomes = %+v", r.Outcomes)
	}
	wantSame(t, "published stage 2 figures", []string{"lg/sentinel=55.55", "lg/total=77.77"}, figures(r.Scores))
	if len(r.Stats) != 1 || r.Through == nil || *r.Through != 0 {
		t.Errorf("published stage 2: stats %v through %v", r.Stats, r.Through)
	}
	lg := must(st.PublicTeam(ctx, program, "lg")).val(t)
	if lg.Last == nil || lg.ScoresRound == nil {
		t.Fatalf("LG after a published elimination: last %+v, scores round %+v", lg.Last, lg.ScoresRound)
	}
	if lg.Status != postgres.TeamOut || lg.Last.Round.Slug != "stage-2" || lg.ScoresRound.Slug != "stage-2" {
		t.Errorf("LG after a published elimination: status %s, last %+v", lg.Status, lg.Last)
	}
}

func sourceURLs(srcs []postgres.PublicSource) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, s.URL)
	}
	return out
}

// Published figures and the latest outcome of each team carry the sources
// cited for them, so every public figure and outcome links to its source.
func TestPublicFigureAndOutcomeSources(t *testing.T) {
	st, _, ctx := importRecord(t)
	d := must(st.PublicRound(ctx, program, "stage-1")).val(t)
	wantLG := []string{
		"https://mobile.newsis.com/view_amp.html?ar_id=NISX20260115_0003478766",
		"https://www.msit.go.kr/eng/bbs/view.do?sCode=eng&mPid=2&mId=4&bbsSeqNo=42&nttSeqNo=1212",
		"https://zdnet.co.kr/view/?no=20260115144724",
	}
	found := 0
	for _, sc := range d.Scores {
		if sc.Team == "lg" && sc.Criterion == "total" {
			found++
			wantSame(t, "LG's stage-1 total sources", wantLG, sourceURLs(sc.Sources))
		}
		if len(sc.Sources) == 0 {
			t.Errorf("%s/%s: a published figure without a source", sc.Team, sc.Criterion)
		}
	}
	if found != 1 {
		t.Fatalf("LG's total found %d times", found)
	}
	teams := must(st.PublicTeams(ctx, program)).val(t)
	for _, tm := range teams {
		if tm.Last != nil && len(tm.Last.Sources) == 0 {
			t.Errorf("%s: latest outcome in %s without a source", tm.Slug, tm.Last.Round.Slug)
		}
		if tm.Slug == "lg" {
			var total *postgres.PublicScore
			for i := range tm.Scores {
				if tm.Scores[i].Criterion == "total" {
					total = &tm.Scores[i]
				}
			}
			if total == nil || len(total.Sources) == 0 {
				t.Errorf("LG's latest total carries no source: %+v", total)
			}
		}
	}
}

// TestPublicUpdatedAtIgnoresUnpublishedRounds: the program's last change,
// shown as the API's updated_at, the feed's <updated> and on the pages,
// counts published rounds only, so it does not tell the public when an
// unpublished round was scored, closed or scheduled.
func TestPublicUpdatedAtIgnoresUnpublishedRounds(t *testing.T) {
	st, pool, ctx := importRecord(t)
	// updatedAt returns the program's UpdatedAt, checking that every method
	// returning the program header agrees on it.
	updatedAt := func() time.Time {
		t.Helper()
		p := must(st.PublicProgram(ctx, program)).val(t)
		def := must(st.DefaultProgram(ctx)).val(t)
		all := must(st.PublicPrograms(ctx)).val(t)
		feed := must(st.PublicFeed(ctx, program)).val(t)
		if len(all) != 1 {
			t.Fatalf("%d programs", len(all))
		}
		for name, other := range map[string]time.Time{"default program": def.UpdatedAt, "programs": all[0].UpdatedAt, "feed": feed.Program.UpdatedAt} {
			if !other.Equal(p.UpdatedAt) {
				t.Errorf("%s: updated at %v, program %v", name, other, p.UpdatedAt)
			}
		}
		return p.UpdatedAt
	}
	before := updatedAt()
	if before.IsZero() {
		t.Fatal("no updated at")
	}
	tag, err := pool.Exec(ctx, `UPDATE rounds SET status = 'closed', updated_at = now() + interval '1 day' WHERE slug = 'stage-2' AND NOT published`)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("close stage-2: %v (%d rows)", err, tag.RowsAffected())
	}
	if got := updatedAt(); !got.Equal(before) {
		t.Errorf("closing the draft stage-2 moved the program's updated at from %v to %v", before, got)
	}
	// A change to a published round does count, so the check above can fail.
	tag, err = pool.Exec(ctx, `UPDATE rounds SET updated_at = now() + interval '2 days' WHERE slug = 'stage-1' AND published`)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("touch stage-1: %v (%d rows)", err, tag.RowsAffected())
	}
	if got := updatedAt(); !got.After(before.Add(36 * time.Hour)) {
		t.Errorf("a change to the published stage-1 left the program's updated at at %v (was %v)", got, before)
	}
}
