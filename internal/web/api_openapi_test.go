package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// oaDoc is the OpenAPI document, decoded with json.Number so integers can
// be told from other numbers.
type oaDoc struct {
	root map[string]any
}

func decodeJSON(t *testing.T, what, body string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: invalid JSON: %v", what, err)
	}
	if dec.More() {
		t.Fatalf("%s: trailing data after the JSON value", what)
	}
	return v
}

func loadOpenAPI(t *testing.T, h http.Handler) *oaDoc {
	t.Helper()
	r := get(t, h, "/api/v1/openapi.json")
	if r.status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.status)
	}
	root, ok := decodeJSON(t, "openapi.json", r.body).(map[string]any)
	if !ok {
		t.Fatal("openapi.json is not an object")
	}
	return &oaDoc{root: root}
}

// resolve follows a local JSON pointer such as #/components/schemas/Team.
func (d *oaDoc) resolve(ref string) (map[string]any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	var cur any = d.root
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %q is not in an object", ref, part)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("$ref %q: no %q", ref, part)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("$ref %q is not an object", ref)
	}
	return m, nil
}

// deref returns the object itself, or what its $ref points to.
func (d *oaDoc) deref(m map[string]any) (map[string]any, error) {
	for i := 0; i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		var err error
		if m, err = d.resolve(ref); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("$ref chain too long")
}

// schemaKeywords are the JSON Schema keywords the validator implements;
// the document may use no other (checkSchema enforces it), so nothing it
// says goes unchecked.
var schemaKeywords = map[string]bool{
	"$ref": true, "type": true, "properties": true, "required": true, "items": true, "enum": true,
	"oneOf": true, "additionalProperties": true, "format": true, "pattern": true, "description": true,
}

