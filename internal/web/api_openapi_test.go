package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/go-chi/chi/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// decodeJSON decodes one JSON value and nothing after it.
func decodeJSON(t *testing.T, what, body string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: invalid JSON: %v", what, err)
	}
	if dec.More() {
		t.Fatalf("%s: trailing data after the JSON value", what)
	}
	return v
}

// uriFormats checks the string formats the document uses beyond the date
// formats kin-openapi knows: uri is absolute, uri-reference parses.
var uriFormats = []openapi3.SchemaValidationOption{
	openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
		u, err := url.Parse(s)
		if err == nil && (u.Scheme == "" || u.Host == "") {
			err = errors.New("not absolute")
		}
		return err
	})),
	openapi3.WithStringFormatValidator("uri-reference", openapi3.NewCallbackValidator(func(s string) error {
		_, err := url.Parse(s)
		return err
	})),
}

// schemaOptions validate every error at once, by JSON Schema 2020-12 (the
// dialect of OpenAPI 3.1), with the uri formats.
var schemaOptions = append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.EnableJSONSchema2020()}, uriFormats...)

// parseOpenAPI loads an OpenAPI document and checks that it is valid:
// every $ref resolves and every schema is well formed.
func parseOpenAPI(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return doc, nil
}

// loadOpenAPI is the OpenAPI document the server serves.
func loadOpenAPI(t *testing.T, h http.Handler) *openapi3.T {
	t.Helper()
	r := get(t, h, "/api/v1/openapi.json")
	if r.status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.status)
	}
	doc, err := parseOpenAPI([]byte(r.body))
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

// operation returns the GET operation of a documented path.
func operation(t *testing.T, doc *openapi3.T, path string) *openapi3.Operation {
	t.Helper()
	item := doc.Paths.Value(path)
	if item == nil {
		t.Fatalf("path %s is not documented", path)
	}
	if item.Get == nil {
		t.Fatalf("path %s has no GET operation", path)
	}
	return item.Get
}

// checkResponse validates a response to method target against what the
// document says of the path's GET operation for its status: an
// undocumented status, a wrong media type or a body that does not match
// the schema is an error.
func checkResponse(t *testing.T, doc *openapi3.T, path, method, target string, r response) error {
	t.Helper()
	op := operation(t, doc, path)
	if op.Responses.Status(r.status) == nil {
		return fmt.Errorf("status %d is not documented", r.status)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: httptest.NewRequest(method, target, nil),
		Route:   &routers.Route{Spec: doc, Path: path, PathItem: doc.Paths.Value(path), Method: http.MethodGet, Operation: op},
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(strings.NewReader(r.body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: uriFormats,
		},
	})
}

// TestOpenAPIDocument: the document is OpenAPI 3.1 and valid (every $ref
// resolves, every schema is well formed), every path's parameters match
// its template, and 200, 304 and 405 are documented for every path.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	d := loadOpenAPI(t, env.h)
	if d.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %v", d.OpenAPI)
	}
	var errs []string
	placeholder := regexp.MustCompile(`\{([a-z]+)\}`)
	for path, item := range d.Paths.Map() {
		op := operation(t, d, path)
		var inPath []string
		for _, p := range append(item.Parameters, op.Parameters...) {
			if p.Value == nil {
				errs = append(errs, path+": unresolved parameter "+p.Ref)
				continue
			}
			if p.Value.In == openapi3.ParameterInPath {
				inPath = append(inPath, p.Value.Name)
				if !p.Value.Required {
					errs = append(errs, path+": path parameter "+p.Value.Name+" is not required")
				}
			}
		}
		var want []string
		for _, m := range placeholder.FindAllStringSubmatch(path, -1) {
			want = append(want, m[1])
		}
		sort.Strings(inPath)
		sort.Strings(want)
		if strings.Join(want, ",") != strings.Join(inPath, ",") {
			errs = append(errs, fmt.Sprintf("%s: path parameters %v, template has %v", path, inPath, want))
		}
		for _, s := range []int{200, 304, 405} {
			if op.Responses.Status(s) == nil {
				errs = append(errs, fmt.Sprintf("%s: response %d is not documented", path, s))
			}
		}
	}
	sort.Strings(errs)
	for _, e := range errs {
		t.Error(e)
	}
}

