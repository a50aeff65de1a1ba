package web

// The downloads under /data/: a CSV file for every public table and the
// whole published record as one JSON file (download_record.go). CSV files
// are UTF-8 with a byte order mark, so Excel opens Korean text correctly;
// the header row names every column in Korean and English, text columns
// come in both languages, and a figure that was never disclosed is an
// empty cell, never 0. Results of unpublished rounds are 404 and appear in
// no file.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// utf8BOM starts every CSV file.
const utf8BOM = "\uFEFF"

// downloadProgram resolves the program of a download like the API does;
// a malformed ?program= is a 400 page.
func (s *server) downloadProgram(r *http.Request) (*apiReq, error) {
	a, err := s.apiProgram(r)
	var ae *apiError
	if errors.As(err, &ae) {
		return nil, &statusError{status: ae.status, err: ae}
	}
	return a, err
}

// col names a column in Korean and English.
func col(ko, en string) string { return ko + " / " + en }

// table is a CSV file being built.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// writeCSV writes t as an attachment named name, with an ETag like the
// API's, readable from any origin.
func writeCSV(w http.ResponseWriter, r *http.Request, name string, t *table) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true // what Excel and RFC 4180 expect
	if err := cw.Write(t.header); err != nil {
		return err
	}
	for _, row := range t.rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = spreadsheetSafe(c)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	attach(w, name)
	writeCacheable(w, r, "text/csv; charset=utf-8; header=present", buf.Bytes())
	return nil
}

// spreadsheetSafe keeps a text cell from being read as a formula when the
// file is opened in a spreadsheet (names and notes are typed by people):
// a leading =, +, -, @, tab or carriage return gets a quote in front.
// Numbers are left as they are.
func spreadsheetSafe(c string) string {
	if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return c
	}
	if _, err := strconv.ParseFloat(c, 64); err == nil {
		return c
	}
	return "'" + c
}

// attach makes the response a download named name (ASCII: slugs only) that
// any origin may read.
func attach(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	allowOrigin(w)
}

// Cell helpers: empty for what is unknown or undisclosed.
func cellInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func cellKRW(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// cellOf is an optional API value as a cell: empty for null. Dates and
// instants are written as the API writes them: cellOf(apiDate(d)).
func cellOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func cellBool(b bool) string { return strconv.FormatBool(b) }

func cellSources(srcs []postgres.PublicSource) string {
	urls := make([]string, 0, len(srcs))
	for _, s := range srcs {
		urls = append(urls, s.URL)
	}
	return strings.Join(urls, " ")
}

// labels returns the Korean and English label of a message id.
func (s *server) labels(id string) (string, string) {
	return s.i18n.Localizer(i18n.KO).T(id), s.i18n.Localizer(i18n.EN).T(id)
}

// published returns the round page of a published round; an unpublished
// or unknown round is not found.
func (s *server) publishedRound(a *apiReq, slug string) (postgres.PublicRoundDetail, error) {
	rd, err := s.store.PublicRound(a.ctx(), a.prog, slug)
	if err != nil {
		return rd, err
	}
	if !rd.Published {
		return rd, contest.ErrNotFound
	}
	return rd, nil
}

// handleResultsCSV is a published round's results: rank, points per
// category, total and outcome of every team, as the results document has
// them.
func (s *server) handleResultsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	rd, err := s.publishedRound(a, slug)
	if err != nil {
		return err
	}
	rr, err := s.store.PublishedResults(a.ctx(), a.prog, slug)
	if err != nil {
		return err
	}
	names := map[string]contest.Text{}
	for _, e := range rd.Entries {
		names[e.Team.Slug] = e.Team.Name
	}
	// The categories in declared order, then any other the document has.
	var cats []postgres.PublicCriterion
	seen := map[string]bool{}
	for _, c := range rd.Criteria {
		if c.Parent == "" {
			cats = append(cats, c)
			seen[c.Code] = true
		}
	}
	var extra []string
	for _, t := range rr.Report.Teams {
		for code := range t.Categories {
			if !seen[code] {
				seen[code] = true
				extra = append(extra, code)
			}
		}
	}
	sort.Strings(extra)
	for _, code := range extra {
		cats = append(cats, postgres.PublicCriterion{Code: code, Name: contest.Text{KO: code, EN: code}})
	}

	t := &table{header: []string{col("순위", "rank"), col("팀", "team"), col("팀명(한국어)", "team name (Korean)"), col("팀명(영어)", "team name (English)")}}
	for _, c := range cats {
		h := col(c.Name.KO, c.Name.EN) + " (" + c.Code
		if c.Max != "" {
			h += ", max " + c.Max
		}
		t.header = append(t.header, h+")")
	}
	t.header = append(t.header, col("총점", "total"), col("결과", "outcome"), col("결과(한국어)", "outcome (Korean)"),
		col("결과(영어)", "outcome (English)"), col("사유 코드", "reason code"), col("사유(한국어)", "reason (Korean)"), col("사유(영어)", "reason (English)"))
	for _, line := range rr.Report.Teams {
		row := []string{cellInt(line.Rank), line.Team, names[line.Team].KO, names[line.Team].EN}
		for _, c := range cats {
			row = append(row, line.Categories[c.Code]) // absent: not disclosed
		}
		total, outcome, ko, en := "", "", "", ""
		if line.Total != nil {
			total = *line.Total
		}
		if line.Outcome != nil {
			outcome = string(*line.Outcome)
			ko, en = s.labels("outcome." + outcome)
		}
		row = append(row, total, outcome, ko, en, string(line.ReasonCode), line.Reason.KO, line.Reason.EN)
		t.add(row...)
	}
	return writeCSV(w, r, a.prog+"-"+slug+"-results.csv", t)
}

