package programfile

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/fixtures"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func intp(i int) *int           { return &i }
func krw(i int64) *int64        { return &i }
func tm(t time.Time) *time.Time { return &t }

func txt(ko, en string) Text { return Text{KO: ko, EN: en} }

// validFile is what testdata/valid.yaml (and valid.json) describe.
func validFile() *File {
	return &File{
		Program: Program{
			Slug:       "sovereign-ai",
			Name:       txt("독자 AI 파운데이션 모델 프로젝트", "Sovereign AI Foundation Model Project"),
			Ministry:   txt("과학기술정보통신부", "Ministry of Science and ICT"),
			Goal:       txt("글로벌 최고 모델 대비 95% 이상", "At least 95% of the global frontier"),
			Note:       txt("시험용 파일", "Test file"),
			FinalTeams: intp(2),
			StartedOn:  "2025-08-04",
			Agencies:   []Text{txt("정보통신산업진흥원", "National IT Industry Promotion Agency")},
			Sources: []Source{
				{URL: "https://example.org/program"},
				{URL: "https://example.org/notice", Label: "S1", Date: "2025-06-20", DateNote: "~2025-06"},
			},
			Approvals: 1,
		},
		Organizations: []Organization{
			{Slug: "lg-ai-research", Name: txt("LG AI연구원", "LG AI Research"), Kind: "research_institute"},
			{Slug: "upstage", Name: txt("업스테이지", "Upstage"), Kind: "startup", Sources: []Source{{URL: "https://example.org/upstage"}}},
			{Slug: "naver-cloud", Name: txt("네이버클라우드", "Naver Cloud"), Kind: "company"},
			{Slug: "kaist", Name: txt("카이스트", "KAIST"), Kind: "university"},
			{Slug: "some-lab", Name: txt("어느 연구소", "Some Lab"), Kind: "other"},
		},
		Teams: []Team{
			{
				Slug: "lg",
				Name: txt("LG AI연구원 정예팀", "LG AI Research consortium"),
				Lead: "lg-ai-research",
				Members: []Member{{
					Org: "kaist", Role: "participant", Since: "2025-08-04", Until: "2026-12-31",
					Confidence: "reported", Note: txt("대학 참여", "University partner"),
					Sources: []Source{{URL: "https://example.org/lg-kaist"}},
				}},
				Model:     "K-EXAONE",
				ModelNote: txt("모델 메모", "Model note"),
				Goal:      txt("팀 목표", "Team goal"),
				Note:      txt("팀 메모", "Team note"),
				Sources:   []Source{{URL: "https://example.org/lg"}},
			},
			{
				Slug:    "upstage",
				Name:    txt("업스테이지 정예팀", "Upstage consortium"),
				Lead:    "upstage",
				Members: []Member{{Org: "some-lab", Role: "participant", Confidence: "confirmed"}},
			},
			{Slug: "naver", Name: txt("네이버클라우드 정예팀", "Naver Cloud consortium"), Lead: "naver-cloud"},
		},
		Budgets: []Budget{{
			Year:       2025,
			AmountKRW:  krw(200000000000),
			Confidence: "reported",
			Note:       txt("예산 메모", "Budget note"),
			Sources:    []Source{{URL: "https://example.org/budget"}},
			Allocations: []Allocation{
				{Team: "lg", Kind: "gpu", GPUModel: "B200", Quantity: intp(1024), Confidence: "confirmed"},
				{Kind: "data", AmountKRW: krw(10000000000), Confidence: "conflicting", Note: txt("데이터", "Data"),
					Sources: []Source{{URL: "https://example.org/data"}}},
			},
		}},
		Rounds: []Round{
			{
				Slug:             "selection-1",
				Kind:             "selection",
				Name:             txt("정예팀 선정", "Team selection"),
				Period:           "2025H1",
				AnnounceAt:       tm(time.Date(2025, 8, 4, 0, 0, 0, 0, time.FixedZone("KST", 9*3600))),
				AnnounceDateOnly: true,
				Rule:             Rule{Advance: 2, Rounding: Rounding{Decimals: 2, Level: "category"}},
				Disclosure:       "full",
				Entries: []Entry{
					{Team: "lg", Status: "eligible"},
					{Team: "upstage", Status: "eligible"},
					{Team: "naver", Status: "eligible"},
				},
				Outcomes: []Outcome{
					{Team: "lg", Outcome: "selected", Rank: intp(1), Reason: txt("선정", "Selected"), Note: txt("메모", "Note"),
						Sources: []Source{{URL: "https://example.org/selected"}}},
					{Team: "upstage", Outcome: "selected", Reason: txt("선정", "Selected")},
					{Team: "naver", Outcome: "not_selected", Reason: txt("미선정", "Not selected")},
				},
				PublishedScores: []PublishedScore{
					{Team: "lg", Criterion: "total", Value: "88.00", Sources: []Source{{URL: "https://example.org/selection-scores"}}},
				},
				Sources: []Source{{URL: "https://example.org/selection"}},
			},
			{
				Slug:        "stage-1",
				Kind:        "stage",
				Name:        txt("1차 단계평가", "Stage 1 evaluation"),
				Period:      "2025H2",
				EvaluatedOn: "2026-01-14",
				AnnounceAt:  tm(time.Date(2026, 1, 15, 5, 0, 0, 0, time.UTC)),
				Rule:        Rule{Advance: 1, Backfill: true, MinTotal: "60.00", Rounding: Rounding{Decimals: 2, Level: "category"}},
				Disclosure:  "full",
				Criteria: []Criterion{
					{
						Code:        "benchmark",
						Name:        txt("벤치마크 평가", "Benchmarks"),
						Description: txt("벤치마크 설명", "Benchmark description"),
						Note:        txt("벤치마크 메모", "Benchmark note"),
						Max:         "40.00",
						Children: []Criterion{
							{Code: "nia", Name: txt("NIA 벤치마크", "NIA benchmark"), Max: "10.00"},
							{Code: "global", Name: txt("글로벌 벤치마크", "Global benchmarks"), Max: "30.00"},
						},
					},
					{Code: "expert", Name: txt("전문가 평가", "Expert panel"), Max: "35.00", Panel: &Panel{Size: 3, Aggregate: "trimmed_mean"}},
					{Code: "user", Name: txt("사용자 평가", "User panel"), Max: "25.50", Panel: &Panel{Size: 2, Aggregate: "mean"}},
				},
				Entries: []Entry{
					{Team: "lg", Status: "eligible"},
					{Team: "upstage", Status: "eligible"},
					{Team: "naver", Status: "disqualified", Reason: txt("독자성 기준 미충족", "Failed the independence criterion")},
				},
				Scores: []Score{
					{Team: "lg", Criterion: "nia", Value: "9.20"},
					{Team: "lg", Criterion: "global", Value: "24.25"},
					{Team: "lg", Criterion: "expert", Evaluator: 1, Value: "31.50"},
					{Team: "lg", Criterion: "expert", Evaluator: 2, Value: "30.00"},
					{Team: "lg", Criterion: "expert", Evaluator: 3, Value: "33.00"},
					{Team: "lg", Criterion: "user", Evaluator: 1, Value: "25.00"},
					{Team: "lg", Criterion: "user", Evaluator: 2, Value: "0.00"},
					{Team: "upstage", Criterion: "nia", Value: "8.75"},
				},
				PublishedScores: []PublishedScore{
					{Team: "lg", Criterion: "benchmark", Value: "33.45"},
					{Team: "lg", Criterion: "total", Value: "90.20"},
				},
				PublishedStats: []PublishedStat{
					{Criterion: "benchmark", Stat: "mean", Value: "30.40"},
					{Criterion: "total", Stat: "max", Value: "90.20"},
				},
				Decision: &Decision{Advance: []string{"lg"}, Reason: txt("결정 사유", "Decision reason")},
				Note:     txt("라운드 메모", "Round note"),
				Sources:  []Source{{URL: "https://example.org/stage-1"}},
				Publish:  true,
			},
		},
		Timeline: []Event{
			{Date: "2025-06-20", Until: "2025-07-21", Title: txt("공모", "Call for proposals"), Confidence: "reported",
				Sources: []Source{{URL: "https://example.org/call"}}},
			{Date: "2026-02-20", Title: txt("추가 공모", "Additional call"), Confidence: "confirmed"},
		},
	}
}

