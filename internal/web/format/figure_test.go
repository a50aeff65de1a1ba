package format

import "testing"

// A figure keeps the decimals of its round: one on stage 2, two on stage 1.
func TestFigure(t *testing.T) {
	for in, want := range map[string]string{
		"70.6": "70.6", "65.8": "65.8", "90.20": "90.20", "8": "8", " 9.48 ": "9.48",
		"1.234567": "1.2346", "n/a": "n/a",
	} {
		if got := Figure(in); got != want {
			t.Errorf("Figure(%q) = %q, want %q", in, got, want)
		}
	}
}
