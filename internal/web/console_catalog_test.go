package web_test

import (
	"os"
	"testing"

	"github.com/kai-challenge/portal/internal/scorecsv"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// The English catalog words every score CSV problem as the CLI does
// (scorecsv.English), and the Korean catalog has each of them too.
func TestCSVMessagesInCatalogs(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load(os.DirFS("../../web/i18n"))
	if err != nil {
		t.Fatal(err)
	}
	for code, en := range scorecsv.English {
		if got, _ := c.Message(i18n.EN, "csv."+code); got != en {
			t.Errorf("en csv.%s = %q, want %q", code, got, en)
		}
		if _, ok := c.Message(i18n.KO, "csv."+code); !ok {
			t.Errorf("ko csv.%s missing", code)
		}
	}
}
