package adminview

// CodePage is the second step of a sign-in: the authenticator's code or
// a recovery code.
type CodePage struct {
	AdminPage
	Next  string
	Error string
}

// MFAPage is the user's second factor: its state, or the enrolment form
// with the QR code and the secret, or (once) the new recovery codes.
type MFAPage struct {
	AdminPage
	// Enrolled: the account has a second factor; CodesLeft counts its
	// unused recovery codes.
	Enrolled  bool
	CodesLeft int
	// Off: the portal offers no second factor (ADMIN_MFA=off).
	Off bool
	// Required: the user must enrol before anything else.
	Required bool
	// The enrolment: the QR code as a data: URI and the secret as text.
	QR     string
	Secret string
	Form   Form
	// RecoveryCodes are shown once, right after the enrolment.
	RecoveryCodes []string
}

// ReauthPage asks for the code (or the password) again before a
// sensitive action.
type ReauthPage struct {
	AdminPage
	Next string
	// Code: ask for the authenticator's code; otherwise the password.
	Code bool
	Form Form
}

// SessionsPage lists the user's own sessions.
type SessionsPage struct {
	AdminPage
	Sessions []SessionRow
	// Others counts the sessions other than this one.
	Others int
}

// SessionRow is one session of the user.
type SessionRow struct {
	ID        string
	Created   string
	LastSeen  string
	Addr      string
	UserAgent string
	Current   bool
}