func TestParseValid(t *testing.T) {
	for _, name := range []string{"valid.yaml", "valid.json"} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse([]byte(readFixture(t, name)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(validFile(), f); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseJSONMatchesYAML(t *testing.T) {
	fy, err := Parse([]byte(readFixture(t, "valid.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	fj, err := Parse([]byte(readFixture(t, "valid.json")))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fy, fj); diff != "" {
		t.Errorf("YAML and JSON differ (-yaml +json):\n%s", diff)
	}
}

func TestParseMinimal(t *testing.T) {
	src := `program:
  slug: p
  name: {ko: 이름, en: Name}
  ministry: {ko: 부처, en: Ministry}
`
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &File{Program: Program{Slug: "p", Name: txt("이름", "Name"), Ministry: txt("부처", "Ministry"), Approvals: 1}}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseDecimals(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"9.2", "9.20"},
		{"35", "35.00"},
		{"0", "0.00"},
		{"9.20", "9.20"},
		{"0.5", "0.50"},
		{`"7"`, "7.00"},
		{`"007.10"`, "7.10"},
		{`"12.340"`, "12.34"},
		{"31.55", "31.55"},
		{"99999.99", "99999.99"},
		{`"99999.990"`, "99999.99"},
		{"-0", "0.00"},
	} {
		src := "program: {slug: p, name: {ko: a, en: b}, ministry: {ko: a, en: b}}\n" +
			"rounds:\n  - {slug: r, kind: stage, name: {ko: a, en: b}, rule: {advance: 1, min_total: " + tc.in + "}}\n"
		f, err := Parse([]byte(src))
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := f.Rounds[0].Rule.MinTotal; got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// errorLines runs Parse, checks that it failed with *Errors and a nil File,
// and returns the error lines.
func errorLines(t *testing.T, src string) []string {
	t.Helper()
	f, err := Parse([]byte(src))
	if err == nil {
		t.Fatal("Parse succeeded, want an error")
	}
	if f != nil {
		t.Error("Parse returned a File along with errors")
	}
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, want *Errors", err)
	}
	lines := make([]string, len(*errs))
	for i, e := range *errs {
		lines[i] = e.Error()
	}
	if got := err.Error(); got != strings.Join(lines, "\n") {
		t.Errorf("Error() = %q, want the errors one per line", got)
	}
	return lines
}

func TestParseErrors(t *testing.T) {
	valid := readFixture(t, "valid.yaml")
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		// Criteria.
		{"max zero", "{code: nia, name: {ko: NIA 벤치마크, en: NIA benchmark}, max: 10}", "{code: nia, name: {ko: NIA 벤치마크, en: NIA benchmark}, max: 0}",
			"rounds[1].criteria[0].children[0].max: must be > 0"},
		{"max missing", "{code: nia, name: {ko: NIA 벤치마크, en: NIA benchmark}, max: 10}", "{code: nia, name: {ko: NIA 벤치마크, en: NIA benchmark}}",
			"rounds[1].criteria[0].children[0].max: required"},
		{"code total", "{code: global,", "{code: total,",
			`rounds[1].criteria[0].children[1].code: "total" is reserved for the round total`},
		{"duplicate code", "{code: global,", "{code: nia,",
			`rounds[1].criteria[0].children[1].code: duplicate "nia"`},
		{"bad code", "{code: global,", "{code: Global_Bench,",
			"rounds[1].criteria[0].children[1].code: must be a code (lowercase letters and digits in words joined by single hyphens or underscores, at most 64 characters)"},
		{"trimmed mean with size 2", "{size: 3, aggregate: trimmed_mean}", "{size: 2, aggregate: trimmed_mean}",
			"rounds[1].criteria[1].panel.aggregate: trimmed_mean needs a panel size of at least 3 (size is 2)"},
		{"panel on node with children", "        max: 40\n        children:", "        max: 40\n        panel: {size: 3, aggregate: mean}\n        children:",
			"rounds[1].criteria[0].panel: only leaf criteria have a panel; this criterion has children"},
		{"panel size 0", "{size: 2, aggregate: mean}", "{size: 0, aggregate: mean}",
			"rounds[1].criteria[2].panel.size: must be >= 1"},
		{"panel size above the engine's maximum", "{size: 2, aggregate: mean}", "{size: 1001, aggregate: mean}",
			"rounds[1].criteria[2].panel.size: must be at most 1000"},
		{"max above the points domain", "{code: nia, name: {ko: NIA 벤치마크, en: NIA benchmark}, max: 10}", "{code: nia, name: {ko: NIA 벤치마크, en: NIA benchmark}, max: 100000}",
			"rounds[1].criteria[0].children[0].max: must be at most 99999.99"},
		{"bad aggregate", "{size: 2, aggregate: mean}", "{size: 2, aggregate: mode}",
			`rounds[1].criteria[2].panel.aggregate: must be one of mean, median, trimmed_mean (got "mode")`},

		// Scores.
		{"comma decimal", "{team: lg, criterion: nia, value: 9.2}", `{team: lg, criterion: nia, value: "1,5"}`,
			"rounds[1].scores[0].value: must be a decimal number with at most two decimals (e.g. 1.5)"},
		{"three decimals", "value: 8.75}", "value: 8.755}",
			"rounds[1].scores[7].value: must be a decimal number with at most two decimals (e.g. 1.5)"},
		{"negative value", "value: 8.75}", "value: -1}",
			"rounds[1].scores[7].value: must be >= 0"},
		{"value above the points domain", "{team: lg, criterion: nia, value: 9.2}", `{team: lg, criterion: nia, value: "100000.00"}`,
			"rounds[1].scores[0].value: must be at most 99999.99"},
		{"value missing", "{team: upstage, criterion: nia, value: 8.75}", "{team: upstage, criterion: nia}",
			"rounds[1].scores[7].value: required"},
		{"value above max", `{team: lg, criterion: global, value: "24.25"}`, `{team: lg, criterion: global, value: 30.01}`,
			"rounds[1].scores[1].value: 30.01 exceeds the maximum 30.00 of global"},
		{"unknown team in scores", "{team: upstage, criterion: nia, value: 8.75}", "{team: nope, criterion: nia, value: 8.75}",
			`rounds[1].scores[7].team: unknown team "nope"`},
		{"score team not an entry", "      - {team: upstage, status: eligible}\n", "",
			`rounds[1].scores[7].team: team "upstage" is not an entry of this round`},
		{"unknown criterion", "{team: lg, criterion: nia, value: 9.2}", "{team: lg, criterion: nope, value: 9.2}",
			`rounds[1].scores[0].criterion: unknown criterion "nope"`},
		{"score on a non-leaf", "{team: lg, criterion: nia, value: 9.2}", "{team: lg, criterion: benchmark, value: 9.2}",
			`rounds[1].scores[0].criterion: "benchmark" is not a leaf criterion; scores are entered on leaves`},
		{"evaluator missing on panel leaf", "{team: lg, criterion: expert, evaluator: 1, value: 31.5}", "{team: lg, criterion: expert, value: 31.5}",
			"rounds[1].scores[2].evaluator: required: expert is scored by a panel of 3 evaluators"},
		{"evaluator on direct leaf", "{team: lg, criterion: nia, value: 9.2}", "{team: lg, criterion: nia, evaluator: 1, value: 9.2}",
			"rounds[1].scores[0].evaluator: must be empty: nia is scored directly, not by a panel"},
		{"evaluator above panel size", "{team: lg, criterion: user, evaluator: 2, value: 0}", "{team: lg, criterion: user, evaluator: 3, value: 0}",
			"rounds[1].scores[6].evaluator: must be between 1 and 2 (the panel size of user)"},
		{"evaluator zero", "{team: lg, criterion: user, evaluator: 2, value: 0}", "{team: lg, criterion: user, evaluator: 0, value: 0}",
			"rounds[1].scores[6].evaluator: must be >= 1"},
		{"duplicate score", "evaluator: 3, value: 33}", "evaluator: 2, value: 33}",
			`rounds[1].scores[4]: duplicate score for team "lg", criterion "expert", evaluator 2`},
		{"duplicate direct score", "{team: lg, criterion: global, value: \"24.25\"}", "{team: lg, criterion: nia, value: \"4.25\"}",
			`rounds[1].scores[1]: duplicate score for team "lg", criterion "nia"`},
		{"scores and outcomes together", "    published_scores:\n      - {team: lg, criterion: benchmark",
			"    outcomes:\n      - {team: lg, outcome: advanced, reason: {ko: 통과, en: Advanced}}\n    published_scores:\n      - {team: lg, criterion: benchmark",
			"rounds[1].outcomes: a round has either scores or announced outcomes, not both"},

		// Entries.
		{"disqualified without reason", "{team: naver, status: disqualified, reason: {ko: 독자성 기준 미충족, en: Failed the independence criterion}}",
			"{team: naver, status: disqualified}", "rounds[1].entries[2].reason: required when status is disqualified"},
		{"entry unknown team", "      - {team: lg}\n      - {team: upstage, status: eligible}", "      - {team: lx}\n      - {team: upstage, status: eligible}",
			`rounds[1].entries[0].team: unknown team "lx"`},
		{"duplicate entry", "{team: upstage, status: eligible}", "{team: lg, status: eligible}",
			`rounds[1].entries[1].team: duplicate "lg"`},
		{"bad status", "{team: upstage, status: eligible}", "{team: upstage, status: maybe}",
			`rounds[1].entries[1].status: must be one of eligible, disqualified, withdrew (got "maybe")`},

		// Outcomes and published figures.
		{"outcome not valid for the round kind", "outcome: not_selected", "outcome: eliminated",
			`rounds[0].outcomes[2].outcome: must be one of selected, not_selected, disqualified, withdrew for a selection round (got "eliminated")`},
		{"outcome missing", "{team: naver, outcome: not_selected, ", "{team: naver, ",
			"rounds[0].outcomes[2].outcome: required"},
		{"outcome rank 0", "rank: 1,", "rank: 0,", "rounds[0].outcomes[0].rank: must be >= 1"},
		{"outcome reason missing", ", reason: {ko: 미선정, en: Not selected}", "", "rounds[0].outcomes[2].reason: required"},
		{"duplicate outcome", "{team: upstage, outcome: selected", "{team: lg, outcome: selected",
			`rounds[0].outcomes[1].team: duplicate "lg"`},
		{"published score unknown criterion", "criterion: benchmark, value: 33.45", "criterion: bench, value: 33.45",
			`rounds[1].published_scores[0].criterion: unknown criterion "bench"`},
		{"published total above max", "{team: lg, criterion: total, value: 90.2}", "{team: lg, criterion: total, value: 100.51}",
			"rounds[1].published_scores[1].value: 100.51 exceeds the maximum 100.50 of total"},
		{"duplicate published score", "criterion: benchmark, value: 33.45", "criterion: total, value: 33.45",
			`rounds[1].published_scores[1]: duplicate published score for team "lg", criterion "total"`},
		{"bad stat", "stat: mean", "stat: mode",
			`rounds[1].published_stats[0].stat: must be one of mean, median, max, min, spread (got "mode")`},
		{"duplicate stat", "{criterion: total, stat: max", "{criterion: benchmark, stat: mean",
			`rounds[1].published_stats[1]: duplicate published stat mean of "benchmark"`},
		{"stat above max", "{criterion: benchmark, stat: mean, value: 30.4}", "{criterion: benchmark, stat: mean, value: 40.4}",
			"rounds[1].published_stats[0].value: 40.40 exceeds the maximum 40.00 of benchmark"},
		{"decision unknown team", "advance: [lg]", "advance: [lg, kt]", `rounds[1].decision.advance[1]: unknown team "kt"`},
		{"decision reason missing", ", reason: {ko: 결정 사유, en: Decision reason}}", "}", "rounds[1].decision.reason: required"},

		// Round fields.
		{"bad slug", "slug: selection-1", "slug: Selection 1",
			"rounds[0].slug: must be a slug (lowercase letters and digits in words joined by single hyphens, at most 64 characters)"},
		{"long slug", "slug: selection-1", "slug: " + strings.Repeat("a", 65),
			"rounds[0].slug: must be a slug (lowercase letters and digits in words joined by single hyphens, at most 64 characters)"},
		{"duplicate round", "slug: stage-1", "slug: selection-1", `rounds[1].slug: duplicate "selection-1"`},
		{"bad round kind", "kind: stage\n", "kind: final\n", `rounds[1].kind: must be one of selection, stage, additional (got "final")`},
		{"bad date", "evaluated_on: 2026-01-14", "evaluated_on: 2026-01-32",
			`rounds[1].evaluated_on: must be a date YYYY-MM-DD (got "2026-01-32")`},
		{"date in another layout", "evaluated_on: 2026-01-14", "evaluated_on: 14/01/2026",
			`rounds[1].evaluated_on: must be a date YYYY-MM-DD (got "14/01/2026")`},
		{"announce_at without offset", "announce_at: 2026-01-15T14:00:00+09:00", "announce_at: 2026-01-15T14:00:00",
			`rounds[1].announce_at: must be a time with offset (e.g. 2026-01-15T14:00:00+09:00) or a date YYYY-MM-DD (got "2026-01-15T14:00:00")`},
		{"rule missing", "    rule: {advance: 2}\n", "", "rounds[0].rule: required"},
		{"advance missing", "rule: {advance: 2}", "rule: {backfill: true}", "rounds[0].rule.advance: required"},
		{"advance negative", "rule: {advance: 2}", "rule: {advance: -2}", "rounds[0].rule.advance: must be >= 0"},
		{"advance not an integer", "rule: {advance: 2}", "rule: {advance: 2.5}", "rounds[0].rule.advance: must be an integer"},
		{"bad min_total", "min_total: 60", "min_total: abc",
			"rounds[1].rule.min_total: must be a decimal number with at most two decimals (e.g. 1.5)"},
		{"min_total above the points domain", "min_total: 60", "min_total: 123456",
			"rounds[1].rule.min_total: must be at most 99999.99"},
		{"backfill not a bool", "backfill: true", `backfill: "yes"`, "rounds[1].rule.backfill: must be true or false"},
		{"publish not a bool", "publish: true", "publish: 1", "rounds[1].publish: must be true or false"},
		{"sources not a list", `sources: ["https://example.org/stage-1"]`, `sources: "https://example.org/stage-1"`,
			"rounds[1].sources: must be a list"},
		{"text not a mapping", "note: {ko: 라운드 메모, en: Round note}", "note: Round note", "rounds[1].note: must be a mapping"},

		// Organizations and teams.
		{"unknown field", "    model: K-EXAONE", "    modle: K-EXAONE", "teams[0].modle: unknown field"},
		{"confidence on an organization", "    kind: company\n", "    kind: company\n    confidence: reported\n",
			"organizations[2].confidence: unknown field"},
		{"unknown top-level key", "timeline:\n", "timelines:\n", "timelines: unknown field"},
		{"bad kind", "kind: startup", "kind: startupp",
			`organizations[1].kind: must be one of company, startup, university, research_institute, public_body, other (got "startupp")`},
		{"duplicate org slug", "- slug: some-lab", "- slug: kaist", `organizations[4].slug: duplicate "kaist"`},
		{"unknown lead", "lead: naver-cloud", "lead: xyz", `teams[2].lead: unknown organization "xyz"`},
		{"lead missing", "    lead: naver-cloud\n", "", "teams[2].lead: required"},
		{"duplicate team", "  - slug: naver\n", "  - slug: lg\n", `teams[2].slug: duplicate "lg"`},
		{"name missing", "    name: {ko: 네이버클라우드 정예팀, en: Naver Cloud consortium}\n", "", "teams[2].name: required"},
		{"text en missing", "goal: {ko: 팀 목표, en: Team goal}", "goal: {ko: 팀 목표}", "teams[0].goal.en: required"},
		{"text ko empty", "goal: {ko: 팀 목표, en: Team goal}", `goal: {ko: "", en: Team goal}`, "teams[0].goal.ko: required"},
		{"text extra language", "goal: {ko: 팀 목표, en: Team goal}", "goal: {ko: 팀 목표, en: Team goal, ja: x}", "teams[0].goal.ja: unknown field"},
		{"number for a string", "model: K-EXAONE", "model: 3", "teams[0].model: must be a string"},
		{"member unknown org", "{org: some-lab}", "{org: nobody}", `teams[1].members[0].org: unknown organization "nobody"`},
		{"member is the lead", "{org: some-lab}", "{org: upstage}",
			`teams[1].members[0].org: "upstage" is the team's lead, which is a member implicitly`},
		{"duplicate member", "      - {org: some-lab}\n", "      - {org: some-lab}\n      - {org: some-lab, role: advisor}\n",
			`teams[1].members[1].org: duplicate "some-lab"`},
		{"member until before since", "until: 2026-12-31", "until: 2025-01-01",
			"teams[0].members[0].until: must not be before since (2025-08-04)"},
		{"bad role", "role: participant", "role: Lead Partner",
			"teams[0].members[0].role: must be lowercase letters and underscores (e.g. participant)"},
		{"bad member confidence", "confidence: reported\n        note", "confidence: rumoured\n        note",
			`teams[0].members[0].confidence: must be one of confirmed, reported, conflicting (got "rumoured")`},

		// Budgets.
		{"year out of range", "year: 2025", "year: 1999", "budgets[0].year: must be between 2000 and 2100"},
		{"duplicate year", "rounds:\n  - slug: selection-1", "  - {year: 2025}\nrounds:\n  - slug: selection-1",
			"budgets[1].year: duplicate 2025"},
		{"negative amount", "amount_krw: 200000000000", "amount_krw: -5", "budgets[0].amount_krw: must be >= 0"},
		{"fractional amount", "amount_krw: 200000000000", "amount_krw: 2000.5", "budgets[0].amount_krw: must be an integer"},
		{"allocation unknown team", "{team: lg, kind: gpu", "{team: kt, kind: gpu", `budgets[0].allocations[0].team: unknown team "kt"`},
		{"allocation kind missing", "kind: data, ", "", "budgets[0].allocations[1].kind: required"},
		{"allocation bad kind", "kind: gpu,", "kind: cpu,",
			`budgets[0].allocations[0].kind: must be one of gpu, data, talent, funding, other (got "cpu")`},
		{"negative quantity", "quantity: 1024", "quantity: -1", "budgets[0].allocations[0].quantity: must be >= 0"},
		{"bad allocation confidence", "confidence: conflicting", "confidence: maybe",
			`budgets[0].allocations[1].confidence: must be one of confirmed, reported, conflicting (got "maybe")`},

		// Program, sources, timeline.
		{"ministry missing", "  ministry: {ko: 과학기술정보통신부, en: Ministry of Science and ICT}\n", "", "program.ministry: required"},
		{"program slug missing", "  slug: sovereign-ai\n", "", "program.slug: required"},
		{"negative final_teams", "final_teams: 2", "final_teams: -1", "program.final_teams: must be >= 0"},
		{"bad started_on", "started_on: 2025-08-04", "started_on: 2025-08", `program.started_on: must be a date YYYY-MM-DD (got "2025-08")`},
		{"bad URL", "- https://example.org/program", "- ftp://example.org/program", "program.sources[0]: must be an http:// or https:// URL"},
		{"source url missing", `url: "https://example.org/notice", `, "", "program.sources[1].url: required"},
		{"bad source date", "date: 2025-06-20, date_note", "date: 2025-06, date_note",
			`program.sources[1].date: must be a date YYYY-MM-DD (got "2025-06")`},
		{"unknown source field", `date_note: "~2025-06"}`, `date_note: "~2025-06", title: x}`, "program.sources[1].title: unknown field"},
		{"timeline until before date", "until: 2025-07-21", "until: 2025-06-01", "timeline[0].until: must not be before date (2025-06-20)"},
		{"timeline date missing", "{date: 2026-02-20, title", "{title", "timeline[1].date: required"},
		{"timeline title missing", "{date: 2026-02-20, title: {ko: 추가 공모, en: Additional call}}", "{date: 2026-02-20}", "timeline[1].title: required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(valid, tc.old) {
				t.Fatalf("fixture does not contain %q", tc.old)
			}
			src := strings.Replace(valid, tc.old, tc.new, 1)
			lines := errorLines(t, src)
			if !contains(lines, tc.want) {
				t.Errorf("missing error %q; got:\n%s", tc.want, strings.Join(lines, "\n"))
			}
		})
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func TestParseErrorsInDocumentOrder(t *testing.T) {
	src := readFixture(t, "valid.yaml")
	for _, r := range [][2]string{
		// Keys out of the usual order: the value comes before the team.
		{"{team: upstage, criterion: nia, value: 8.75}", "{value: -1, team: nope, criterion: nia}"},
		{"    model: K-EXAONE", "    modle: K-EXAONE"},
		{"kind: startup", "kind: startupp"},
		{"timeline:\n  - date: 2025-06-20", "timeline:\n  - date: 2025-13-20"},
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("fixture does not contain %q", r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	// Put timeline before the rounds, and organizations after the teams,
	// so that document order differs from the order sections are read in.
	i := strings.Index(src, "timeline:\n")
	src = src[i:] + src[:i]
	j, k := strings.Index(src, "organizations:\n"), strings.Index(src, "teams:\n")
	src = src[:j] + src[k:strings.Index(src, "budgets:\n")] + src[j:k] + src[strings.Index(src, "budgets:\n"):]

	got := errorLines(t, src)
	want := []string{
		`timeline[0].date: must be a date YYYY-MM-DD (got "2025-13-20")`,
		"teams[0].modle: unknown field",
		`organizations[1].kind: must be one of company, startup, university, research_institute, public_body, other (got "startupp")`,
		"rounds[1].scores[7].value: must be >= 0",
		`rounds[1].scores[7].team: unknown team "nope"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestParseWholeFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"empty", "", "program: required"},
		{"only a comment", "# nothing\n", "program: required"},
		{"program not a mapping", "program: sovereign-ai\n", "program: must be a mapping"},
		{"list", "- 1\n- 2\n", "a program file must be a mapping with program, organizations, teams, budgets, rounds and timeline"},
		{"syntax error", "program: [1\n", "invalid YAML: "},
		{"duplicate key", "program: {}\nprogram: {}\n", "invalid YAML: "},
		{"bad JSON", `{"program": {"slug": "p",}`, "invalid YAML: "},
		{"two documents", "program: {}\n---\nprogram: {}\n", "invalid YAML: a program file holds a single document, found 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := errorLines(t, tc.src)
			if len(lines) == 0 || !strings.HasPrefix(lines[0], tc.want) {
				t.Errorf("got %q, want a first error starting with %q", lines, tc.want)
			}
		})
	}
}

func TestPathErrorFormat(t *testing.T) {
	errs := Errors{{Path: "rounds[2].criteria[0].max", Msg: "must be > 0"}, {Msg: "invalid YAML: x"}}
	want := "rounds[2].criteria[0].max: must be > 0\ninvalid YAML: x"
	if got := errs.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRealProgramFile checks the program's public record shipped with the
// repository.
func TestRealProgramFile(t *testing.T) {
	data, err := os.ReadFile(fixtures.RecordFile())
	if err != nil {
		t.Fatalf("the real program file must exist: %v", err)
	}
	f, err := Parse(data)
	if err != nil {
		t.Fatalf("the real program file is invalid:\n%v", err)
	}
	if f.Program.Slug != "sovereign-ai" {
		t.Errorf("program slug = %q, want sovereign-ai", f.Program.Slug)
	}
}
