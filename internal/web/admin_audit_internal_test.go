package web

import (
	"testing"

	"github.com/kai-challenge/portal/internal/web/i18n"
	assets "github.com/kai-challenge/portal/web"
)

// Every action the audit filter offers is named in both languages.
func TestAuditActionsNamed(t *testing.T) {
	t.Parallel()
	cats, err := i18n.Load(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.KO, i18n.EN} {
		for _, a := range auditActions {
			if _, ok := cats.Message(lang, "audit.action."+a); !ok {
				t.Errorf("%s: audit action %s has no name", lang, a)
			}
		}
		for kind := range auditLinks {
			if _, ok := cats.Message(lang, "audit.entity."+kind); !ok {
				t.Errorf("%s: entity kind %s has no name", lang, kind)
			}
		}
	}
}

func TestNeedsReauth(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"/admin/rounds/r2/publish":         true,
		"/admin/rounds/r2/correct":         true,
		"/admin/rounds/r2/schedule":        true,
		"/admin/rounds/r2/disclosure":      true,
		"/admin/rounds/r2/correct/confirm": true,
		"/admin/requests/7/approve":        true,
		"/admin/users/3/role":              true,
		"/admin/rounds/r2":                 false,
		"/admin/rounds/r2/close":           false,
		"/admin/rounds//publish":           false,
		"/admin/users/3/disable":           false,
	} {
		if got := needsReauth(p); got != want {
			t.Errorf("needsReauth(%q) = %v, want %v", p, got, want)
		}
	}
}
