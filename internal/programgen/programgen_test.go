package programgen_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/programgen"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestGeneratedProgramImportsAndComputes checks the smallest benchmark
// program end to end: the same seed writes the same bytes, the file
// parses, imports with every score, is published on import and computes
// complete results for every team.
func TestGeneratedProgramImportsAndComputes(t *testing.T) {
	o := programgen.Size(5)
	var a, b bytes.Buffer
	if err := programgen.Write(&a, o); err != nil {
		t.Fatal(err)
	}
	if err := programgen.Write(&b, o); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same options wrote different files")
	}
	o.Seed = 2
	var c bytes.Buffer
	if err := programgen.Write(&c, o); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("another seed wrote the same file")
	}
	f, err := programfile.Parse(a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	st := postgres.New(pgtest.New(t))
	ctx := context.Background()
	sum, err := st.ImportProgram(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Teams != 5 || sum.Scores != 5000 || len(sum.Notes) != 0 {
		t.Fatalf("imported %+v", sum)
	}
	rr, err := st.PublishedResults(ctx, programgen.ProgramSlug, programgen.RoundSlug)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Result == nil || !rr.Result.Complete || len(rr.Result.Teams) != 5 {
		t.Fatalf("published results: %+v", rr.Result)
	}
	through := 0
	for _, tr := range rr.Result.Teams {
		if tr.Outcome == "advanced" {
			through++
		}
	}
	if through != 2 {
		t.Errorf("%d teams advanced, want the rule's 2", through)
	}
}

// TestWriteRefusesAnEmptySize checks the generator's bounds.
func TestWriteRefusesAnEmptySize(t *testing.T) {
	var buf bytes.Buffer
	if err := programgen.Write(&buf, programgen.Options{Teams: 0, Leaves: 20, Categories: 4, Evaluators: 50}); !errors.Is(err, programgen.ErrOptions) {
		t.Fatalf("0 teams: error %v, want ErrOptions", err)
	}
}