// TestOpenAPIRoutes: the document describes exactly the routes under
// /api/v1, all of them GET.
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	d := loadOpenAPI(t, env.h)
	prefix := d.Servers[0].URL
	if prefix != "/api/v1" {
		t.Fatalf("server url %q", prefix)
	}
	var documented []string
	for _, path := range d.Paths.InMatchingOrder() {
		documented = append(documented, prefix+path)
	}
	// The server's handler wraps its router; the router is found in the
	// route context of a request, which reaches the store.
	spy := &routesSpy{Store: env.store}
	h := web.NewServer(web.Deps{Store: spy, BaseURL: baseURL})
	get(t, h, "/api/v1/teams")
	routes := spy.routes
	if routes == nil {
		t.Fatal("no chi route context reached the store")
	}
	var served []string
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, prefix+"/") {
			if method != http.MethodGet {
				t.Errorf("%s %s: the API is read-only", method, route)
			}
			served = append(served, route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(documented)
	sort.Strings(served)
	if diff := cmp.Diff(documented, served); diff != "" {
		t.Errorf("documented paths (-) and routes (+) differ:\n%s", diff)
	}
}

// routesSpy is a store that catches the router of the request that asks
// for the default program.
type routesSpy struct {
	web.Store
	routes chi.Routes
}

func (s *routesSpy) DefaultProgram(ctx context.Context) (postgres.PublicProgram, error) {
	if rc := chi.RouteContext(ctx); rc != nil {
		s.routes = rc.Routes
	}
	return s.Store.DefaultProgram(ctx)
}

// odAPIEnv is the real record plus the demo program, whose round r1 is
// published and then corrected, so every kind of resource exists.
func odAPIEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newEnv(t, true, true)
	ctx := context.Background()
	at := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC)
	closeAndPublish(ctx, t, env.store, "demo", "r1", odActor, at)
	odCorrect(t, env.store, at.Add(time.Hour))
	return env
}

