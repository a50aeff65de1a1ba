package web_test

import (
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
)

// TestMain closes the browser the browser tests share after the last test.
func TestMain(m *testing.M) { pgtest.Main(m, closeChromium) }
