package web

import "testing"

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{
		"LG AI연구원": "LG AI연구원", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1+1": "'+1+1",
		"@SUM(A1)": "'@SUM(A1)", "-5": "-5", "90.20": "90.20", "": "",
	} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
