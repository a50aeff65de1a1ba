package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// The second factor of staff accounts: a TOTP secret and single-use
// recovery codes (their hashes). The secret is read only here, for the
// sign-in and re-authentication checks; no listing or export reads it.

// TOTPSecret returns the account's TOTP secret; "" when it has none.
func (s *Store) TOTPSecret(ctx context.Context, userID int64) (string, error) {
	var secret string
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT secret FROM user_totp WHERE user_id = $1), '')`, userID).Scan(&secret)
	if err != nil {
		return "", fmt.Errorf("postgres: totp secret: %w", err)
	}
	return secret, nil
}

// EnrolTOTP gives the account a TOTP secret (replacing any earlier one) and
// a new set of recovery codes (their hashes; earlier codes stop working).
// step is the time step of the code that confirmed the enrolment, so that
// code cannot be used again. The audit event records neither secret nor
// codes.
func (s *Store) EnrolTOTP(ctx context.Context, userID int64, secret string, step int64, recoveryHashes [][]byte, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, userID, "")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
INSERT INTO user_totp (user_id, secret, last_step) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = EXCLUDED.last_step, created_at = now()`,
			userID, secret, step); err != nil {
			return err
		}
		if err := replaceRecoveryCodes(ctx, tx, userID, recoveryHashes); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "user.mfa_enrol", u.entity(), nil, nil,
			map[string]any{"email": u.Email, "recovery_codes": len(recoveryHashes)})
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: enrol totp: %w", err)
	}
	return nil
}

func replaceRecoveryCodes(ctx context.Context, tx DBTX, userID int64, hashes [][]byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, userID, hashes)
	return err
}

// UseTOTPStep records that the account's code of time step was used; it
// reports false when that step (or a later one) was used before, so a code
// seen by someone else cannot be replayed.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("postgres: use totp step: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// UseRecoveryCode spends one of the account's unused recovery codes, given
// by its hash; it reports false when there is no such unused code. Its use
// is audited with the number of codes left.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash []byte, actor contest.Actor) (bool, error) {
	used := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, hash)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		used = true
		u, err := lockUser(ctx, tx, userID, "")
		if err != nil {
			return err
		}
		left, err := recoveryCodesLeft(ctx, tx, userID)
		if err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "user.mfa_recovery", u.entity(), nil, nil, map[string]any{"email": u.Email, "left": left})
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: use recovery code: %w", err)
	}
	return used, nil
}

// RecoveryCodesLeft counts the account's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	n, err := recoveryCodesLeft(ctx, s.pool, userID)
	if err != nil {
		return 0, fmt.Errorf("postgres: recovery codes left: %w", err)
	}
	return n, nil
}

func recoveryCodesLeft(ctx context.Context, db DBTX, userID int64) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}