// handlePublishedScoresCSV is every figure published for a round: category
// and sub-criterion points and totals.
func (s *server) handlePublishedScoresCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	rd, err := s.publishedRound(a, slug)
	if err != nil {
		return err
	}
	names := map[string]contest.Text{}
	for _, e := range rd.Entries {
		names[e.Team.Slug] = e.Team.Name
	}
	parents := map[string]string{}
	for _, c := range rd.Criteria {
		parents[c.Code] = c.Parent
	}
	t := &table{header: []string{col("팀", "team"), col("팀명(한국어)", "team name (Korean)"), col("팀명(영어)", "team name (English)"),
		col("항목", "criterion"), col("항목명(한국어)", "criterion name (Korean)"), col("항목명(영어)", "criterion name (English)"),
		col("상위 항목", "parent criterion"), col("점수", "points")}}
	for _, sc := range rd.Scores {
		name := sc.CriterionName
		if sc.Criterion == "total" {
			name = contest.Text{KO: "총점", EN: "Total"}
		}
		t.add(sc.Team, names[sc.Team].KO, names[sc.Team].EN, sc.Criterion, name.KO, name.EN, parents[sc.Criterion], sc.Value)
	}
	return writeCSV(w, r, a.prog+"-"+slug+"-published-scores.csv", t)
}

// handleStatisticsCSV is the round statistics that were published.
func (s *server) handleStatisticsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	rd, err := s.publishedRound(a, slug)
	if err != nil {
		return err
	}
	crit := map[string]contest.Text{"total": {KO: "총점", EN: "Total"}}
	for _, c := range rd.Criteria {
		crit[c.Code] = c.Name
	}
	t := &table{header: []string{col("항목", "criterion"), col("항목명(한국어)", "criterion name (Korean)"), col("항목명(영어)", "criterion name (English)"),
		col("통계", "statistic"), col("값", "value")}}
	for _, st := range rd.Stats {
		t.add(st.Criterion, crit[st.Criterion].KO, crit[st.Criterion].EN, st.Stat, st.Value)
	}
	return writeCSV(w, r, a.prog+"-"+slug+"-statistics.csv", t)
}

// handleRoundsCSV lists every round with its rule and schedule, and for
// published rounds how many teams went through.
func (s *server) handleRoundsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	rounds, err := s.store.PublicRounds(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	t := &table{header: []string{col("순서", "position"), col("라운드", "round"), col("이름(한국어)", "name (Korean)"), col("이름(영어)", "name (English)"),
		col("종류", "kind"), col("기간", "period"), col("평가일", "evaluated on"), col("발표 예정", "announcement"), col("발표일만 알려짐", "announcement date only"),
		col("상태", "status"), col("발표 일시", "published at"), col("통과·선정 정원", "advance"), col("결원 보충", "backfill"),
		col("최저 총점", "minimum total"), col("참가 팀", "entrants"), col("통과·선정 팀", "through"), col("점수로 계산", "computed")}}
	for _, rd := range rounds {
		t.add(strconv.Itoa(rd.Position), rd.Slug, rd.Name.KO, rd.Name.EN, rd.Kind, rd.Period, cellOf(apiDate(rd.EvaluatedOn)), cellOf(apiTime(rd.AnnounceAt)),
			cellBool(rd.AnnounceDateOnly), publicRoundStatus(rd.Status), cellOf(apiTime(rd.PublishedAt)), strconv.Itoa(rd.Advance), cellBool(rd.Backfill),
			rd.MinTotal, strconv.Itoa(rd.Entrants), cellInt(rd.Through), cellBool(rd.Computed))
	}
	return writeCSV(w, r, a.prog+"-rounds.csv", t)
}

