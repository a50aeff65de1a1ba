package rules

import (
	"errors"
	"testing"
)

func TestParseValue(t *testing.T) {
	valid := []struct{ in, want string }{
		{"9.2", "9.20"},
		{"31.60", "31.60"},
		{"0", "0.00"},
		{"35", "35.00"},
		{"0.05", "0.05"},
		{"100.00", "100.00"},
		{"007.5", "7.50"},
	}
	for _, tc := range valid {
		got, err := ParseValue(tc.in)
		if err != nil {
			t.Errorf("ParseValue(%q): %v", tc.in, err)
			continue
		}
		if s := FormatCents(got); s != tc.want {
			t.Errorf("ParseValue(%q) = %s, want %s", tc.in, s, tc.want)
		}
	}
	invalid := []string{
		"", " 1", "1 ", "1,5", "1e2", "1E2", "-1", "+1", ".5", "5.", "1.234", "0.001",
		"1/2", "0x10", "1..2", "1.2.3", "NaN", "Inf", "１", "٣", "1_000",
	}
	for _, in := range invalid {
		if got, err := ParseValue(in); !errors.Is(err, ErrValueSyntax) {
			t.Errorf("ParseValue(%q) = %v, %v; want ErrValueSyntax", in, got, err)
		}
	}
}

func TestRoundAndFormatCents(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.125", "10.13"}, // half-up at the boundary (half-even would give 10.12)
		{"10.135", "10.14"},
		{"10.124999", "10.12"},
		{"10.1250001", "10.13"},
		{"0.005", "0.01"},
		{"0.004999", "0.00"},
		{"1/3", "0.33"},
		{"2/3", "0.67"},
		{"90.2", "90.20"},
		{"0", "0.00"},
		{"99.995", "100.00"},
		{"-0.125", "-0.13"},
		{"-1.5", "-1.50"},
		{"-0.001", "0.00"},
		{"123456789012345678901234567890.005", "123456789012345678901234567890.01"},
	}
	for _, tc := range tests {
		if got := FormatCents(rat(tc.in)); got != tc.want {
			t.Errorf("FormatCents(%s) = %s, want %s", tc.in, got, tc.want)
		}
		if got := RoundCents(rat(tc.in)); got.Cmp(rat(tc.want)) != 0 {
			t.Errorf("RoundCents(%s) = %s, want %s", tc.in, got.RatString(), tc.want)
		}
	}
	if got := FormatCents(nil); got != "" {
		t.Errorf("FormatCents(nil) = %q, want empty", got)
	}
	if got := RoundCents(nil); got.Sign() != 0 {
		t.Errorf("RoundCents(nil) = %s, want 0", got.RatString())
	}
	x := rat("10.125")
	RoundCents(x)
	if x.Cmp(rat("10.125")) != 0 {
		t.Errorf("RoundCents changed its argument to %s", x.RatString())
	}
}

func TestOrdinal(t *testing.T) {
	want := map[int]string{
		0: "0th", 1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 10: "10th", 11: "11th", 12: "12th", 13: "13th",
		14: "14th", 21: "21st", 22: "22nd", 23: "23rd", 101: "101st", 102: "102nd", 111: "111th",
		112: "112th", 113: "113th", 121: "121st", 1001: "1001st", 1011: "1011th",
	}
	for n, w := range want {
		if got := Ordinal(n); got != w {
			t.Errorf("Ordinal(%d) = %s, want %s", n, got, w)
		}
	}
}
