package rules

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
)

// FuzzCompute builds small rounds, sometimes broken, from the fuzz bytes:
// Compute must never panic, must fail only with an InputError, must agree
// with Validate, and a result it returns must be internally consistent.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 4, 3, 1, 1, 2, 2, 0, 0, 0, 0, 0})
	f.Add([]byte("stage-1 2026-01-15 lg skt upstage naver nc-ai"))
	f.Add([]byte{1, 7, 2, 0, 2, 1, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5})
	rng := rand.New(rand.NewPCG(7, 7))
	for range 8 {
		b := make([]byte, 64+rng.IntN(512))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := genInput(&byteSource{b: data}, true)
		res, err := Compute(in)
		errs := Validate(in)
		if (err == nil) != (len(errs) == 0) {
			t.Fatalf("Compute error %v but Validate %v", err, errs)
		}
		if err != nil {
			var ie *InputError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		if err := checkResult(in, res); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(NewReport("p", "r", ReportPreview, res)); err != nil {
			t.Fatal(err)
		}
	})
}
