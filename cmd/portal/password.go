package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kai-challenge/portal/internal/auth"
)

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
