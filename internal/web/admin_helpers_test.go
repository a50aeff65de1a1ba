package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// Staff accounts of the console tests. The passwords pass the policy.
const (
	adminEmail  = "admin@msit.go.kr"
	scorerEmail = "scorer@msit.go.kr"
	staffPW     = "Gwacheon-Sejong-2026!"
)

// consoleEnv is a portal on a fresh database holding the console fixture
// (testdata/admin-program.yaml), an admin and a scorer.
type consoleEnv struct {
	t        *testing.T
	h        http.Handler
	pool     *pgxpool.Pool
	store    *postgres.Store
	sessions *pgxstore.PostgresStore
	deps     web.Deps
	url      string // the database, for a superuser's connection
}

var (
	staffHashOnce sync.Once
	staffHash     string
)

// hashOf hashes the shared test password once: argon2id is deliberately slow.
func hashOf(t *testing.T) string {
	t.Helper()
	staffHashOnce.Do(func() {
		h, err := auth.HashPassword(staffPW)
		if err != nil {
			panic(err)
		}
		staffHash = h
	})
	return staffHash
}

// newConsole starts the portal with baseURL (https or http decides the
// cookie) on a fresh database, connected like production (as the runtime
// role, sessions in PostgreSQL).
func newConsole(t *testing.T, baseURL string) *consoleEnv {
	t.Helper()
	return newConsoleWith(t, baseURL, "testdata/admin-program.yaml")
}

// newConsoleWith is newConsole on the program file at path. The program
// and the two staff accounts are put in once per program file, into a
// template each test clones.
func newConsoleWith(t *testing.T, baseURL, path string) *consoleEnv {
	t.Helper()
	ctx := context.Background()
	hash := hashOf(t)
	dbURL := pgtest.PreparedURL(t, "console:"+path, func(ctx context.Context, url string) error {
		pool, err := postgres.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		store := postgres.New(pool)
		if err := pgtest.ImportFile(ctx, store, path); err != nil {
			return err
		}
		cli := contest.Actor{Name: "cli"}
		if _, err := store.CreateUser(ctx, adminEmail, "관리자", auth.RoleAdmin, hash, cli); err != nil {
			return err
		}
		_, err = store.CreateUser(ctx, scorerEmail, "채점자", auth.RoleScorer, hash, cli)
		return err
	})
	pool, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool)
	sessions := pgxstore.NewWithCleanupInterval(pool, 0)
	env := &consoleEnv{t: t, pool: pool, store: store, sessions: sessions, url: dbURL}
	env.deps = web.Deps{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: baseURL, Sessions: sessions}
	env.h = web.NewServer(env.deps)
	return env
}

// staffClient is one browser: its own cookies and client address. It calls the
// handler directly, so Secure cookies work without TLS.
type staffClient struct {
	t       *testing.T
	env     *consoleEnv
	addr    string
	cookies map[string]*http.Cookie
	header  http.Header // sent with every request
}

func (e *consoleEnv) client(addr string) *staffClient {
	return &staffClient{t: e.t, env: e, addr: addr, cookies: map[string]*http.Cookie{}, header: http.Header{}}
}

