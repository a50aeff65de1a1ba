package config

import (
	"io"
	"testing"
)

func TestAdminMFA(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{}, nil, "optional"},
		{map[string]string{"BASE_URL": "https://kai-challenge.kr"}, nil, "required"},
		{map[string]string{"BASE_URL": "https://kai-challenge.kr", "ADMIN_MFA": "off"}, nil, "off"},
		{map[string]string{"ADMIN_MFA": "optional"}, []string{"-admin-mfa", "required"}, "required"},
	} {
		c, _, err := Load("serve", tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil || c.AdminMFA != tc.want {
			t.Errorf("env %v args %v: %q, %v; want %q", tc.env, tc.args, c.AdminMFA, err, tc.want)
		}
	}
	if _, _, err := Load("serve", nil, func(k string) string { return map[string]string{"ADMIN_MFA": "yes"}[k] }, io.Discard); err == nil {
		t.Error("ADMIN_MFA=yes was accepted")
	}
}
