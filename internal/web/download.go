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
	"github.com/kai-challenge/portal/internal/rules"
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

// column is one column of a CSV file: its header and its value in a row.
// A file's columns are one list, so a header never drifts from its value.
type column[T any] struct {
	header string
	value  func(T) string
}

// writeCSV writes one row per item with the given columns, as an
// attachment named name, with an ETag like the API's, readable from any
// origin.
func writeCSV[T any](w http.ResponseWriter, r *http.Request, name string, cols []column[T], items []T) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true // what Excel and RFC 4180 expect
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.header
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(cols))
	for _, it := range items {
		for i, c := range cols {
			row[i] = spreadsheetSafe(c.value(it))
		}
		if err := cw.Write(row); err != nil {
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

// roundCSV is the published round named in the path with its team
// names by slug, for the per-round files.
func (s *server) roundCSV(r *http.Request) (*apiReq, postgres.PublicRoundDetail, map[string]contest.Text, error) {
	a, err := s.downloadProgram(r)
	if err != nil {
		return nil, postgres.PublicRoundDetail{}, nil, err
	}
	rd, err := s.publishedRound(a, chi.URLParam(r, "slug"))
	if err != nil {
		return nil, rd, nil, err
	}
	names := map[string]contest.Text{}
	for _, e := range rd.Entries {
		names[e.Team.Slug] = e.Team.Name
	}
	return a, rd, names, nil
}

// resultCategories are the columns of a results file: the round's
// categories in declared order, then any other the document has.
func resultCategories(rd postgres.PublicRoundDetail, rep rules.Report) []postgres.PublicCriterion {
	var cats []postgres.PublicCriterion
	seen := map[string]bool{}
	for _, c := range rd.Criteria {
		if c.Parent == "" {
			cats = append(cats, c)
			seen[c.Code] = true
		}
	}
	var extra []string
	for _, t := range rep.Teams {
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
	return cats
}

// handleResultsCSV is a published round's results: rank, points per
// category, total and outcome of every team, as the results document has
// them.
func (s *server) handleResultsCSV(w http.ResponseWriter, r *http.Request) error {
	a, rd, names, err := s.roundCSV(r)
	if err != nil {
		return err
	}
	rr, err := s.store.PublishedResults(a.ctx(), a.prog, rd.Slug)
	if err != nil {
		return err
	}
	type line = rules.ReportTeam
	outcome := func(l line) string {
		if l.Outcome == nil {
			return ""
		}
		return string(*l.Outcome)
	}
	outcomeLabel := func(l line) (string, string) {
		if l.Outcome == nil {
			return "", ""
		}
		return s.labels("outcome." + outcome(l))
	}
	cols := []column[line]{
		{col("순위", "rank"), func(l line) string { return cellInt(l.Rank) }},
		{col("팀", "team"), func(l line) string { return l.Team }},
		{col("팀명(한국어)", "team name (Korean)"), func(l line) string { return names[l.Team].KO }},
		{col("팀명(영어)", "team name (English)"), func(l line) string { return names[l.Team].EN }},
	}
	for _, c := range resultCategories(rd, rr.Report) {
		h := col(c.Name.KO, c.Name.EN) + " (" + c.Code
		if c.Max != "" {
			h += ", max " + c.Max
		}
		// An absent category was not disclosed.
		cols = append(cols, column[line]{h + ")", func(l line) string { return l.Categories[c.Code] }})
	}
	cols = append(cols, []column[line]{
		{col("총점", "total"), func(l line) string { return cellOf(l.Total) }},
		{col("결과", "outcome"), outcome},
		{col("결과(한국어)", "outcome (Korean)"), func(l line) string { ko, _ := outcomeLabel(l); return ko }},
		{col("결과(영어)", "outcome (English)"), func(l line) string { _, en := outcomeLabel(l); return en }},
		{col("사유 코드", "reason code"), func(l line) string { return string(l.ReasonCode) }},
		{col("사유(한국어)", "reason (Korean)"), func(l line) string { return l.Reason.KO }},
		{col("사유(영어)", "reason (English)"), func(l line) string { return l.Reason.EN }},
	}...)
	return writeCSV(w, r, a.prog+"-"+rd.Slug+"-results.csv", cols, rr.Report.Teams)
}

// handlePublishedScoresCSV is every figure published for a round: category
// and sub-criterion points and totals.
func (s *server) handlePublishedScoresCSV(w http.ResponseWriter, r *http.Request) error {
	a, rd, names, err := s.roundCSV(r)
	if err != nil {
		return err
	}
	parents := map[string]string{}
	for _, c := range rd.Criteria {
		parents[c.Code] = c.Parent
	}
	type score = postgres.PublicScore
	name := func(sc score) contest.Text {
		if sc.Criterion == "total" {
			return contest.Text{KO: "총점", EN: "Total"}
		}
		return sc.CriterionName
	}
	cols := []column[score]{
		{col("팀", "team"), func(sc score) string { return sc.Team }},
		{col("팀명(한국어)", "team name (Korean)"), func(sc score) string { return names[sc.Team].KO }},
		{col("팀명(영어)", "team name (English)"), func(sc score) string { return names[sc.Team].EN }},
		{col("항목", "criterion"), func(sc score) string { return sc.Criterion }},
		{col("항목명(한국어)", "criterion name (Korean)"), func(sc score) string { return name(sc).KO }},
		{col("항목명(영어)", "criterion name (English)"), func(sc score) string { return name(sc).EN }},
		{col("상위 항목", "parent criterion"), func(sc score) string { return parents[sc.Criterion] }},
		{col("점수", "points"), func(sc score) string { return sc.Value }},
	}
	return writeCSV(w, r, a.prog+"-"+rd.Slug+"-published-scores.csv", cols, rd.Scores)
}

// handleStatisticsCSV is the round statistics that were published.
func (s *server) handleStatisticsCSV(w http.ResponseWriter, r *http.Request) error {
	a, rd, _, err := s.roundCSV(r)
	if err != nil {
		return err
	}
	crit := map[string]contest.Text{"total": {KO: "총점", EN: "Total"}}
	for _, c := range rd.Criteria {
		crit[c.Code] = c.Name
	}
	type stat = postgres.PublicStat
	cols := []column[stat]{
		{col("항목", "criterion"), func(st stat) string { return st.Criterion }},
		{col("항목명(한국어)", "criterion name (Korean)"), func(st stat) string { return crit[st.Criterion].KO }},
		{col("항목명(영어)", "criterion name (English)"), func(st stat) string { return crit[st.Criterion].EN }},
		{col("통계", "statistic"), func(st stat) string { return st.Stat }},
		{col("값", "value"), func(st stat) string { return st.Value }},
	}
	return writeCSV(w, r, a.prog+"-"+rd.Slug+"-statistics.csv", cols, rd.Stats)
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
	type round = postgres.PublicRound
	cols := []column[round]{
		{col("순서", "position"), func(rd round) string { return strconv.Itoa(rd.Position) }},
		{col("라운드", "round"), func(rd round) string { return rd.Slug }},
		{col("이름(한국어)", "name (Korean)"), func(rd round) string { return rd.Name.KO }},
		{col("이름(영어)", "name (English)"), func(rd round) string { return rd.Name.EN }},
		{col("종류", "kind"), func(rd round) string { return rd.Kind }},
		{col("기간", "period"), func(rd round) string { return rd.Period }},
		{col("평가일", "evaluated on"), func(rd round) string { return cellOf(apiDate(rd.EvaluatedOn)) }},
		{col("발표 예정", "announcement"), func(rd round) string { return cellOf(apiTime(rd.AnnounceAt)) }},
		{col("발표일만 알려짐", "announcement date only"), func(rd round) string { return cellBool(rd.AnnounceDateOnly) }},
		{col("상태", "status"), func(rd round) string { return publicRoundStatus(rd.Status) }},
		{col("발표 일시", "published at"), func(rd round) string { return cellOf(apiTime(rd.PublishedAt)) }},
		{col("통과·선정 정원", "advance"), func(rd round) string { return strconv.Itoa(rd.Advance) }},
		{col("결원 보충", "backfill"), func(rd round) string { return cellBool(rd.Backfill) }},
		{col("최저 총점", "minimum total"), func(rd round) string { return rd.MinTotal }},
		{col("참가 팀", "entrants"), func(rd round) string { return strconv.Itoa(rd.Entrants) }},
		{col("통과·선정 팀", "through"), func(rd round) string { return cellInt(rd.Through) }},
		{col("점수로 계산", "computed"), func(rd round) string { return cellBool(rd.Computed) }},
	}
	return writeCSV(w, r, a.prog+"-rounds.csv", cols, rounds)
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
	type outcome struct {
		rd *postgres.PublicHistoryRound
		postgres.PublicOutcome
		ko, en string // the outcome's label
	}
	var rows []outcome
	for i, rd := range h.Rounds {
		if !rd.Published {
			continue
		}
		for _, o := range rd.Outcomes {
			ko, en := s.labels("outcome." + o.Outcome)
			rows = append(rows, outcome{rd: &h.Rounds[i], PublicOutcome: o, ko: ko, en: en})
		}
	}
	cols := []column[outcome]{
		{col("라운드", "round"), func(o outcome) string { return o.rd.Slug }},
		{col("라운드명(한국어)", "round name (Korean)"), func(o outcome) string { return o.rd.Name.KO }},
		{col("라운드명(영어)", "round name (English)"), func(o outcome) string { return o.rd.Name.EN }},
		{col("발표 일시", "published at"), func(o outcome) string { return cellOf(apiTime(o.rd.PublishedAt)) }},
		{col("팀", "team"), func(o outcome) string { return o.Team.Slug }},
		{col("팀명(한국어)", "team name (Korean)"), func(o outcome) string { return o.Team.Name.KO }},
		{col("팀명(영어)", "team name (English)"), func(o outcome) string { return o.Team.Name.EN }},
		{col("순위", "rank"), func(o outcome) string { return cellInt(o.Rank) }},
		{col("결과", "outcome"), func(o outcome) string { return o.Outcome }},
		{col("결과(한국어)", "outcome (Korean)"), func(o outcome) string { return o.ko }},
		{col("결과(영어)", "outcome (English)"), func(o outcome) string { return o.en }},
		{col("사유(한국어)", "reason (Korean)"), func(o outcome) string { return o.Reason.KO }},
		{col("사유(영어)", "reason (English)"), func(o outcome) string { return o.Reason.EN }},
		{col("비고(한국어)", "note (Korean)"), func(o outcome) string { return o.Note.KO }},
		{col("비고(영어)", "note (English)"), func(o outcome) string { return o.Note.EN }},
		{col("출처", "sources"), func(o outcome) string { return cellSources(o.Sources) }},
	}
	return writeCSV(w, r, a.prog+"-outcomes.csv", cols, rows)
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
	type team struct {
		postgres.PublicTeam
		slugs, ko, en []string // the members other than the lead
	}
	members := map[string]*team{}
	rows := make([]team, len(teams))
	for i, tm := range teams {
		rows[i].PublicTeam = tm
		members[tm.Slug] = &rows[i]
	}
	for _, m := range ms {
		if t := members[m.Team.Slug]; t != nil && !m.Lead {
			t.slugs, t.ko, t.en = append(t.slugs, m.Org.Slug), append(t.ko, m.Org.Name.KO), append(t.en, m.Org.Name.EN)
		}
	}
	status := func(t team) (string, string) { return s.labels("team.status." + t.Status) }
	cols := []column[team]{
		{col("팀", "team"), func(t team) string { return t.Slug }},
		{col("팀명(한국어)", "team name (Korean)"), func(t team) string { return t.Name.KO }},
		{col("팀명(영어)", "team name (English)"), func(t team) string { return t.Name.EN }},
		{col("주관 기관", "lead"), func(t team) string { return t.Lead.Slug }},
		{col("주관 기관명(한국어)", "lead name (Korean)"), func(t team) string { return t.Lead.Name.KO }},
		{col("주관 기관명(영어)", "lead name (English)"), func(t team) string { return t.Lead.Name.EN }},
		{col("모델", "model"), func(t team) string { return t.Model }},
		{col("상태", "status"), func(t team) string { return t.Status }},
		{col("상태(한국어)", "status (Korean)"), func(t team) string { ko, _ := status(t); return ko }},
		{col("상태(영어)", "status (English)"), func(t team) string { _, en := status(t); return en }},
		{col("컨소시엄 기관 수", "consortium size"), func(t team) string { return strconv.Itoa(t.Size) }},
		{col("참여 기관", "members"), func(t team) string { return strings.Join(t.slugs, "; ") }},
		{col("참여 기관명(한국어)", "member names (Korean)"), func(t team) string { return strings.Join(t.ko, "; ") }},
		{col("참여 기관명(영어)", "member names (English)"), func(t team) string { return strings.Join(t.en, "; ") }},
		{col("최근 결과 라운드", "last round"), func(t team) string {
			if t.Last == nil {
				return ""
			}
			return t.Last.Round.Slug
		}},
		{col("최근 결과", "last outcome"), func(t team) string {
			if t.Last == nil {
				return ""
			}
			return t.Last.Outcome
		}},
	}
	return writeCSV(w, r, a.prog+"-teams.csv", cols, rows)
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
	type member = postgres.PublicMembership
	cols := []column[member]{
		{col("팀", "team"), func(m member) string { return m.Team.Slug }},
		{col("팀명(한국어)", "team name (Korean)"), func(m member) string { return m.Team.Name.KO }},
		{col("팀명(영어)", "team name (English)"), func(m member) string { return m.Team.Name.EN }},
		{col("기관", "organization"), func(m member) string { return m.Org.Slug }},
		{col("기관명(한국어)", "organization name (Korean)"), func(m member) string { return m.Org.Name.KO }},
		{col("기관명(영어)", "organization name (English)"), func(m member) string { return m.Org.Name.EN }},
		{col("기관 유형", "organization kind"), func(m member) string { return m.Org.Kind }},
		{col("역할", "role"), func(m member) string { return m.Role }},
		{col("참여 시작", "since"), func(m member) string { return cellOf(apiDate(m.Since)) }},
		{col("참여 종료", "until"), func(m member) string { return cellOf(apiDate(m.Until)) }},
		{col("신뢰도", "confidence"), func(m member) string { return m.Confidence }},
		{col("비고(한국어)", "note (Korean)"), func(m member) string { return m.Note.KO }},
		{col("비고(영어)", "note (English)"), func(m member) string { return m.Note.EN }},
		{col("출처", "sources"), func(m member) string { return cellSources(m.Sources) }},
	}
	return writeCSV(w, r, a.prog+"-memberships.csv", cols, ms)
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
	type org = postgres.PublicOrg
	cols := []column[org]{
		{col("기관", "organization"), func(o org) string { return o.Slug }},
		{col("기관명(한국어)", "name (Korean)"), func(o org) string { return o.Name.KO }},
		{col("기관명(영어)", "name (English)"), func(o org) string { return o.Name.EN }},
		{col("유형", "kind"), func(o org) string { return o.Kind }},
		{col("컨소시엄 수", "consortia"), func(o org) string { return strconv.Itoa(o.Teams) }},
		{col("주관 팀", "leads"), func(o org) string { return strings.Join(leads[o.Slug], "; ") }},
		{col("참여 팀", "member of"), func(o org) string { return strings.Join(memberOf[o.Slug], "; ") }},
	}
	return writeCSV(w, r, a.prog+"-organizations.csv", cols, orgs)
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
	type budget = postgres.PublicBudget
	cols := []column[budget]{
		{col("연도", "year"), func(b budget) string { return strconv.Itoa(b.Year) }},
		{col("금액(원)", "amount (KRW)"), func(b budget) string { return cellKRW(b.AmountKRW) }},
		{col("신뢰도", "confidence"), func(b budget) string { return b.Confidence }},
		{col("비고(한국어)", "note (Korean)"), func(b budget) string { return b.Note.KO }},
		{col("비고(영어)", "note (English)"), func(b budget) string { return b.Note.EN }},
		{col("출처", "sources"), func(b budget) string { return cellSources(b.Sources) }},
	}
	return writeCSV(w, r, a.prog+"-budgets.csv", cols, budgets)
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
	var allocs []postgres.PublicAllocation
	for _, b := range budgets {
		allocs = append(allocs, b.Allocations...)
	}
	type alloc = postgres.PublicAllocation
	// Support to the whole program names no team.
	wideKO, wideEN := s.labels("funding.program_wide")
	team := func(al alloc) (string, string, string) {
		if al.Team == nil {
			return "", wideKO, wideEN
		}
		return al.Team.Slug, al.Team.Name.KO, al.Team.Name.EN
	}
	cols := []column[alloc]{
		{col("연도", "year"), func(al alloc) string { return strconv.Itoa(al.Year) }},
		{col("팀", "team"), func(al alloc) string { slug, _, _ := team(al); return slug }},
		{col("팀명(한국어)", "team name (Korean)"), func(al alloc) string { _, ko, _ := team(al); return ko }},
		{col("팀명(영어)", "team name (English)"), func(al alloc) string { _, _, en := team(al); return en }},
		{col("종류", "kind"), func(al alloc) string { return al.Kind }},
		{col("GPU 모델", "GPU model"), func(al alloc) string { return al.GPUModel }},
		{col("수량", "quantity"), func(al alloc) string { return cellInt(al.Quantity) }},
		{col("금액(원)", "amount (KRW)"), func(al alloc) string { return cellKRW(al.AmountKRW) }},
		{col("신뢰도", "confidence"), func(al alloc) string { return al.Confidence }},
		{col("비고(한국어)", "note (Korean)"), func(al alloc) string { return al.Note.KO }},
		{col("비고(영어)", "note (English)"), func(al alloc) string { return al.Note.EN }},
		{col("출처", "sources"), func(al alloc) string { return cellSources(al.Sources) }},
	}
	return writeCSV(w, r, a.prog+"-allocations.csv", cols, allocs)
}
