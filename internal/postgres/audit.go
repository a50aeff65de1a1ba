package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// auditLock serialises appends so every event chains to the one before it.
const auditLock = 7_242_001

// genesis is the previous hash of the first event.
var genesis = make([]byte, sha256.Size)

// appendAudit appends one event to the audit log in the caller's
// transaction and returns its hash. before and after are marshalled to JSON
// (nil stays SQL NULL).
func appendAudit(ctx context.Context, tx DBTX, actor contest.Actor, action, entity string, roundID *int64, before, after any) ([]byte, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLock); err != nil {
		return nil, fmt.Errorf("audit lock: %w", err)
	}
	prev := genesis
	err := tx.QueryRow(ctx, `SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && err != pgx.ErrNoRows {
		return nil, fmt.Errorf("audit head: %w", err)
	}
	js := func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	b, err := js(before)
	if err != nil {
		return nil, err
	}
	a, err := js(after)
	if err != nil {
		return nil, err
	}
	var hash []byte
	err = tx.QueryRow(ctx, `
WITH v AS (
  SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) AS id, now() AS at,
         $1::text AS actor, $2::text AS client_addr, $3::text AS action, $4::text AS entity, $5::bigint AS round_id,
         $6::jsonb AS before, $7::jsonb AS after, $8::bytea AS prev_hash)
INSERT INTO audit_events (id, at, actor, client_addr, action, entity, round_id, before, after, prev_hash, hash)
OVERRIDING SYSTEM VALUE
SELECT v.id, v.at, v.actor, v.client_addr, v.action, v.entity, v.round_id, v.before, v.after, v.prev_hash,
       sha256(v.prev_hash || convert_to(audit_canonical(ROW(v.id, v.at, v.actor, v.client_addr, v.action, v.entity, v.round_id,
                                                             v.before, v.after, v.prev_hash, ''::bytea)::audit_events), 'UTF8'))
FROM v
RETURNING hash`, actor.Name, actor.Addr, action, entity, roundID, b, a, prev).Scan(&hash)
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	return hash, nil
}

// AuditEvent is one entry of the audit log.
type AuditEvent struct {
	ID         int64
	At         time.Time
	Actor      string
	ClientAddr string
	Action     string
	Entity     string
	RoundID    *int64
	Round      string // the round's slug, when RoundID is set
	Before     json.RawMessage
	After      json.RawMessage
	Hash       string // hex
}

// AuditFilter narrows an audit listing; zero fields match everything.
type AuditFilter struct {
	Actor  string
	Round  string
	Action string
	From   time.Time
	To     time.Time // exclusive
	Limit  int
}

// AuditEvents lists events, newest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	var from, to any
	if !f.From.IsZero() {
		from = f.From
	}
	if !f.To.IsZero() {
		to = f.To
	}
	out, err := appendRows(ctx, s.pool, nil, scanWith(func(e *AuditEvent) []any {
		return []any{&e.ID, &e.At, &e.Actor, &e.ClientAddr, &e.Action, &e.Entity, &e.RoundID, &e.Round, &e.Before, &e.After, &e.Hash}
	}), `
SELECT e.id, e.at, e.actor, e.client_addr, e.action, e.entity, e.round_id, coalesce(r.slug, ''), e.before, e.after,
  coalesce(encode(e.hash, 'hex'), '')
FROM audit_events e LEFT JOIN rounds r ON r.id = e.round_id
WHERE ($1 = '' OR e.actor = $1) AND ($2 = '' OR r.slug = $2) AND ($3 = '' OR e.action = $3)
  AND ($4::timestamptz IS NULL OR e.at >= $4) AND ($5::timestamptz IS NULL OR e.at < $5)
ORDER BY e.id DESC LIMIT $6`, f.Actor, f.Round, f.Action, from, to, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit events: %w", err)
	}
	return out, nil
}

// VerifyResult is the outcome of checking the audit chain.
type VerifyResult struct {
	Events   int
	Head     string // hex hash of the last event
	BrokenAt int64  // id of the first event that does not verify; 0 when intact
	Problem  string
}

// VerifyAudit recomputes the hash chain from the first event and reports the
// first event whose stored hashes do not match its content or its
// predecessor.
func (s *Store) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	var vr VerifyResult
	rows, err := s.pool.Query(ctx, `SELECT e.id, e.prev_hash, e.hash, audit_canonical(e) FROM audit_events e ORDER BY e.id`)
	if err != nil {
		return vr, fmt.Errorf("postgres: verify audit: %w", err)
	}
	defer rows.Close()
	prev := genesis
	for rows.Next() {
		var id int64
		var prevHash, hash []byte
		var canon string
		if err := rows.Scan(&id, &prevHash, &hash, &canon); err != nil {
			return vr, fmt.Errorf("postgres: verify audit: %w", err)
		}
		vr.Events++
		if !bytes.Equal(prevHash, prev) {
			vr.BrokenAt, vr.Problem = id, "its previous-hash does not match the event before it (an event was removed, reordered or changed)"
			return vr, nil
		}
		sum := sha256.Sum256(append(append([]byte{}, prev...), canon...))
		if !bytes.Equal(sum[:], hash) {
			vr.BrokenAt, vr.Problem = id, "its content does not match its hash (the event was changed)"
			return vr, nil
		}
		prev = hash
		vr.Head = hex.EncodeToString(hash)
	}
	return vr, rows.Err()
}

// AuditHead returns the chain head recorded by a round's latest
// publication (hex), or "" when there is none.
func (s *Store) AuditHead(ctx context.Context, program, round string) (string, error) {
	var head []byte
	err := s.pool.QueryRow(ctx, `
SELECT coalesce(v.audit_head, '') FROM result_revisions v JOIN rounds r ON r.id = v.round_id JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2 AND r.published ORDER BY v.revision DESC LIMIT 1`, program, round).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: audit head: %w", err)
	}
	return hex.EncodeToString(head), nil
}