// handleOutcomesCSV lists every public outcome of every published round.
func (s *server) handleOutcomesCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	h, err := s.store.PublicHistory(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	t := &table{header: []string{col("라운드", "round"), col("라운드명(한국어)", "round name (Korean)"), col("라운드명(영어)", "round name (English)"),
		col("발표 일시", "published at"), col("팀", "team"), col("팀명(한국어)", "team name (Korean)"), col("팀명(영어)", "team name (English)"),
		col("순위", "rank"), col("결과", "outcome"), col("결과(한국어)", "outcome (Korean)"), col("결과(영어)", "outcome (English)"),
		col("사유(한국어)", "reason (Korean)"), col("사유(영어)", "reason (English)"), col("비고(한국어)", "note (Korean)"), col("비고(영어)", "note (English)"),
		col("출처", "sources")}}
	for _, rd := range h.Rounds {
		if !rd.Published {
			continue
		}
		for _, o := range rd.Outcomes {
			ko, en := s.labels("outcome." + o.Outcome)
			t.add(rd.Slug, rd.Name.KO, rd.Name.EN, cellOf(apiTime(rd.PublishedAt)), o.Team.Slug, o.Team.Name.KO, o.Team.Name.EN, cellInt(o.Rank),
				o.Outcome, ko, en, o.Reason.KO, o.Reason.EN, o.Note.KO, o.Note.EN, cellSources(o.Sources))
		}
	}
	return writeCSV(w, r, a.prog+"-outcomes.csv", t)
}

