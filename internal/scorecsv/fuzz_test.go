package scorecsv

import (
	"bytes"
	"testing"
)

// Any input either yields rows or line-numbered errors; it never panics,
// and every row it yields has a line number past the header.
func FuzzParse(f *testing.F) {
	f.Add([]byte("team,criterion,evaluator,value\nlg,nia,,9.2\n"))
	f.Add([]byte("\ufeffvalue,team,criterion,evaluator\n1,a,b,2\n\"x\ny\",a,b,\n"))
	f.Add([]byte("team,criterion\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := Parse(bytes.NewReader(data))
		if err != nil {
			if rows != nil {
				t.Fatal("rows and an error together")
			}
			if _, ok := err.(Errors); !ok {
				t.Fatalf("error of type %T, want Errors", err)
			}
			return
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("row with line %d", r.Line)
			}
		}
	})
}
