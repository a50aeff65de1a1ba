package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
)

// recordFormat names the format of /data/record.json; recordVersion
// changes only when a change is incompatible.
const (
	recordFormat  = "kai-challenge-portal/record"
	recordVersion = 1
)

// apiRecord is the whole published record of a program in one document,
// in the API's shapes (the Record schema of openapi.json). Rounds that are
// not published are left out.
type apiRecord struct {
	Format        string                  `json:"format"`
	Version       int                     `json:"version"`
	Program       apiProgramDetail        `json:"program"`
	Rounds        []apiRecordRound        `json:"rounds"`
	Teams         []apiTeamDetail         `json:"teams"`
	Organizations []apiOrganizationDetail `json:"organizations"`
	Budgets       []apiBudget             `json:"budgets"`
	Events        []apiEvent              `json:"events"`
}

// apiRecordRound is a published round with its results document and, for
// computed results, every revision as it was published.
type apiRecordRound struct {
	Round     apiRoundDetail `json:"round"`
	Results   *rules.Report  `json:"results"`
	Revisions []apiRevision  `json:"revisions"`
}

// handleRecordDownload serves the whole published record as one JSON file.
func (s *server) handleRecordDownload(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	rec, err := s.record(a)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("web: encode record: %w", err)
	}
	attach(w, a.prog+"-record.json")
	writeCacheable(w, r, "application/json; charset=utf-8", append(body, '\n'))
	return nil
}

// record gathers the published record of the request's program from the
// public read model. Each part is read in its own snapshot: a publication
// in the middle can make the file list a round whose team pages do not show
// it yet, never the reverse of the embargo.
func (s *server) record(a *apiReq) (apiRecord, error) {
	ctx := a.ctx()
	rec := apiRecord{Format: recordFormat, Version: recordVersion, Rounds: []apiRecordRound{}, Teams: []apiTeamDetail{},
		Organizations: []apiOrganizationDetail{}, Budgets: []apiBudget{}, Events: []apiEvent{}}
	p, err := s.store.PublicProgram(ctx, a.prog)
	if err != nil {
		return rec, err
	}
	ov, err := s.store.PublicOverview(ctx, a.prog)
	if err != nil {
		return rec, err
	}
	rec.Program = a.programDetail(p, ov)
	// The record names no unpublished round, not even the next one.
	rec.Program.NextRound = nil

	if rec.Rounds, err = s.recordRounds(a); err != nil {
		return rec, err
	}
	if rec.Teams, err = s.recordTeams(a); err != nil {
		return rec, err
	}

	orgs, err := s.store.PublicOrganizationDetails(ctx, a.prog)
	if err != nil {
		return rec, err
	}
	for _, o := range orgs {
		rec.Organizations = append(rec.Organizations, a.organizationDetail(o))
	}
	budgets, err := s.store.PublicFunding(ctx, a.prog)
	if err != nil {
		return rec, err
	}
	for _, b := range budgets {
		rec.Budgets = append(rec.Budgets, a.budget(b))
	}
	h, err := s.store.PublicHistory(ctx, a.prog)
	if err != nil {
		return rec, err
	}
	for _, e := range h.Events {
		rec.Events = append(rec.Events, apiEventOf(e))
	}
	return rec, nil
}

// recordRounds are the published rounds of the record, each with its
// results and revisions.
func (s *server) recordRounds(a *apiReq) ([]apiRecordRound, error) {
	published := func(rd postgres.PublicRound) string {
		if !rd.Published {
			return ""
		}
		return rd.Slug
	}
	return readEach(a, s.store.PublicRounds, published, s.store.PublicRound, func(detail postgres.PublicRoundDetail) (apiRecordRound, bool, error) {
		if !detail.Published {
			return apiRecordRound{}, false, nil // unpublished meanwhile: never happens, but never leak
		}
		rr, err := s.recordRound(a, detail)
		return rr, true, err
	})
}

// readEach reads a list of the program with list, then the detail of each
// item that slug names ("" skips the item) with read, and shapes each
// detail with shape (false leaves it out); the result is never null.
func readEach[T, D, V any](a *apiReq, list func(ctx context.Context, program string) ([]T, error), slug func(T) string,
	read func(ctx context.Context, program, slug string) (D, error), shape func(D) (V, bool, error)) ([]V, error) {
	items, err := list(a.ctx(), a.prog)
	if err != nil {
		return nil, err
	}
	out := []V{}
	for _, it := range items {
		name := slug(it)
		if name == "" {
			continue
		}
		d, err := read(a.ctx(), a.prog, name)
		if err != nil {
			return nil, err
		}
		v, ok, err := shape(d)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// recordRound is one published round of the record.
func (s *server) recordRound(a *apiReq, detail postgres.PublicRoundDetail) (apiRecordRound, error) {
	ctx := a.ctx()
	rr := apiRecordRound{Revisions: []apiRevision{}}
	corrections, err := s.publishedCorrections(ctx, a.prog, detail)
	if err != nil {
		return rr, err
	}
	rr.Round = a.roundDetail(detail, corrections)
	res, err := s.store.PublishedResults(ctx, a.prog, detail.Slug)
	switch {
	case err == nil:
		rr.Results = &res.Report
	case !errors.Is(err, contest.ErrNotFound):
		return rr, err
	}
	for _, ref := range rr.Round.Revisions {
		res, c, err := s.store.Revision(ctx, a.prog, detail.Slug, ref.Revision)
		if err != nil {
			return rr, err
		}
		rr.Revisions = append(rr.Revisions, apiRevisionOf(res, c))
	}
	return rr, nil
}

// recordTeams are the team pages of the record, each with its published
// rounds only.
func (s *server) recordTeams(a *apiReq) ([]apiTeamDetail, error) {
	slug := func(t postgres.PublicTeam) string { return t.Slug }
	return readEach(a, s.store.PublicTeams, slug, s.store.PublicTeam, func(d postgres.PublicTeamDetail) (apiTeamDetail, bool, error) {
		all := d.Rounds
		d.Rounds = d.Rounds[:0:0]
		for _, tr := range all {
			if tr.Published {
				d.Rounds = append(d.Rounds, tr)
			}
		}
		return a.teamDetail(d), true, nil
	})
}