// TestOpenAPIResponses exercises every documented path against the real
// server, with every team and organization of the record, other programs
// and the error cases, and validates each response against the schema the
// document gives for its status.
func TestOpenAPIResponses(t *testing.T) {
	t.Parallel()
	env := odAPIEnv(t)
	d := loadOpenAPI(t, env.h)

	type call struct {
		url    string
		status int
	}
	ok := func(urls ...string) []call {
		var cs []call
		for _, u := range urls {
			cs = append(cs, call{u, http.StatusOK})
		}
		return cs
	}
	var teams, orgs []call
	for _, list := range []struct {
		path, key string
		out       *[]call
	}{{"/api/v1/teams", "teams", &teams}, {"/api/v1/organizations", "organizations", &orgs}} {
		v := decodeJSON(t, list.path, get(t, env.h, list.path).body).(map[string]any)
		for _, x := range v[list.key].([]any) {
			*list.out = append(*list.out, call{list.path + "/" + x.(map[string]any)["slug"].(string), http.StatusOK})
		}
	}
	if len(teams) != 16 || len(orgs) < 80 {
		t.Fatalf("%d teams, %d organizations", len(teams), len(orgs))
	}
	calls := map[string][]call{
		"/openapi.json":       ok("/api/v1/openapi.json"),
		"/programs":           ok("/api/v1/programs"),
		"/programs/{program}": append(ok("/api/v1/programs/sovereign-ai", "/api/v1/programs/demo"), call{"/api/v1/programs/nope", 404}),
		"/rounds": append(ok("/api/v1/rounds", "/api/v1/rounds?program=demo", "/api/v1/rounds?program=sovereign-ai"),
			call{"/api/v1/rounds?program=Bad!", 400}, call{"/api/v1/rounds?program=a&program=b", 400}, call{"/api/v1/rounds?program=nope", 404}),
		"/rounds/{slug}": append(ok("/api/v1/rounds/document-review", "/api/v1/rounds/presentation-review", "/api/v1/rounds/stage-1",
			"/api/v1/rounds/additional-call", "/api/v1/rounds/stage-2", "/api/v1/rounds/final", "/api/v1/rounds/r1?program=demo"),
			call{"/api/v1/rounds/nope", 404}, call{"/api/v1/rounds/r1", 404}, call{"/api/v1/rounds/stage-1?program=BAD", 400}),
		"/rounds/{slug}/results": append(ok("/api/v1/rounds/document-review/results", "/api/v1/rounds/presentation-review/results",
			"/api/v1/rounds/stage-1/results", "/api/v1/rounds/additional-call/results", "/api/v1/rounds/r1/results?program=demo"),
			call{"/api/v1/rounds/stage-2/results", 404}, call{"/api/v1/rounds/final/results", 404}, call{"/api/v1/rounds/nope/results", 404},
			call{"/api/v1/rounds/stage-1/results?program=nope", 404}),
		"/rounds/{slug}/revisions/{revision}": append(ok("/api/v1/rounds/r1/revisions/1?program=demo", "/api/v1/rounds/r1/revisions/2?program=demo"),
			call{"/api/v1/rounds/r1/revisions/3?program=demo", 404}, call{"/api/v1/rounds/stage-1/revisions/1", 404},
			call{"/api/v1/rounds/stage-2/revisions/1", 404}, call{"/api/v1/rounds/r1/revisions/zero?program=demo", 400},
			call{"/api/v1/rounds/r1/revisions/0?program=demo", 400}, call{"/api/v1/rounds/r1/revisions/01?program=demo", 400}),
		"/teams":                ok("/api/v1/teams", "/api/v1/teams?program=demo"),
		"/teams/{slug}":         append(append(teams, ok("/api/v1/teams/t1?program=demo")...), call{"/api/v1/teams/nobody", 404}),
		"/organizations":        ok("/api/v1/organizations", "/api/v1/organizations?program=demo"),
		"/organizations/{slug}": append(append(orgs, ok("/api/v1/organizations/demo-org?program=demo")...), call{"/api/v1/organizations/demo-org", 404}),
		"/budgets":              ok("/api/v1/budgets", "/api/v1/budgets?program=demo"),
	}
	var documented, tested []string
	documented = d.Paths.InMatchingOrder()
	for p := range calls {
		tested = append(tested, p)
	}
	sort.Strings(documented)
	sort.Strings(tested)
	if diff := cmp.Diff(documented, tested); diff != "" {
		t.Fatalf("every documented path must be exercised (-documented +tested):\n%s", diff)
	}
	for _, path := range documented {
		for _, c := range calls[path] {
			r := get(t, env.h, c.url)
			if r.status != c.status {
				t.Errorf("GET %s: %d, want %d: %s", c.url, r.status, c.status, r.body)
				continue
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("GET %s: Content-Type %q", c.url, ct)
			}
			if r.header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("GET %s: no CORS header", c.url)
			}
			if c.status == http.StatusOK && (r.header.Get("ETag") == "" || r.header.Get("Cache-Control") != "public, max-age=60") {
				t.Errorf("GET %s: ETag %q, Cache-Control %q", c.url, r.header.Get("ETag"), r.header.Get("Cache-Control"))
			}
			decodeJSON(t, c.url, r.body)
			if err := checkResponse(t, d, path, http.MethodGet, c.url, r); err != nil {
				t.Errorf("GET %s: %v", c.url, err)
			}
			if c.status == http.StatusOK {
				// 304 is documented and served for a matching validator.
				if operation(t, d, path).Responses.Status(http.StatusNotModified) == nil {
					t.Errorf("%s: 304 is not documented", path)
				}
				if r2 := get(t, env.h, c.url, "If-None-Match", r.header.Get("ETag")); r2.status != http.StatusNotModified || r2.body != "" {
					t.Errorf("GET %s with its ETag: %d %q", c.url, r2.status, r2.body)
				}
			}
		}
		// Writing is refused with a documented 405.
		u := strings.ReplaceAll(strings.ReplaceAll(calls[path][0].url, "{", ""), "}", "")
		r := do(t, env.h, http.MethodPost, u)
		if r.status != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d, want 405", u, r.status)
			continue
		}
		decodeJSON(t, u, r.body)
		if err := checkResponse(t, d, path, http.MethodPost, u, r); err != nil {
			t.Errorf("POST %s: %v", u, err)
		}
	}

	// The record download uses the same schemas.
	r := get(t, env.h, "/data/record.json")
	if r.status != http.StatusOK {
		t.Fatalf("record.json: %d", r.status)
	}
	if err := d.Components.Schemas["Record"].Value.VisitJSON(decodeJSON(t, "record.json", r.body), schemaOptions...); err != nil {
		t.Errorf("record.json: %v", err)
	}
}

