package config

import (
	"io"
	"testing"
)

func TestSiteSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	c, _, err := Load("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Site != (Site{}) {
		t.Errorf("default site %+v, want not official and no operator", c.Site)
	}

	c, _, err = Load("serve", nil, env(map[string]string{
		"OFFICIAL_SITE": "true", "OPERATOR_KO": "과학기술정보통신부", "OPERATOR_EN": "Ministry of Science and ICT"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Site{Official: true, OperatorKO: "과학기술정보통신부", OperatorEN: "Ministry of Science and ICT"}
	if c.Site != want {
		t.Errorf("site %+v, want %+v", c.Site, want)
	}

	if _, _, err := Load("serve", nil, env(map[string]string{"OFFICIAL_SITE": "yes please"}), io.Discard); err == nil {
		t.Error("OFFICIAL_SITE=\"yes please\" accepted")
	}
}
