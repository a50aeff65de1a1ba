package web_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/scorecsv"
	"github.com/kai-challenge/portal/internal/web/i18n"
	assets "github.com/kai-challenge/portal/web"
)

// The English catalog words every score CSV problem as the CLI does
// (scorecsv.English), and the Korean catalog has each of them too.
func TestCSVMessagesInCatalogs(t *testing.T) {
	t.Parallel()
	wantEnglish(t, fileCatalogs(t), "csv.", scorecsv.English)
}

// fileCatalogs loads the message catalogs from their folder.
func fileCatalogs(t *testing.T) *i18n.Catalogs {
	t.Helper()
	c, err := i18n.Load(os.DirFS("../../web/i18n"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantEnglish checks the English catalog words each prefix+code as
// english does, and the Korean catalog has each of them too.
func wantEnglish(t *testing.T, c *i18n.Catalogs, prefix string, english map[string]string) {
	t.Helper()
	for code, en := range english {
		if got, _ := c.Message(i18n.EN, prefix+code); got != en {
			t.Errorf("en %s%s = %q, want %q", prefix, code, got, en)
		}
		if _, ok := c.Message(i18n.KO, prefix+code); !ok {
			t.Errorf("ko %s%s missing", prefix, code)
		}
	}
}

// wantMessages checks every message id prefix+code exists in both
// languages.
func wantMessages(t *testing.T, ids map[string][]string) {
	t.Helper()
	cats, err := i18n.Load(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	for prefix, codes := range ids {
		for _, c := range codes {
			for _, l := range i18n.Langs {
				if _, ok := cats.Message(l, prefix+c); !ok {
					t.Errorf("%s: no %s message", prefix+c, l)
				}
			}
		}
	}
}

// The English catalog words every validation problem as contest.English
// does (the wording of logs and the command line); the Korean catalog has
// each of them too, with the store's Korean wording.
func TestValidationMessagesInCatalogs(t *testing.T) {
	t.Parallel()
	c := fileCatalogs(t)
	wantEnglish(t, c, "validation.", contest.English)
	ko := c.Localizer(i18n.KO)
	for _, tc := range []struct {
		p    contest.Problem
		want string
	}{
		{contest.Problem{Key: "required"}, "필수 항목입니다"},
		{contest.Problem{Key: "positive"}, "0보다 커야 합니다"},
		{contest.Problem{Key: "slug", Args: []any{"max", contest.MaxSlugLen}}, "영문 소문자·숫자로 된 낱말을 하이픈(-) 하나로 이은 " + strconv.Itoa(contest.MaxSlugLen) + "자 이내의 식별자여야 합니다 (예: lg-ai-research)"},
		{contest.Problem{Key: "max_below", Args: []any{"top", "9.50"}}, "이미 입력된 점수 9.50보다 낮게 줄일 수 없습니다"},
	} {
		if got := ko.T("validation."+tc.p.Key, tc.p.Args...); got != tc.want {
			t.Errorf("ko %s = %q, want %q", tc.p.Key, got, tc.want)
		}
	}
}
