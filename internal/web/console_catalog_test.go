package web_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/scorecsv"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// The English catalog words every score CSV problem as the CLI does
// (scorecsv.English), and the Korean catalog has each of them too.
func TestCSVMessagesInCatalogs(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load(os.DirFS("../../web/i18n"))
	if err != nil {
		t.Fatal(err)
	}
	for code, en := range scorecsv.English {
		if got, _ := c.Message(i18n.EN, "csv."+code); got != en {
			t.Errorf("en csv.%s = %q, want %q", code, got, en)
		}
		if _, ok := c.Message(i18n.KO, "csv."+code); !ok {
			t.Errorf("ko csv.%s missing", code)
		}
	}
}

// The English catalog words every validation problem as contest.English
// does (the wording of logs and the command line); the Korean catalog has
// each of them too, with the store's Korean wording.
func TestValidationMessagesInCatalogs(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load(os.DirFS("../../web/i18n"))
	if err != nil {
		t.Fatal(err)
	}
	for key, en := range contest.English {
		if got, _ := c.Message(i18n.EN, "validation."+key); got != en {
			t.Errorf("en validation.%s = %q, want %q", key, got, en)
		}
		if _, ok := c.Message(i18n.KO, "validation."+key); !ok {
			t.Errorf("ko validation.%s missing", key)
		}
	}
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
