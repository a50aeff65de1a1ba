# The two commands: `make run` and `make test`.
GO ?= go
PROGRAM_FILE ?= data/sovereign-ai.yaml

.PHONY: run test build generate fmt vet check browser-deps bench loadtest clean

## run: start the portal with the program's public record at http://localhost:8080
run: build
	./bin/portal serve -import $(PROGRAM_FILE)

## build: compile the portal into bin/portal
build:
	$(GO) build -o bin/portal ./cmd/portal

## test: every test, against a real PostgreSQL (TEST_DATABASE_URL, or one private throwaway cluster for all packages)
test: browser-deps
	GOGC=$(TEST_GOGC) $(GO) run ./internal/pgtest/withdb $(GO) test -count=1 -timeout 9m -ldflags=-w $(TEST_FIRST) ./...

# The longest test packages start first, so the others run beside them.
TEST_FIRST = ./internal/web ./cmd/portal
# Go's garbage collector runs less often in the tests' own processes
# (compiler, linker, test binaries): their heaps are small and short-lived,
# and the suite is bound by CPU on a small machine (docs/benchmarks.md).
# For the same reason the test binaries carry no debugger information
# (-ldflags=-w): linking them is about a third cheaper.
TEST_GOGC ?= 400

## browser-deps: install headless Chromium and the pinned axe-core for the browser tests when missing
browser-deps:
	@bash scripts/browser-deps.sh
	@bash scripts/axe-deps.sh

## generate: regenerate templ components
generate:
	$(GO) tool templ generate

## check: formatting, vet, staticcheck and generated code are clean (used by CI)
check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@for d in $$(git ls-files '*.templ' | xargs -r -n1 dirname | sort -u); do \
		$(GO) tool templ fmt -fail -log-level warn "$$d" || { echo "templ fmt changed the .templ files in $$d; review and commit them"; exit 1; }; \
	done
	$(GO) tool templ generate >/dev/null
	@git diff --exit-code -- '*_templ.go' || { echo "generated templ code was stale; run make generate and commit"; exit 1; }

## bench: benchmarks of the rule engine and of computing results in PostgreSQL
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/rules/ ./internal/postgres/

## loadtest: fixed-rate load on the portal and on nginx serving the same bytes, then a round of 100 teams
## (import, round page, what-if scenarios beside cached pages); appends to docs/benchmarks.md
loadtest:
	bash scripts/loadtest.sh

clean:
	rm -rf bin
