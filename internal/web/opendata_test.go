package web_test

// Fixtures shared by the open-data tests (API, OpenAPI, downloads, feed,
// search). The test servers and requests are those of every test of the
// package (newEnv, get, do and plantSentinels in pages_test.go).

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

// odDemoFile is a small program with one fully scored stage round r1 that
// is not published: two direct categories of 50 points, three teams, the
// top two advance (t1 80, t2 60, t3 40).
func odDemoFile() *programfile.File {
	txt := func(ko, en string) programfile.Text { return programfile.Text{KO: ko, EN: en} }
	f := &programfile.File{Program: programfile.Program{Slug: "demo", Name: txt("시범 사업", "Demo program"), Ministry: txt("부처", "Ministry")}}
	f.Organizations = []programfile.Organization{{Slug: "demo-org", Name: txt("시범 기관", "Demo organization"), Kind: "other"}}
	r := programfile.Round{Slug: "r1", Kind: "stage", Name: txt("시범 평가", "Demo evaluation"), Rule: programfile.Rule{Advance: 2},
		Criteria: []programfile.Criterion{{Code: "a", Name: txt("가 영역", "Area A"), Max: "50.00"}, {Code: "b", Name: txt("나 영역", "Area B"), Max: "50.00"}}}
	vals := map[string]string{"t1": "40.00", "t2": "30.00", "t3": "20.00"}
	for i, team := range []string{"t1", "t2", "t3"} {
		n := strconv.Itoa(i + 1)
		f.Teams = append(f.Teams, programfile.Team{Slug: team, Name: txt("시범 팀 "+n, "Demo team "+n), Lead: "demo-org"})
		r.Entries = append(r.Entries, programfile.Entry{Team: team, Status: "eligible"})
		r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "a", Value: vals[team]}, programfile.Score{Team: team, Criterion: "b", Value: vals[team]})
	}
	f.Rounds = []programfile.Round{r}
	return f
}

// odActor publishes and corrects in the tests.
var odActor = contest.Actor{Name: "test@example.com"}

// odWhy is the reason of the demo correction (odCorrect).
var odWhy = contest.Text{KO: "입력 오류 정정", EN: "Data entry error corrected"}

// odCorrect corrects the published demo round r1 at at: team t3's area A
// score becomes 45, which puts t3 through and t2 out.
func odCorrect(t *testing.T, st *postgres.Store, at time.Time) {
	t.Helper()
	if _, err := st.CorrectRound(context.Background(), "demo", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, odWhy, odActor, at); err != nil {
		t.Fatal(err)
	}
}

// Sentinels planted in the draft round stage-2: none may leave the portal.
var odSentinels = []string{"SENTINEL", "77.77", "55.55", "66.66"}

// odCheckNoSentinel fails when a response shows an embargoed value.
func odCheckNoSentinel(t *testing.T, path, body string) {
	t.Helper()
	for _, s := range odSentinels {
		if strings.Contains(body, s) {
			i := strings.Index(body, s)
			t.Errorf("%s shows the embargoed %q near %q", path, s, body[max(0, i-80):min(len(body), i+40)])
		}
	}
}
