package i18n_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/i18n"
	assets "github.com/kai-challenge/portal/web"
)

func load(t *testing.T) *i18n.Catalogs {
	t.Helper()
	c, err := i18n.Load(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Both catalogs carry the same message ids with the same placeholders, and
// no message is empty.
func TestCatalogsMatch(t *testing.T) {
	t.Parallel()
	c := load(t)
	ko, en := c.Keys(i18n.KO), c.Keys(i18n.EN)
	if diff := cmp.Diff(ko, en); diff != "" {
		t.Fatalf("message ids differ (-ko +en):\n%s", diff)
	}
	for _, id := range ko {
		mk, _ := c.Message(i18n.KO, id)
		me, _ := c.Message(i18n.EN, id)
		if strings.TrimSpace(mk) == "" || strings.TrimSpace(me) == "" {
			t.Errorf("%s: empty message", id)
		}
		if diff := cmp.Diff(i18n.Placeholders(mk), i18n.Placeholders(me)); diff != "" {
			t.Errorf("%s: placeholders differ (-ko +en):\n%s", id, diff)
		}
	}
}

// Every message id the code names literally, and every id built from a
// domain code, is in the catalogs.
func TestCatalogsCoverCode(t *testing.T) {
	t.Parallel()
	c := load(t)
	used := map[string]bool{}
	literal := regexp.MustCompile(`\bT\("([a-z0-9_.]+)"`)
	root := filepath.Join("..", "..", "..")
	for _, dir := range []string{"internal/web", "web"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".templ") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
				if !strings.HasSuffix(m[1], ".") {
					used[m[1]] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d message ids in the code; is the scan broken?", len(used))
	}
	dynamic := map[string][]string{
		"nav.":          {"overview", "standings", "teams", "rounds", "history", "organizations", "funding"},
		"outcome.":      {contest.OutcomeSelected, contest.OutcomeNotSelected, contest.OutcomeAdvanced, contest.OutcomeEliminated, contest.OutcomeDisqualified, contest.OutcomeWithdrew},
		"entry.":        {contest.EntryEligible, contest.EntryDisqualified, contest.EntryWithdrew},
		"round.kind.":   {contest.KindSelection, contest.KindStage, contest.KindAdditional},
		"rule.places.":  {contest.KindSelection, contest.KindStage, contest.KindAdditional},
		"round.status.": {"published", "corrected", "evaluating", "planned"},
		"team.status.":  {postgres.TeamCompeting, postgres.TeamOut, postgres.TeamNotSelected, postgres.TeamApplicant},
		"teams.group.":  {postgres.TeamCompeting, postgres.TeamOut, postgres.TeamNotSelected, postgres.TeamApplicant},
		"org.kind.":     contest.OrgKinds,
		"allocation.":   contest.AllocationKinds,
		"aggregate.":    contest.Aggregates,
		"stat.":         {"mean", "median", "max", "min"},
		"confidence.":   {contest.Reported, contest.Conflicting},
		"error.":        {"400.title", "400.message", "404.title", "404.message", "405.title", "405.message", "500.title", "500.message"},
	}
	for prefix, codes := range dynamic {
		for _, code := range codes {
			used[prefix+code] = true
		}
	}
	for id := range used {
		if _, ok := c.Message(i18n.KO, id); !ok {
			t.Errorf("message %q is used but not in the catalogs", id)
		}
	}
}

func TestLocalizer(t *testing.T) {
	t.Parallel()
	c := load(t)
	ko, en := c.Localizer(i18n.KO), c.Localizer(i18n.EN)
	if got := ko.T("count.teams", "n", 4); got != "4개 팀" {
		t.Errorf("ko count.teams = %q", got)
	}
	if got := en.T("count.teams", "n", 4); got != "4 teams" {
		t.Errorf("en count.teams = %q", got)
	}
	if got := en.T("no.such.message"); got != "⟦no.such.message⟧" {
		t.Errorf("missing message = %q", got)
	}
	if !en.Has("count.teams") || en.Has("no.such.message") {
		t.Errorf("Has: count.teams %v, no.such.message %v", en.Has("count.teams"), en.Has("no.such.message"))
	}
	if got := ko.Undisclosed(); got != "비공개" {
		t.Errorf("ko undisclosed = %q", got)
	}
	if got := en.Undisclosed(); got != "not disclosed" {
		t.Errorf("en undisclosed = %q", got)
	}
	amount := int64(200_000_000_000)
	if got := ko.Money(&amount); got != "2,000억원" {
		t.Errorf("ko money = %q", got)
	}
	if got := en.Money(nil); got != "not disclosed" {
		t.Errorf("en money(nil) = %q", got)
	}
	txt := contest.Text{KO: "업스테이지", EN: "Upstage"}
	if ko.Text(txt) != "업스테이지" || en.Text(txt) != "Upstage" {
		t.Errorf("Text picks the wrong language")
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path    string
		lang    i18n.Lang
		neutral string
	}{
		{"/", i18n.KO, "/"},
		{"/teams/lg", i18n.KO, "/teams/lg"},
		{"/en", i18n.EN, "/"},
		{"/en/", i18n.EN, "/"},
		{"/en/teams/lg", i18n.EN, "/teams/lg"},
		{"/english", i18n.KO, "/english"},
	} {
		lang, neutral := i18n.Split(tc.path)
		if lang != tc.lang || neutral != tc.neutral {
			t.Errorf("Split(%q) = %s, %q; want %s, %q", tc.path, lang, neutral, tc.lang, tc.neutral)
		}
	}
	for _, tc := range []struct {
		lang       i18n.Lang
		path, want string
	}{
		{i18n.KO, "/", "/"}, {i18n.EN, "/", "/en"}, {i18n.KO, "/rounds/stage-1", "/rounds/stage-1"}, {i18n.EN, "/rounds/stage-1", "/en/rounds/stage-1"},
	} {
		if got := i18n.Localize(tc.lang, tc.path); got != tc.want {
			t.Errorf("Localize(%s, %q) = %q, want %q", tc.lang, tc.path, got, tc.want)
		}
	}
}
