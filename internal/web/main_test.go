package web_test

import (
	"testing"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/pgtest"
)

// TestMain makes password hashes cheap for the package's many sign-ins and
// closes the browser the browser tests share after the last test.
func TestMain(m *testing.M) {
	auth.UseTestCost() // internal/auth tests the real cost
	pgtest.Main(m, closeChromium)
}
