package web_test

import (
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
