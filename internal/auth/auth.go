// Package auth owns staff credentials apart from storage: the password
// policy (length counted in characters, common and patterned passwords
// refused, bilingual reasons), hashing and verifying passwords with argon2id
// under a bound on concurrent hashes, generating one-time passwords, and the
// staff roles. It does no storage: the store keeps the hashes and the web
// layer keeps the sessions.
//
// Passwords are compared after Unicode NFKC normalization, so the same Korean
// password typed on a system that sends decomposed syllables (macOS) and on
// one that sends composed ones (Windows) is the same password.
package auth

// Staff roles, as the users table's user_role type knows them.
const (
	// RoleAdmin sets up programs and rounds, publishes, corrects and manages users.
	RoleAdmin = "admin"
	// RoleScorer enters scores.
	RoleScorer = "scorer"
)

// Roles lists the valid roles, most powerful first.
var Roles = []string{RoleAdmin, RoleScorer}

// ValidRole reports whether r is a staff role.
func ValidRole(r string) bool { return r == RoleAdmin || r == RoleScorer }
