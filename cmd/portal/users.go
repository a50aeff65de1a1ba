package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

const userUsage = `usage: portal user add --email E --role admin|scorer [--name N] [--admin-mfa required|optional|off]
       portal user password --email E
       portal user disable|enable --email E
       portal user list
add and password read the password from the first line of stdin; an empty
line generates one, which is printed once. Unless ADMIN_MFA is off, add
--role admin also prints the new admin's TOTP key (otpauth:// URI) and
recovery codes, once.`

// userArgs are the flags of the user commands, and the new password's hash
// for add and password.
type userArgs struct {
	email, role, name string
	hash              string
	// mfa is the ADMIN_MFA mode: unless off, a new admin gets a TOTP key.
	mfa string
	fs  *flag.FlagSet
}

// userActions are the user subcommands; each runs with the arguments checked.
var userActions = map[string]func(ctx context.Context, st *postgres.Store, u userArgs, stdout io.Writer) error{
	"add":      userAdd,
	"password": userPassword,
	"disable":  userDisable,
	"enable":   userEnable,
	"list":     userList,
}

// cmdUser manages staff accounts from the command line: the way to create
// the first admin on a server, and to let someone in again who is locked out.
func cmdUser(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError(userUsage)
	}
	sub := args[0]
	action, ok := userActions[sub]
	if !ok {
		return usageError(userUsage)
	}
	var u userArgs
	return dbCommand{
		name: "user " + sub,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&u.email, "email", "", "the account's email")
			fs.StringVar(&u.role, "role", "", "admin or scorer")
			fs.StringVar(&u.name, "name", "", "display name")
			u.fs = fs
		},
		check: func(rest []string) error { return u.check(sub, rest, e) },
		run: func(db *database, _ []string) error {
			if err := action(ctx, db.Store, u, e.stdout); err != nil {
				return fmt.Errorf("user %s: %w", sub, err)
			}
			return nil
		},
	}.exec(ctx, args[1:], e)
}

// check validates the command line of user sub and settles the password
// before the database is touched, so a weak one fails fast and leaves
// nothing behind.
func (u *userArgs) check(sub string, rest []string, e env) error {
	if len(rest) != 0 {
		return usageError(userUsage)
	}
	if sub != "list" && u.email == "" {
		return usageError("portal user " + sub + ": --email is required\n" + userUsage)
	}
	if sub == "add" && !auth.ValidRole(u.role) {
		return usageError(fmt.Sprintf("portal user add: --role must be one of %s\n%s", strings.Join(auth.Roles, ", "), userUsage))
	}
	if sub == "add" {
		// config.Load has parsed and resolved the shared flags by now.
		mfa, err := config.ResolveAdminMFA(u.fs.Lookup("admin-mfa").Value.String(), u.fs.Lookup("base-url").Value.String())
		if err != nil {
			return usageError(err.Error())
		}
		u.mfa = mfa
	}
	if sub == "add" || sub == "password" {
		hash, err := newPasswordHash(u.email, e.stdin, e.stdout, e.stderr)
		if err != nil {
			return fmt.Errorf("user %s: %w", sub, err)
		}
		u.hash = hash
	}
	return nil
}

// unknownEmail words a missing account for the person at the terminal.
func unknownEmail(err error, email string) error {
	if errors.Is(err, contest.ErrNotFound) {
		return fmt.Errorf("no user has the email %s", email)
	}
	return err
}

func userAdd(ctx context.Context, st *postgres.Store, u userArgs, stdout io.Writer) error {
	created, err := st.CreateUser(ctx, u.email, u.name, u.role, u.hash, cliActor)
	if errors.Is(err, contest.ErrConflict) {
		return fmt.Errorf("a user with the email %s already exists", u.email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", created.Role, created.Email, created.ID)
	if created.Role != auth.RoleAdmin || u.mfa == auth.MFAOff {
		return nil
	}
	return enrolTOTP(ctx, st, created, stdout)
}

// enrolTOTP gives a new admin a TOTP key and recovery codes and prints
// them, once: the key as an otpauth:// URI for an authenticator app (most
// apps accept it pasted, or as a QR code made from it).
func enrolTOTP(ctx context.Context, st *postgres.Store, u postgres.User, stdout io.Writer) error {
	secret, uri, err := auth.NewTOTP(u.Email)
	if err != nil {
		return err
	}
	codes, hashes, err := auth.NewRecoveryCodeSet()
	if err != nil {
		return err
	}
	if err := st.EnrolTOTP(ctx, u.ID, secret, 0, hashes, cliActor); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "two-step verification key (shown only once; add it to an authenticator app):\n    %s\n", uri)
	fmt.Fprintf(stdout, "recovery codes (shown only once; each signs in once without the app):\n    %s\n", strings.Join(codes, "\n    "))
	return nil
}

func userPassword(ctx context.Context, st *postgres.Store, u userArgs, stdout io.Writer) error {
	acct, _, err := st.UserByEmail(ctx, u.email)
	if err == nil {
		err = st.SetPassword(ctx, acct.ID, u.hash, cliActor)
	}
	if err != nil {
		return unknownEmail(err, u.email)
	}
	fmt.Fprintf(stdout, "password changed for %s\n", acct.Email)
	return nil
}

func userDisable(ctx context.Context, st *postgres.Store, u userArgs, stdout io.Writer) error {
	if err := st.DisableUser(ctx, u.email, cliActor); err != nil {
		return unknownEmail(err, u.email)
	}
	fmt.Fprintf(stdout, "disabled %s\n", u.email)
	return nil
}

func userEnable(ctx context.Context, st *postgres.Store, u userArgs, stdout io.Writer) error {
	if err := st.EnableUser(ctx, u.email, cliActor); err != nil {
		return unknownEmail(err, u.email)
	}
	fmt.Fprintf(stdout, "enabled %s\n", u.email)
	return nil
}

func userList(ctx context.Context, st *postgres.Store, _ userArgs, stdout io.Writer) error {
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(stdout, "no users yet; create the first admin with: portal user add --email E --role admin")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS\tCREATED")
	for _, u := range users {
		status := "enabled"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, status, u.CreatedAt.UTC().Format("2006-01-02"))
	}
	return tw.Flush()
}