// handleTeamsCSV lists the teams with their consortium members.
func (s *server) handleTeamsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	teams, err := s.store.PublicTeams(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	ms, err := s.store.PublicMemberships(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	members := map[string][]postgres.PublicMembership{}
	for _, m := range ms {
		if !m.Lead {
			members[m.Team.Slug] = append(members[m.Team.Slug], m)
		}
	}
	t := &table{header: []string{col("팀", "team"), col("팀명(한국어)", "team name (Korean)"), col("팀명(영어)", "team name (English)"),
		col("주관 기관", "lead"), col("주관 기관명(한국어)", "lead name (Korean)"), col("주관 기관명(영어)", "lead name (English)"), col("모델", "model"),
		col("상태", "status"), col("상태(한국어)", "status (Korean)"), col("상태(영어)", "status (English)"), col("컨소시엄 기관 수", "consortium size"),
		col("참여 기관", "members"), col("참여 기관명(한국어)", "member names (Korean)"), col("참여 기관명(영어)", "member names (English)"),
		col("최근 결과 라운드", "last round"), col("최근 결과", "last outcome")}}
	for _, tm := range teams {
		var slugs, ko, en []string
		for _, m := range members[tm.Slug] {
			slugs, ko, en = append(slugs, m.Org.Slug), append(ko, m.Org.Name.KO), append(en, m.Org.Name.EN)
		}
		lastRound, lastOutcome := "", ""
		if tm.Last != nil {
			lastRound, lastOutcome = tm.Last.Round.Slug, tm.Last.Outcome
		}
		sko, sen := s.labels("team.status." + tm.Status)
		t.add(tm.Slug, tm.Name.KO, tm.Name.EN, tm.Lead.Slug, tm.Lead.Name.KO, tm.Lead.Name.EN, tm.Model, tm.Status, sko, sen,
			strconv.Itoa(tm.Size), strings.Join(slugs, "; "), strings.Join(ko, "; "), strings.Join(en, "; "), lastRound, lastOutcome)
	}
	return writeCSV(w, r, a.prog+"-teams.csv", t)
}

// handleMembershipsCSV lists every organization's place in every
// consortium, one row each, the leads included.
func (s *server) handleMembershipsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	ms, err := s.store.PublicMemberships(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	t := &table{header: []string{col("팀", "team"), col("팀명(한국어)", "team name (Korean)"), col("팀명(영어)", "team name (English)"),
		col("기관", "organization"), col("기관명(한국어)", "organization name (Korean)"), col("기관명(영어)", "organization name (English)"),
		col("기관 유형", "organization kind"), col("역할", "role"), col("참여 시작", "since"), col("참여 종료", "until"), col("신뢰도", "confidence"),
		col("비고(한국어)", "note (Korean)"), col("비고(영어)", "note (English)"), col("출처", "sources")}}
	for _, m := range ms {
		t.add(m.Team.Slug, m.Team.Name.KO, m.Team.Name.EN, m.Org.Slug, m.Org.Name.KO, m.Org.Name.EN, m.Org.Kind, m.Role,
			cellOf(apiDate(m.Since)), cellOf(apiDate(m.Until)), m.Confidence, m.Note.KO, m.Note.EN, cellSources(m.Sources))
	}
	return writeCSV(w, r, a.prog+"-memberships.csv", t)
}

// handleOrganizationsCSV lists the organizations of the consortia with the
// teams they lead or belong to.
func (s *server) handleOrganizationsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	orgs, err := s.store.PublicOrganizations(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	ms, err := s.store.PublicMemberships(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	leads, memberOf := map[string][]string{}, map[string][]string{}
	for _, m := range ms {
		if m.Lead {
			leads[m.Org.Slug] = append(leads[m.Org.Slug], m.Team.Slug)
		} else {
			memberOf[m.Org.Slug] = append(memberOf[m.Org.Slug], m.Team.Slug)
		}
	}
	t := &table{header: []string{col("기관", "organization"), col("기관명(한국어)", "name (Korean)"), col("기관명(영어)", "name (English)"),
		col("유형", "kind"), col("컨소시엄 수", "consortia"), col("주관 팀", "leads"), col("참여 팀", "member of")}}
	for _, o := range orgs {
		t.add(o.Slug, o.Name.KO, o.Name.EN, o.Kind, strconv.Itoa(o.Teams), strings.Join(leads[o.Slug], "; "), strings.Join(memberOf[o.Slug], "; "))
	}
	return writeCSV(w, r, a.prog+"-organizations.csv", t)
}

// handleBudgetsCSV lists the program's budget by fiscal year.
func (s *server) handleBudgetsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	budgets, err := s.store.PublicFunding(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	t := &table{header: []string{col("연도", "year"), col("금액(원)", "amount (KRW)"), col("신뢰도", "confidence"),
		col("비고(한국어)", "note (Korean)"), col("비고(영어)", "note (English)"), col("출처", "sources")}}
	for _, b := range budgets {
		t.add(strconv.Itoa(b.Year), cellKRW(b.AmountKRW), b.Confidence, b.Note.KO, b.Note.EN, cellSources(b.Sources))
	}
	return writeCSV(w, r, a.prog+"-budgets.csv", t)
}

// handleAllocationsCSV lists the support given to teams or to the whole
// program, by year.
func (s *server) handleAllocationsCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.downloadProgram(r)
	if err != nil {
		return err
	}
	budgets, err := s.store.PublicFunding(a.ctx(), a.prog)
	if err != nil {
		return err
	}
	t := &table{header: []string{col("연도", "year"), col("팀", "team"), col("팀명(한국어)", "team name (Korean)"), col("팀명(영어)", "team name (English)"),
		col("종류", "kind"), col("GPU 모델", "GPU model"), col("수량", "quantity"), col("금액(원)", "amount (KRW)"), col("신뢰도", "confidence"),
		col("비고(한국어)", "note (Korean)"), col("비고(영어)", "note (English)"), col("출처", "sources")}}
	for _, b := range budgets {
		for _, al := range b.Allocations {
			team := ""
			ko, en := s.labels("funding.program_wide")
			if al.Team != nil {
				team, ko, en = al.Team.Slug, al.Team.Name.KO, al.Team.Name.EN
			}
			t.add(strconv.Itoa(al.Year), team, ko, en, al.Kind, al.GPUModel, cellInt(al.Quantity), cellKRW(al.AmountKRW), al.Confidence,
				al.Note.KO, al.Note.EN, cellSources(al.Sources))
		}
	}
	return writeCSV(w, r, a.prog+"-allocations.csv", t)
}
