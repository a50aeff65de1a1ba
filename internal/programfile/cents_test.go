package programfile

import (
	"fmt"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// The fast path of decimals reads what the exact path reads, and refuses
// what it cannot read exactly.
func TestCentsMatchesTheExactPath(t *testing.T) {
	t.Parallel()
	inputs := []string{"0", "0.0", "0.00", "5", "5.0", "5.5", "5.05", "007.50", "40", "99999.99", "100000", "100000.00",
		"123456789", "1234567890", "9.999", ".5", "5.", "", "-1", "+1", "1e3", "1,5", "٣", " 1", "1 "}
	for i := range 2000 {
		inputs = append(inputs, fmt.Sprintf("%d.%02d", i*37%100000, i%100), fmt.Sprintf("%d.%d", i, i%10))
	}
	for _, s := range inputs {
		c, ok := cents(s)
		v, err := rules.ParseValue(s)
		exact := err == nil && v.Cmp(rat(contest.MaxPoints)) <= 0
		if ok != exact {
			t.Errorf("cents(%q) ok = %v, exact path ok = %v", s, ok, exact)
			continue
		}
		if ok && formatCents(c) != rules.FormatCents(v) {
			t.Errorf("cents(%q) = %s, exact path %s", s, formatCents(c), rules.FormatCents(v))
		}
	}
}

// The fast path of numeric scalars gives the decoder's values and types.
func TestScalarMatchesTheDecoder(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "00", "07", "-0", "-7", "42", "9223372036854775807", "9223372036854775808",
		"4.5", "4.50", "007.50", "-0.5", "0x1F", "0o17", "1_000", ".5", "5.", "1e3", ".inf", "-.inf", ".nan", "12:30"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("v: "+s), &doc); err != nil {
			t.Fatal(err)
		}
		n := doc.Content[0].Content[1]
		var want any
		if err := n.Decode(&want); err != nil {
			want = n.Value
		}
		if n.ShortTag() == "!!str" {
			want = n.Value
		}
		got := scalar(n)
		if f, ok := want.(float64); ok && f != f {
			if g, ok := got.(float64); !ok || g == g {
				t.Errorf("scalar(%q) = %#v, want NaN", s, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scalar(%q) = %#v (%T), decoder %#v (%T)", s, got, got, want, want)
		}
	}
}