// The validation must catch what the tests rely on it to check: types
// (an integer is not 1.5), required and undocumented properties, oneOf
// with null, enums, formats, patterns, additionalProperties schemas; and a
// document with a dangling $ref does not load.
func TestOpenAPIValidator(t *testing.T) {
	t.Parallel()
	doc, err := parseOpenAPI([]byte(`{
	  "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
	  "paths": {"/docs": {"get": {"responses": {"200": {"description": "ok",
	    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Doc"}}}}}}}},
	  "components": {"schemas": {
	    "Text": {"type": "object", "required": ["ko", "en"], "additionalProperties": false,
	      "properties": {"ko": {"type": "string"}, "en": {"type": "string"}}},
	    "Doc": {"type": "object", "required": ["n", "name"], "additionalProperties": false, "properties": {
	      "n": {"type": ["integer", "null"]},
	      "name": {"oneOf": [{"$ref": "#/components/schemas/Text"}, {"type": "null"}]},
	      "kind": {"type": "string", "enum": ["a", "b"]},
	      "on": {"type": "string", "format": "date"},
	      "at": {"type": "string", "format": "date-time"},
	      "home": {"type": "string", "format": "uri"},
	      "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
	      "extra": {"type": "object", "additionalProperties": {"type": "string"}}}}
	  }}}`))
	if err != nil {
		t.Fatal(err)
	}
	schema := doc.Components.Schemas["Doc"].Value
	for _, tc := range []struct {
		doc   string
		valid bool
	}{
		{`{"n": 1, "name": {"ko": "가", "en": "a"}, "kind": "a", "on": "2026-01-15", "at": "2026-01-15T09:00:00+09:00",
		   "home": "https://example.org/x", "tags": ["x"], "extra": {"k": "v"}}`, true},
		{`{"n": null, "name": null}`, true},
		{`{"n": 1.5, "name": null}`, false},
		{`{"n": 1}`, false},
		{`{"n": 1, "name": {"ko": "가"}}`, false},
		{`{"n": 1, "name": {"ko": "가", "en": "a", "fr": "a"}}`, false},
		{`{"n": 1, "name": null, "kind": "c"}`, false},
		{`{"n": 1, "name": null, "on": "15 Jan 2026"}`, false},
		{`{"n": 1, "name": null, "at": "2026-01-15"}`, false},
		{`{"n": 1, "name": null, "home": "/relative"}`, false},
		{`{"n": 1, "name": null, "tags": ["X"]}`, false},
		{`{"n": 1, "name": null, "extra": {"k": 1}}`, false},
		{`{"n": 1, "name": null, "surprise": true}`, false},
		{`[]`, false},
	} {
		err := schema.VisitJSON(decodeJSON(t, tc.doc, tc.doc), schemaOptions...)
		if (err == nil) != tc.valid {
			t.Errorf("%s: error %v, want valid %v", tc.doc, err, tc.valid)
		}
	}
	// A response is checked for its status, media type and body.
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for _, tc := range []struct {
		r     response
		valid bool
	}{
		{response{status: 200, header: jsonType, body: `{"n": 1, "name": null}`}, true},
		{response{status: 200, header: jsonType, body: `{"n": "1", "name": null}`}, false},
		{response{status: 200, header: http.Header{"Content-Type": {"text/html"}}, body: `{"n": 1, "name": null}`}, false},
		{response{status: 404, header: jsonType, body: `{"n": 1, "name": null}`}, false},
	} {
		err := checkResponse(t, doc, "/docs", http.MethodGet, "/docs", tc.r)
		if (err == nil) != tc.valid {
			t.Errorf("%d %s %s: error %v, want valid %v", tc.r.status, tc.r.header.Get("Content-Type"), tc.r.body, err, tc.valid)
		}
	}
	if _, err := parseOpenAPI([]byte(`{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
	  "components": {"schemas": {"S": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Nowhere"}}}}}}`)); err == nil {
		t.Error("a dangling $ref loaded")
	}
}
