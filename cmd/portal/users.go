package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
)

const userUsage = `usage: portal user add --email E --role admin|scorer [--name N]
       portal user password --email E
       portal user disable|enable --email E
       portal user list
add and password read the password from the first line of stdin; an empty
line generates one, which is printed once.`

// cmdUser manages staff accounts from the command line: the way to create
// the first admin on a server, and to let someone in again who is locked out.
func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(userUsage)
	}
	sub, args := args[0], args[1:]
	var email, role, name string
	cfg, rest, err := config.Load("user "+sub, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the account's email")
		fs.StringVar(&role, "role", "", "admin or scorer")
		fs.StringVar(&name, "name", "", "display name")
	})
	if err != nil {
		return usageError(err.Error())
	}
	if len(rest) != 0 {
		return usageError(userUsage)
	}
	switch sub {
	case "add", "password", "disable", "enable":
		if email == "" {
			return usageError("portal user " + sub + ": --email is required\n" + userUsage)
		}
	case "list":
	default:
		return usageError(userUsage)
	}
	if sub == "add" && !auth.ValidRole(role) {
		return usageError(fmt.Sprintf("portal user add: --role must be one of %s\n%s", strings.Join(auth.Roles, ", "), userUsage))
	}

	// Settle the password before touching the database, so a weak one
	// fails fast and leaves nothing behind.
	var hash string
	if sub == "add" || sub == "password" {
		if hash, err = newPasswordHash(email, stdin, stdout, stderr); err != nil {
			return fmt.Errorf("user %s: %w", sub, err)
		}
	}

	db, err := openDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	st := db.Store
	notFound := func(err error) error {
		if errors.Is(err, contest.ErrNotFound) {
			return fmt.Errorf("user %s: no user has the email %s", sub, email)
		}
		return fmt.Errorf("user %s: %w", sub, err)
	}
	switch sub {
	case "add":
		u, err := st.CreateUser(ctx, email, name, role, hash, cliActor)
		if errors.Is(err, contest.ErrConflict) {
			return fmt.Errorf("user add: a user with the email %s already exists", email)
		}
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	case "password":
		u, _, err := st.UserByEmail(ctx, email)
		if err == nil {
			err = st.SetPassword(ctx, u.ID, hash, cliActor)
		}
		if err != nil {
			return notFound(err)
		}
		fmt.Fprintf(stdout, "password changed for %s\n", u.Email)
	case "disable":
		if err := st.DisableUser(ctx, email, cliActor); err != nil {
			return notFound(err)
		}
		fmt.Fprintf(stdout, "disabled %s\n", email)
	case "enable":
		if err := st.EnableUser(ctx, email, cliActor); err != nil {
			return notFound(err)
		}
		fmt.Fprintf(stdout, "enabled %s\n", email)
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return fmt.Errorf("user list: %w", err)
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
	return nil
}

// newPasswordHash reads the password from the first line of stdin, or
// generates one when the line is empty and prints it once, checks it
// against the policy for email, and returns its hash.
func newPasswordHash(email string, stdin io.Reader, stdout, stderr io.Writer) (string, error) {
	pw, err := readPasswordLine(stdin, stderr)
	if err != nil {
		return "", err
	}
	if pw == "" {
		pw = auth.GeneratePassword()
		fmt.Fprintf(stdout, "generated password for %s (shown only once; store it now):\n    %s\n", email, pw)
	}
	if err := auth.ValidatePasswordFor(pw, email); err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

// readPasswordLine returns the first line of stdin without its line ending;
// nothing else of it is changed. On a terminal it prompts first (the
// password is echoed: prefer piping it in or letting one be generated).
func readPasswordLine(stdin io.Reader, stderr io.Writer) (string, error) {
	if stdin == nil {
		return "", nil
	}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(stderr, "password (empty line: generate one): ")
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r"), nil
}
