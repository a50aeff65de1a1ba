package web

import (
	"errors"
	"testing"
)

// A simulation on its own lowered thread returns its value and error, and
// a panic in it is the caller's, as if it had run there.
func TestLowPriority(t *testing.T) {
	v, err := lowPriority(func() (int, error) { return 42, nil })
	if v != 42 || err != nil {
		t.Errorf("lowPriority = %d, %v", v, err)
	}
	boom := errors.New("boom")
	if _, err := lowPriority(func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("error = %v", err)
	}
	defer func() {
		if p := recover(); p != "inside" {
			t.Errorf("panic = %v, want the simulation's", p)
		}
	}()
	_, _ = lowPriority(func() (int, error) { panic("inside") })
	t.Error("no panic")
}
