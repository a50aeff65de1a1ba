package web_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// The official e-government masthead appears only when the deployment
// says it is the official site, and the footer names the operating agency
// from the settings, or says the portal is not an official site. The
// footer's feed link leads to the readable feed page.
func TestSiteIdentity(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewRecordDB(t)
	st := postgres.New(pool)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain := web.NewServer(web.Deps{Store: st, Logger: logger, BaseURL: baseURL})
	official := web.NewServer(web.Deps{Store: st, Logger: logger, BaseURL: baseURL, Official: true,
		Operator: contest.Text{KO: "과학기술정보통신부", EN: "Ministry of Science and ICT"}})

	for _, path := range []string{"/", "/standings", "/en/teams/lg", "/search?q=%EB%8F%85%EC%9E%90%EC%84%B1"} {
		body := getPage(t, plain, path).body
		if n := parseHTML(t, body).Find(testid("masthead")).Length(); n != 0 {
			t.Errorf("%s: masthead shown on a deployment that is not the official site", path)
		}
		want := "이 포털은 정부 공식 누리집이 아닙니다. 정부 발표와 언론 보도를 모아 기록하는 공개 기록입니다."
		if path == "/en/teams/lg" {
			want = "This portal is not an official government website. It is a public record compiled from government announcements and press reports."
		}
		if got := selText(t, body, "footer "+testid("operator")); got != want {
			t.Errorf("%s: footer operator %q, want %q", path, got, want)
		}
		feed := one(t, body, "footer "+testid("footer-feed"))
		wantFeed := "/feed"
		if path == "/en/teams/lg" {
			wantFeed = "/en/feed"
		}
		if href, _ := feed.Attr("href"); href != wantFeed {
			t.Errorf("%s: footer feed link %q, want %q", path, href, wantFeed)
		}
		if _, typed := feed.Attr("type"); typed {
			t.Errorf("%s: footer feed link still typed as the raw Atom document", path)
		}
	}

	for path, want := range map[string][3]string{
		"/standings":    {"이 누리집은 대한민국 공식 전자정부 누리집입니다.", "공식 누리집 확인 방법", "운영: 과학기술정보통신부"},
		"/en/standings": {"This is an official e-government website of the Republic of Korea.", "How to tell", "Operated by Ministry of Science and ICT"},
	} {
		body := getPage(t, official, path).body
		m := one(t, body, "header.site-header > "+testid("masthead"))
		if got := textOf(m.Find(".masthead-text")); got != want[0] {
			t.Errorf("%s: masthead %q, want %q", path, got, want[0])
		}
		if got := textOf(m.Find(".masthead-how")); got != want[1] {
			t.Errorf("%s: masthead link %q, want %q", path, got, want[1])
		}
		if m.Find("details > summary").Length() != 1 || m.Find(".masthead-body p").Length() != 2 {
			t.Errorf("%s: the masthead does not fold how to tell an official site", path)
		}
		if got := selText(t, body, "footer "+testid("operator")); got != want[2] {
			t.Errorf("%s: footer operator %q, want %q", path, got, want[2])
		}
	}
}
