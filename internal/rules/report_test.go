package rules

import (
	"encoding/json"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestNewReportJSON(t *testing.T) {
	in := Input{
		Kind: KindStage,
		Rule: Rule{Advance: 1},
		Criteria: []Criterion{
			category("benchmark", "10", leaf("nia", "10")),
			panelLeaf("expert", "35", 2, AggregateMean),
		},
		Entries: []Entry{{Team: "b"}, {Team: "a"}, {Team: "w", Status: StatusWithdrew}},
		Scores: []Score{
			direct("a", "nia", "9.2"), direct("b", "nia", "9.2"),
			{Team: "a", Criterion: "expert", Evaluator: 1, Value: rat("30")},
			{Team: "b", Criterion: "expert", Evaluator: 1, Value: rat("30")},
			{Team: "b", Criterion: "expert", Evaluator: 2, Value: rat("30")},
		},
	}
	res := mustCompute(t, in)
	// Team a lacks one expert score: its expert points and its total do
	// not exist yet, so they are null (left out), never a partial figure.
	got, err := json.MarshalIndent(NewReport("sovereign-ai", "stage-1", ReportPreview, res), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "program": "sovereign-ai",
  "round": "stage-1",
  "status": "preview",
  "complete": false,
  "missing": [
    {
      "team": "a",
      "criterion": "expert",
      "evaluator": 2
    }
  ],
  "blocked": true,
  "teams": [
    {
      "team": "a",
      "rank": 1,
      "total": null,
      "categories": {
        "benchmark": "9.20"
      },
      "outcome": null,
      "reason_code": "tie_at_cut",
      "reason": {
        "ko": "공동 1위 (39.20점) — 진출 기준에 걸친 동점, 결정 대기",
        "en": "tied 1st (39.20) across the cut; awaiting a decision"
      }
    },
    {
      "team": "b",
      "rank": 1,
      "total": "39.20",
      "categories": {
        "benchmark": "9.20",
        "expert": "30.00"
      },
      "outcome": null,
      "reason_code": "tie_at_cut",
      "reason": {
        "ko": "공동 1위 (39.20점) — 진출 기준에 걸친 동점, 결정 대기",
        "en": "tied 1st (39.20) across the cut; awaiting a decision"
      }
    },
    {
      "team": "w",
      "rank": null,
      "total": null,
      "categories": {},
      "outcome": "withdrew",
      "reason_code": "withdrew",
      "reason": {
        "ko": "참가 철회",
        "en": "withdrew"
      }
    }
  ]
}`
	if diff := gocmp.Diff(want, string(got)); diff != "" {
		t.Errorf("report JSON (-want +got):\n%s", diff)
	}
}

func TestNewReportEdges(t *testing.T) {
	// A complete round encodes "missing": [] and a direct leaf's missing
	// score has no evaluator key.
	res := mustCompute(t, oneCriterion(KindSelection, Rule{Advance: 1}, ok("a", "1")))
	var doc map[string]any
	b, _ := json.Marshal(NewReport("p", "r", ReportPublished, res))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if m, isList := doc["missing"].([]any); !isList || len(m) != 0 {
		t.Errorf(`"missing" = %#v, want []`, doc["missing"])
	}

	res = mustCompute(t, oneCriterion(KindSelection, Rule{Advance: 1}, ok("a", "")))
	b, _ = json.Marshal(NewReport("p", "r", ReportPreview, res).Missing)
	if got, want := string(b), `[{"team":"a","criterion":"points"}]`; got != want {
		t.Errorf("missing = %s, want %s", got, want)
	}

	// An empty result still encodes lists, and a caller-built line with
	// an undisclosed total encodes null.
	rep := NewReport("p", "r", ReportCorrected, Result{Complete: true})
	rep.Teams = append(rep.Teams, ReportTeam{Team: "x", Categories: map[string]string{}, ReasonCode: ReasonAnnounced})
	b, _ = json.Marshal(rep)
	want := `{"program":"p","round":"r","status":"corrected","complete":true,"missing":[],"blocked":false,` +
		`"teams":[{"team":"x","rank":null,"total":null,"categories":{},"outcome":null,"reason_code":"announced","reason":{"ko":"","en":""}}]}`
	if string(b) != want {
		t.Errorf("report = %s\nwant      %s", b, want)
	}
}