// checkSchema reports every unsupported keyword and unresolvable $ref in
// a schema and its subschemas.
func (d *oaDoc) checkSchema(s map[string]any, at string, errs *[]string) {
	for k := range s {
		if !schemaKeywords[k] {
			*errs = append(*errs, fmt.Sprintf("%s: unsupported keyword %q", at, k))
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		if _, err := d.resolve(ref); err != nil {
			*errs = append(*errs, fmt.Sprintf("%s: %v", at, err))
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for name, p := range props {
			if ps, ok := p.(map[string]any); ok {
				d.checkSchema(ps, at+".properties."+name, errs)
			} else {
				*errs = append(*errs, at+".properties."+name+": not a schema")
			}
		}
	}
	if req, ok := s["required"].([]any); ok {
		props, _ := s["properties"].(map[string]any)
		for _, r := range req {
			if _, ok := props[fmt.Sprint(r)]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: required %v is not a property", at, r))
			}
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		d.checkSchema(items, at+".items", errs)
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		d.checkSchema(ap, at+".additionalProperties", errs)
	}
	if one, ok := s["oneOf"].([]any); ok {
		for i, o := range one {
			if os, ok := o.(map[string]any); ok {
				d.checkSchema(os, at+".oneOf["+strconv.Itoa(i)+"]", errs)
			}
		}
	}
	if p, ok := s["pattern"].(string); ok {
		if _, err := regexp.Compile(p); err != nil {
			*errs = append(*errs, fmt.Sprintf("%s: pattern: %v", at, err))
		}
	}
}

// validate checks v against schema s and returns every violation, each
// with the JSON path where it is.
func (d *oaDoc) validate(s map[string]any, v any, at string) []string {
	s, err := d.deref(s)
	if err != nil {
		return []string{at + ": " + err.Error()}
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }

	if one, ok := s["oneOf"].([]any); ok {
		matched := 0
		var why []string
		for _, o := range one {
			sub := d.validate(o.(map[string]any), v, at)
			if len(sub) == 0 {
				matched++
			} else {
				why = append(why, sub...)
			}
		}
		if matched != 1 {
			fail("matches %d of the oneOf schemas, want exactly 1 (%s)", matched, strings.Join(why, "; "))
		}
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, fmt.Sprint(x))
			}
		}
		okType := false
		for _, ty := range types {
			if jsonType(v, ty) {
				okType = true
			}
		}
		if !okType {
			fail("%s is not of type %v", short(v), types)
			return errs
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if fmt.Sprintf("%T %v", e, e) == fmt.Sprintf("%T %v", v, v) {
				found = true
			}
		}
		if !found {
			fail("%s is not one of %v", short(v), enum)
		}
	}
	if str, ok := v.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
		if f, ok := s["format"].(string); ok {
			if err := checkFormat(f, str); err != nil {
				fail("%q is not a %s: %v", str, f, err)
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[fmt.Sprint(r)]; !ok {
					fail("missing required property %q", r)
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, d.validate(ps, obj[k], at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q is not documented", k)
				}
			case map[string]any:
				errs = append(errs, d.validate(ap, obj[k], at+"."+k)...)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if items, ok := s["items"].(map[string]any); ok {
			for i, x := range arr {
				errs = append(errs, d.validate(items, x, at+"["+strconv.Itoa(i)+"]")...)
			}
		}
	}
	return errs
}

func jsonType(v any, ty string) bool {
	switch ty {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := strconv.ParseInt(n.String(), 10, 64)
		return err == nil
	}
	return false
}

func checkFormat(f, s string) error {
	switch f {
	case "date":
		_, err := time.Parse(time.DateOnly, s)
		return err
	case "date-time":
		_, err := time.Parse(time.RFC3339, s)
		return err
	case "uri":
		u, err := url.Parse(s)
		if err == nil && (u.Scheme == "" || u.Host == "") {
			err = fmt.Errorf("not absolute")
		}
		return err
	case "uri-reference":
		_, err := url.Parse(s)
		return err
	}
	return fmt.Errorf("unknown format %q", f)
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// operation returns the GET operation of a documented path.
func (d *oaDoc) operation(t *testing.T, path string) map[string]any {
	t.Helper()
	paths := d.root["paths"].(map[string]any)
	item, ok := paths[path].(map[string]any)
	if !ok {
		t.Fatalf("path %s is not documented", path)
	}
	op, ok := item["get"].(map[string]any)
	if !ok {
		t.Fatalf("path %s has no GET operation", path)
	}
	return op
}

// responseSchema returns the JSON schema documented for a status of a path;
// nil when the response has no body.
func (d *oaDoc) responseSchema(t *testing.T, path string, status int) map[string]any {
	t.Helper()
	responses := d.operation(t, path)["responses"].(map[string]any)
	resp, ok := responses[strconv.Itoa(status)].(map[string]any)
	if !ok {
		t.Fatalf("%s: status %d is not documented", path, status)
	}
	resp, err := d.deref(resp)
	if err != nil {
		t.Fatal(err)
	}
	content, ok := resp["content"].(map[string]any)
	if !ok {
		return nil
	}
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		t.Fatalf("%s %d: no application/json content", path, status)
	}
	return media["schema"].(map[string]any)
}

// TestOpenAPIDocument: the document is OpenAPI 3.1, every $ref resolves,
// it uses only the schema keywords the validator implements, and every
// path's parameters match its template.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	d := loadOpenAPI(t, env.h)
	if d.root["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", d.root["openapi"])
	}
	var errs []string
	schemas := d.root["components"].(map[string]any)["schemas"].(map[string]any)
	for name, s := range schemas {
		d.checkSchema(s.(map[string]any), "schemas."+name, &errs)
	}
	placeholder := regexp.MustCompile(`\{([a-z]+)\}`)
	for path := range d.root["paths"].(map[string]any) {
		op := d.operation(t, path)
		var inPath []string
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm, err := d.deref(p.(map[string]any))
			if err != nil {
				errs = append(errs, path+": "+err.Error())
				continue
			}
			if ps, ok := pm["schema"].(map[string]any); ok {
				d.checkSchema(ps, path+" parameter "+fmt.Sprint(pm["name"]), &errs)
			}
			if pm["in"] == "path" {
				inPath = append(inPath, fmt.Sprint(pm["name"]))
				if pm["required"] != true {
					errs = append(errs, path+": path parameter "+fmt.Sprint(pm["name"])+" is not required")
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
		responses, _ := op["responses"].(map[string]any)
		for status, resp := range responses {
			rm, err := d.deref(resp.(map[string]any))
			if err != nil {
				errs = append(errs, path+" "+status+": "+err.Error())
				continue
			}
			if content, ok := rm["content"].(map[string]any); ok {
				for _, media := range content {
					d.checkSchema(media.(map[string]any)["schema"].(map[string]any), path+" "+status, &errs)
				}
			}
		}
		for _, s := range []string{"200", "304", "405"} {
			if _, ok := responses[s]; !ok {
				errs = append(errs, path+": response "+s+" is not documented")
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
	servers := d.root["servers"].([]any)
	prefix := servers[0].(map[string]any)["url"].(string)
	if prefix != "/api/v1" {
		t.Fatalf("server url %q", prefix)
	}
	var documented []string
	for path := range d.root["paths"].(map[string]any) {
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
	if _, err := env.store.PublishRound(ctx, "demo", "r1", odActor, at); err != nil {
		t.Fatal(err)
	}
	why := contest.Text{KO: "입력 오류 정정", EN: "Data entry error corrected"}
	if _, err := env.store.CorrectRound(ctx, "demo", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, why, odActor, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
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
	for p := range d.root["paths"].(map[string]any) {
		documented = append(documented, p)
	}
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
			schema := d.responseSchema(t, path, c.status)
			for _, e := range d.validate(schema, decodeJSON(t, c.url, r.body), "$") {
				t.Errorf("GET %s: %s", c.url, e)
			}
			if c.status == http.StatusOK {
				// 304 is documented and served for a matching validator.
				d.responseSchema(t, path, http.StatusNotModified)
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
		for _, e := range d.validate(d.responseSchema(t, path, http.StatusMethodNotAllowed), decodeJSON(t, u, r.body), "$") {
			t.Errorf("POST %s: %s", u, e)
		}
	}

	// The record download uses the same schemas.
	r := get(t, env.h, "/data/record.json")
	if r.status != http.StatusOK {
		t.Fatalf("record.json: %d", r.status)
	}
	for _, e := range d.validate(map[string]any{"$ref": "#/components/schemas/Record"}, decodeJSON(t, "record.json", r.body), "$") {
		t.Errorf("record.json: %s", e)
	}
}

// The validator itself must catch what it claims to check.
func TestOpenAPIValidator(t *testing.T) {
	t.Parallel()
	d := &oaDoc{root: map[string]any{"components": map[string]any{"schemas": map[string]any{
		"Text": map[string]any{"type": "object", "required": []any{"ko", "en"}, "additionalProperties": false,
			"properties": map[string]any{"ko": map[string]any{"type": "string"}, "en": map[string]any{"type": "string"}}},
	}}}}
	schema := map[string]any{"type": "object", "required": []any{"n", "name"}, "additionalProperties": false, "properties": map[string]any{
		"n":     map[string]any{"type": []any{"integer", "null"}},
		"name":  map[string]any{"oneOf": []any{map[string]any{"$ref": "#/components/schemas/Text"}, map[string]any{"type": "null"}}},
		"kind":  map[string]any{"type": "string", "enum": []any{"a", "b"}},
		"on":    map[string]any{"type": "string", "format": "date"},
		"tags":  map[string]any{"type": "array", "items": map[string]any{"type": "string", "pattern": "^[a-z]+$"}},
		"extra": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
	}}
	for _, tc := range []struct {
		doc  string
		errs int
	}{
		{`{"n": 1, "name": {"ko": "가", "en": "a"}, "kind": "a", "on": "2026-01-15", "tags": ["x"], "extra": {"k": "v"}}`, 0},
		{`{"n": null, "name": null}`, 0},
		{`{"n": 1.5, "name": null}`, 1},
		{`{"n": 1}`, 1},
		{`{"n": 1, "name": {"ko": "가"}}`, 1},
		{`{"n": 1, "name": {"ko": "가", "en": "a", "fr": "a"}}`, 1},
		{`{"n": 1, "name": null, "kind": "c"}`, 1},
		{`{"n": 1, "name": null, "on": "15 Jan 2026"}`, 1},
		{`{"n": 1, "name": null, "tags": ["X"]}`, 1},
		{`{"n": 1, "name": null, "extra": {"k": 1}}`, 1},
		{`{"n": 1, "name": null, "surprise": true}`, 1},
		{`[]`, 1},
	} {
		var v any
		dec := json.NewDecoder(bytes.NewReader([]byte(tc.doc)))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if errs := d.validate(schema, v, "$"); len(errs) != tc.errs {
			t.Errorf("%s: %d errors %v, want %d", tc.doc, len(errs), errs, tc.errs)
		}
	}
	var errs []string
	d.checkSchema(map[string]any{"type": "object", "minProperties": 1, "properties": map[string]any{"x": map[string]any{"$ref": "#/nowhere"}}}, "s", &errs)
	if len(errs) != 2 {
		t.Errorf("checkSchema found %v, want the unsupported keyword and the dangling $ref", errs)
	}
}
