package web

import "testing"

// safeNext keeps a path on this site and refuses anything a browser could
// read as another site, however it is spelled.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	const fallback = "/admin"
	for _, next := range []string{
		"/admin/rounds/r1",
		"/en/admin/rounds/r1/scores?criterion=expert",
		"/admin/audit?action=round.publish#events",
		"/admin/teams/%ED%8C%80",
		"/",
	} {
		if got := safeNext(next, fallback); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
	for _, next := range []string{
		"",
		"admin",                      // relative
		"//evil.example",             // protocol-relative
		"///evil.example",            // more slashes
		"/\t/evil.example",           // browsers drop the tab: //evil.example
		"/\n/evil.example",           // and newlines
		"/\r\n/evil.example",         // and carriage returns
		"\t//evil.example",           // a leading control character
		" //evil.example",            // a leading space
		"/\\evil.example",            // browsers read \ as /
		"\\\\evil.example",           // \\evil.example
		"/\\/evil.example",           // /\/evil.example
		"/admin\\..\\..\\evil",       // a backslash anywhere
		"/admin\x00",                 // NUL
		"/admin\x7f",                 // DEL
		"/admin\u0085",               // a C1 control (NEL)
		"https://evil.example/admin", // a scheme and host
		"http:/evil.example",         // a scheme without slashes
		"javascript:alert(1)",        // a script URL
		"/%2F%2Fevil.example",        // encoded slashes
		"/%2f/evil.example",          // an encoded slash after the first
		"/%5Cevil.example",           // an encoded backslash
		"/%09/evil.example",          // an encoded tab
		"/%0A/evil.example",          // an encoded newline
		"/%zz",                       // not decodable
		"https:%2F%2Fevil.example",   // a scheme with encoded slashes
		"//user@evil.example/admin",  // userinfo
	} {
		if got := safeNext(next, fallback); got != fallback {
			t.Errorf("safeNext(%q) = %q, want the fallback %q", next, got, fallback)
		}
	}
}
