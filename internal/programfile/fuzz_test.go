package programfile

import (
	"os"
	"testing"
)

// Any input either parses into a file or fails with path-named errors; it
// never panics.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/valid.yaml", "testdata/valid.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("program: {slug: x}"))
	f.Add([]byte("rounds: [{criteria: [{children: [{}]}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if (file == nil) == (err == nil) {
			t.Fatalf("Parse returned file=%v err=%v: exactly one must be set", file != nil, err)
		}
		if err != nil {
			if _, ok := err.(Errors); !ok {
				if _, ok := err.(*Errors); !ok {
					t.Fatalf("error of type %T, want Errors", err)
				}
			}
		}
	})
}
