package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
)

// genesis is the previous hash of the first event.
var genesis = make([]byte, sha256.Size)

// appendAudit appends one event to the audit log in the caller's
// transaction and returns its hash. before and after are marshalled to JSON
// (nil stays SQL NULL). The database function audit_append computes the
// chain: it is the only way the runtime role can add an event.
func appendAudit(ctx context.Context, tx DBTX, actor contest.Actor, action, entity string, roundID *int64, before, after any) ([]byte, error) {
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
	err = tx.QueryRow(ctx, `SELECT audit_append($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
		actor.Name, actor.Addr, action, entity, roundID, b, a).Scan(&hash)
	if err != nil {
		return nil, fmt.Errorf("audit append: %w", err)
	}
	return hash, nil
}

// AuditCheckpoint records the current head of the chain (unless it is
// already the newest checkpoint), so that removing events from the end of
// the log later is detected by VerifyAudit. It returns the head's event id
// (0: the log is empty).
func (s *Store) AuditCheckpoint(ctx context.Context) (int64, error) {
	var id int64
	if err := s.pool.QueryRow(ctx, `SELECT audit_checkpoint()`).Scan(&id); err != nil {
		return 0, fmt.Errorf("postgres: audit checkpoint: %w", err)
	}
	return id, nil
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
	return listOf(ctx, s.pool, "postgres: audit events", func(e *AuditEvent) []any {
		return []any{&e.ID, &e.At, &e.Actor, &e.ClientAddr, &e.Action, &e.Entity, &e.RoundID, &e.Round, &e.Before, &e.After, &e.Hash}
	}, `
SELECT e.id, e.at, e.actor, e.client_addr, e.action, e.entity, e.round_id, coalesce(r.slug, ''), e.before, e.after,
  coalesce(encode(e.hash, 'hex'), '')
FROM audit_events e LEFT JOIN rounds r ON r.id = e.round_id
WHERE ($1 = '' OR e.actor = $1) AND ($2 = '' OR r.slug = $2) AND ($3 = '' OR e.action = $3)
  AND ($4::timestamptz IS NULL OR e.at >= $4) AND ($5::timestamptz IS NULL OR e.at < $5)
ORDER BY e.id DESC LIMIT $6`, f.Actor, f.Round, f.Action, from, to, f.Limit)
}

// VerifyResult is the outcome of checking the audit chain.
type VerifyResult struct {
	Events      int
	Head        string // hex hash of the last event
	BrokenAt    int64  // id of the first event that does not verify; 0 when intact
	Problem     string
	Checkpoints int // recorded heads checked (checkpoints and publications)
}

// VerifyAudit recomputes the hash chain from the first event and reports the
// first event whose stored hashes do not match its content or its
// predecessor. Then every recorded head (the checkpoints and the head each
// publication stored) must still be an event of the chain with the same
// hash: events removed from the end of the log leave a recorded head
// pointing past the chain's end.
func (s *Store) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	vr, last, err := s.verifyChain(ctx)
	if err != nil || vr.BrokenAt != 0 {
		return vr, err
	}
	return vr, s.verifyHeads(ctx, &vr, last)
}

// verifyHeads checks the recorded heads against the chain (see VerifyAudit);
// last is the id of the chain's last event.
func (s *Store) verifyHeads(ctx context.Context, vr *VerifyResult, last int64) error {
	type head struct {
		what   string
		id     *int64 // the recorded event id (checkpoints only)
		intact bool   // the recorded event is still in the log, with its hash
	}
	heads, err := appendRows(ctx, s.pool, nil, scanWith(func(h *head) []any { return []any{&h.what, &h.id, &h.intact} }), `
SELECT 'checkpoint ' || c.id || ' of ' || to_char(c.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', c.head_id,
       EXISTS (SELECT 1 FROM audit_events e WHERE e.id = c.head_id AND e.hash = c.head_hash)
FROM audit_checkpoints c
UNION ALL
SELECT 'publication ' || r.slug || ' revision ' || v.revision, NULL,
       EXISTS (SELECT 1 FROM audit_events e WHERE e.hash = v.audit_head)
FROM result_revisions v JOIN rounds r ON r.id = v.round_id WHERE v.audit_head IS NOT NULL
ORDER BY 3, 2`)
	if err != nil {
		return fmt.Errorf("postgres: verify audit heads: %w", err)
	}
	for _, h := range heads {
		vr.Checkpoints++
		if h.intact {
			continue
		}
		vr.BrokenAt = last + 1 // the first event missing from the end
		if h.id != nil {
			vr.BrokenAt = *h.id
		}
		vr.Problem = fmt.Sprintf("the head recorded by %s is no longer in the log (events were removed from its end or changed)", h.what)
		return nil
	}
	return nil
}

// verifyChain recomputes the hash chain (see VerifyAudit) and returns the
// id of its last event.
func (s *Store) verifyChain(ctx context.Context) (VerifyResult, int64, error) {
	var vr VerifyResult
	var last int64
	rows, err := s.pool.Query(ctx, `SELECT e.id, e.prev_hash, e.hash, audit_canonical(e) FROM audit_events e ORDER BY e.id`)
	if err != nil {
		return vr, 0, fmt.Errorf("postgres: verify audit: %w", err)
	}
	defer rows.Close()
	prev := genesis
	for rows.Next() {
		var id int64
		var prevHash, hash []byte
		var canon string
		if err := rows.Scan(&id, &prevHash, &hash, &canon); err != nil {
			return vr, 0, fmt.Errorf("postgres: verify audit: %w", err)
		}
		vr.Events++
		last = id
		if !bytes.Equal(prevHash, prev) {
			vr.BrokenAt, vr.Problem = id, "its previous-hash does not match the event before it (an event was removed, reordered or changed)"
			return vr, last, nil
		}
		sum := sha256.Sum256(append(append([]byte{}, prev...), canon...))
		if !bytes.Equal(sum[:], hash) {
			vr.BrokenAt, vr.Problem = id, "its content does not match its hash (the event was changed)"
			return vr, last, nil
		}
		prev = hash
		vr.Head = hex.EncodeToString(hash)
	}
	return vr, last, rows.Err()
}

// AuditHead returns the chain head recorded by a round's latest
// publication (hex), or "" when there is none.
func (s *Store) AuditHead(ctx context.Context, program, round string) (string, error) {
	var head []byte
	err := s.pool.QueryRow(ctx, `
SELECT coalesce(v.audit_head, '') FROM result_revisions v JOIN rounds r ON r.id = v.round_id JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2 AND r.published ORDER BY v.revision DESC LIMIT 1`, program, round).Scan(&head)
	if err := optional(err); err != nil {
		return "", fmt.Errorf("postgres: audit head: %w", err)
	}
	return hex.EncodeToString(head), nil
}