func (c *staffClient) send(req *http.Request) response {
	c.t.Helper()
	req.RemoteAddr = c.addr + ":50000"
	for _, ck := range c.cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	c.env.h.ServeHTTP(rec, req)
	res := rec.Result()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func (c *staffClient) get(path string) response {
	c.t.Helper()
	return c.send(httptest.NewRequest(http.MethodGet, path, nil))
}

func (c *staffClient) post(path string, form url.Values) response {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

func (c *staffClient) upload(path, field, name string, content []byte) response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// login signs in and fails the test unless it worked.
func (c *staffClient) login(email string) {
	c.t.Helper()
	r := c.post("/login", url.Values{"email": {email}, "password": {staffPW}})
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d\n%s", email, r.status, r.body)
	}
}

// sessionCookie returns the session cookie the client holds, if any.
func (c *staffClient) sessionCookie() *http.Cookie {
	for _, ck := range c.cookies {
		if strings.HasSuffix(ck.Name, "portal_session") {
			return ck
		}
	}
	return nil
}

var (
	formRe  = regexp.MustCompile(`(?s)<form[^>]*data-testid="([^"]+)"[^>]*>(.*?)</form>`)
	inputRe = regexp.MustCompile(`<input[^>]*>`)
)

// formValues returns the named inputs of the form marked data-testid=id
// in body, as a browser would submit them untouched.
func formValues(t *testing.T, body, id string) url.Values {
	t.Helper()
	for _, m := range formRe.FindAllStringSubmatch(body, -1) {
		if m[1] != id {
			continue
		}
		vals := url.Values{}
		for _, tag := range inputRe.FindAllString(m[2], -1) {
			if name := attr(tag, "name"); name != "" && attr(tag, "type") != "file" {
				vals.Add(name, attr(tag, "value"))
			}
		}
		return vals
	}
	t.Fatalf("no form %q in the page", id)
	return nil
}

// dump is the database without what reading pages may touch: sessions,
// and the audit events of signing in.
func (e *consoleEnv) dump() map[string]string {
	e.t.Helper()
	d := pgtest.Dump(e.t, e.pool)
	delete(d, "sessions")
	var events string
	err := e.pool.QueryRow(context.Background(), `
SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]')::text FROM audit_events x
WHERE action NOT IN ('auth.login', 'auth.login_failed')`).Scan(&events)
	if err != nil {
		e.t.Fatal(err)
	}
	d["audit_events"] = events
	return d
}

// auditCount counts the audit events of an action.
func (e *consoleEnv) auditCount(action string) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1`, action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// score returns a stored score, "" when absent.
func (e *consoleEnv) score(round, team, criterion string, evaluator int) string {
	e.t.Helper()
	cells, err := e.store.RoundScores(context.Background(), "console-test", round)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range cells {
		if c.Team == team && c.Criterion == criterion && c.Evaluator == evaluator {
			return c.Value
		}
	}
	return ""
}

func (e *consoleEnv) roundStatus(slug string) string {
	e.t.Helper()
	ri, err := e.store.Round(context.Background(), "console-test", slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return ri.Status
}

func (e *consoleEnv) userID(email string) string {
	e.t.Helper()
	u, _, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(u.ID, 10)
}

// signedIn is a client from addr signed in as email.
func (e *consoleEnv) signedIn(addr, email string) *staffClient {
	c := e.client(addr)
	c.login(email)
	return c
}

// formAt gets the page at path, which must answer 200, and returns it
// with the values of its form id as the browser would post them.
func (c *staffClient) formAt(t *testing.T, path, id string) (response, url.Values) {
	t.Helper()
	page := c.get(path)
	wantStatus(t, path, page, http.StatusOK)
	return page, fillForm(t, page.body, id)
}

// wantUnchanged fails the test when the database differs from before: what
// was refused changed it.
func (e *consoleEnv) wantUnchanged(t *testing.T, before map[string]string, what string) {
	t.Helper()
	if diff := cmp.Diff(before, e.dump()); diff != "" {
		t.Fatalf("%s:\n%s", what, diff)
	}
}

// wantAudit checks how many events of action the audit log holds.
func (e *consoleEnv) wantAudit(t *testing.T, action string, n int) {
	t.Helper()
	if got := e.auditCount(action); got != n {
		t.Errorf("%d %s events, want %d", got, action, n)
	}
}

// consoleTest starts a parallel console test: a fresh portal (newConsole)
// and a client from addr signed in as email.
func consoleTest(t *testing.T, addr, email string) (*consoleEnv, *staffClient) {
	t.Helper()
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	return env, env.signedIn(addr, email)
}

// postRefused posts form to path and expects the page to answer status
// with the form id re-rendered: holding the typed values, with a message
// on each field of errs and on no other.
func (c *staffClient) postRefused(t *testing.T, what, path string, form url.Values, status int, id string, values, errs map[string]string) response {
	t.Helper()
	r := c.post(path, form)
	wantStatus(t, what, r, status)
	wantForm(t, r, id, values, errs)
	return r
}

// publish publishes (or, with two approvals, requests) a closed round as
// an admin does: through the confirmation page, bound to what it shows.
func (c *staffClient) publish(t *testing.T, slug string) response {
	t.Helper()
	_, vals := c.formAt(t, "/admin/rounds/"+slug+"/publish", "request-form")
	if vals.Get("fingerprint") == "" {
		t.Fatalf("the confirmation of %s carries no fingerprint", slug)
	}
	return c.post("/admin/rounds/"+slug+"/publish", vals)
}

// correct posts a correction form, which must answer with the
// confirmation page showing the per-team diff and change nothing yet, and
// then confirms it as the page's form does.
func (c *staffClient) correct(t *testing.T, env *consoleEnv, slug string, form url.Values) (confirm, done response) {
	t.Helper()
	before := env.dump()
	confirm = c.post("/admin/rounds/"+slug+"/correct", form)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, `data-testid="correction-diff"`) {
		t.Fatalf("correction of %s: %d, want the confirmation with the diff\n%s", slug, confirm.status, confirm.body)
	}
	env.wantUnchanged(t, before, "an unconfirmed correction changed the database")
	vals := formValues(t, confirm.body, "confirm-correction")
	if vals.Get("fingerprint") == "" || vals.Get("corrects") == "" || vals.Get("confirm") != "1" {
		t.Fatalf("the confirmation form lacks its binding: %v", vals)
	}
	return confirm, c.post("/admin/rounds/"+slug+"/correct", vals)
}

// closeAndPublish closes a round and publishes it at once: publication
// requires a closed round.
func closeAndPublish(ctx context.Context, t *testing.T, st *postgres.Store, program, round string, actor contest.Actor, at time.Time) {
	t.Helper()
	if err := st.CloseRound(ctx, program, round, actor); err != nil {
		t.Fatalf("close %s: %v", round, err)
	}
	if _, err := st.PublishRound(ctx, program, round, actor, at); err != nil {
		t.Fatalf("publish %s: %v", round, err)
	}
}

// setForm sets fields of a form to be posted.
func setForm(form url.Values, fields map[string]string) {
	for k, v := range fields {
		form.Set(k, v)
	}
}

// wantValues fails the test unless the form holds each of values.
func wantValues(t *testing.T, what string, form url.Values, values map[string]string) {
	t.Helper()
	for k, want := range values {
		if got := form.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
}
