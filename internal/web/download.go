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
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
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

// csvFile serves the program-wide CSV file <program>-name: read gets what
// it lists and table turns that into its columns and rows.
func csvFile[D, T any](s *server, name string, read func(ctx context.Context, program string) (D, error),
	table func(D) ([]column[T], []T)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.downloadProgram(r)
		if err != nil {
			return err
		}
		d, err := read(a.ctx(), a.prog)
		if err != nil {
			return err
		}
		cols, rows := table(d)
		return writeCSV(w, r, a.prog+"-"+name, cols, rows)
	}
}

// roundFile is what a per-round CSV file is built from: the published
// round the path names and its team names by slug.
type roundFile struct {
	a     *apiReq
	rd    postgres.PublicRoundDetail
	names map[string]contest.Text
}

// roundCSVFile serves the CSV file <program>-<round>-name of the published
// round the path names, with the columns and rows table gives.
func roundCSVFile[T any](s *server, name string, table func(roundFile) ([]column[T], []T, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.roundCSV(r)
		if err != nil {
			return err
		}
		cols, rows, err := table(f)
		if err != nil {
			return err
		}
		return writeCSV(w, r, f.a.prog+"-"+f.rd.Slug+"-"+name, cols, rows)
	}
}

// withMembers is a program's list of T with its consortium memberships.
type withMembers[T any] struct {
	items []T
	ms    []postgres.PublicMembership
}

// readWithMembers reads a program's list with read and its memberships.
func readWithMembers[T any](s *server, read func(ctx context.Context, program string) ([]T, error)) func(context.Context, string) (withMembers[T], error) {
	return func(ctx context.Context, program string) (withMembers[T], error) {
		items, err := read(ctx, program)
		if err != nil {
			return withMembers[T]{}, err
		}
		ms, err := s.store.PublicMemberships(ctx, program)
		return withMembers[T]{items: items, ms: ms}, err
	}
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

// bilingual is the column pair of a text in Korean and English, headed
// "ko(한국어) / en (Korean)" and "ko(영어) / en (English)".
func bilingual[T any](ko, en string, get func(T) contest.Text) []column[T] {
	return []column[T]{
		{col(ko+"(한국어)", en+" (Korean)"), func(v T) string { return get(v).KO }},
		{col(ko+"(영어)", en+" (English)"), func(v T) string { return get(v).EN }},
	}
}

// named is a slug column followed by the name it stands for in both
// languages.
func named[T any](ko, en, nameKO, nameEN string, get func(T) (string, contest.Text)) []column[T] {
	return append([]column[T]{{col(ko, en), func(v T) string { slug, _ := get(v); return slug }}},
		bilingual(nameKO, nameEN, func(v T) contest.Text { _, n := get(v); return n })...)
}

// annotated is the closing columns of a sourced fact: its confidence when
// it has one, its note in both languages and its sources.
func annotated[T any](confidence func(T) string, note func(T) contest.Text, sources func(T) []postgres.PublicSource) []column[T] {
	var cols []column[T]
	if confidence != nil {
		cols = append(cols, column[T]{col("신뢰도", "confidence"), confidence})
	}
	cols = append(cols, bilingual("비고", "note", note)...)
	return append(cols, column[T]{col("출처", "sources"), func(v T) string { return cellSources(sources(v)) }})
}

// labelText is the Korean and English label of a message id as a text.
func (s *server) labelText(id string) contest.Text {
	ko, en := s.labels(id)
	return contest.Text{KO: ko, EN: en}
}

// optionalCell is the cell of an optional value: write(*v), or empty for
// what is unknown or undisclosed (nil).
func optionalCell[T any](v *T, write func(T) string) string {
	if v == nil {
		return ""
	}
	return write(*v)
}

// Cell helpers: empty for what is unknown or undisclosed.
func cellInt(n *int) string { return optionalCell(n, strconv.Itoa) }

func cellKRW(n *int64) string {
	return optionalCell(n, func(v int64) string { return strconv.FormatInt(v, 10) })
}

// cellOf is an optional API value as a cell: empty for null. Dates and
// instants are written as the API writes them: cellOf(apiDate(d)).
func cellOf(s *string) string { return optionalCell(s, func(v string) string { return v }) }

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
func (s *server) roundCSV(r *http.Request) (roundFile, error) {
	a, err := s.downloadProgram(r)
	if err != nil {
		return roundFile{}, err
	}
	rd, err := s.publishedRound(a, chi.URLParam(r, "slug"))
	if err != nil {
		return roundFile{}, err
	}
	names := map[string]contest.Text{}
	for _, e := range rd.Entries {
		names[e.Team.Slug] = e.Team.Name
	}
	return roundFile{a: a, rd: rd, names: names}, nil
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

// resultsTable is a published round's results: rank, points per
// category, total and outcome of every team, as the results document has
// them.
func (s *server) resultsTable(f roundFile) ([]column[rules.ReportTeam], []rules.ReportTeam, error) {
	rd, names := f.rd, f.names
	rr, err := s.store.PublishedResults(f.a.ctx(), f.a.prog, rd.Slug)
	if err != nil {
		return nil, nil, err
	}
	type line = rules.ReportTeam
	outcome := func(l line) string {
		if l.Outcome == nil {
			return ""
		}
		return string(*l.Outcome)
	}
	outcomeLabel := func(l line) contest.Text {
		if l.Outcome == nil {
			return contest.Text{}
		}
		return s.labelText("outcome." + outcome(l))
	}
	cols := append([]column[line]{{col("순위", "rank"), func(l line) string { return cellInt(l.Rank) }}},
		named("팀", "team", "팀명", "team name", func(l line) (string, contest.Text) { return l.Team, names[l.Team] })...)
	for _, c := range resultCategories(rd, rr.Report) {
		h := col(c.Name.KO, c.Name.EN) + " (" + c.Code
		if c.Max != "" {
			h += ", max " + c.Max
		}
		// An absent category was not disclosed.
		cols = append(cols, column[line]{h + ")", func(l line) string { return l.Categories[c.Code] }})
	}
	cols = slices.Concat(cols, []column[line]{
		{col("총점", "total"), func(l line) string { return cellOf(l.Total) }},
		{col("결과", "outcome"), outcome},
	}, bilingual("결과", "outcome", outcomeLabel), []column[line]{
		{col("사유 코드", "reason code"), func(l line) string { return string(l.ReasonCode) }},
	}, bilingual("사유", "reason", func(l line) contest.Text { return contest.Text(l.Reason) }))
	return cols, rr.Report.Teams, nil
}

// publishedScoresTable is every figure published for a round: category
// and sub-criterion points and totals.
func publishedScoresTable(f roundFile) ([]column[postgres.PublicScore], []postgres.PublicScore, error) {
	rd, names := f.rd, f.names
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
	cols := slices.Concat(
		named("팀", "team", "팀명", "team name", func(sc score) (string, contest.Text) { return sc.Team, names[sc.Team] }),
		named("항목", "criterion", "항목명", "criterion name", func(sc score) (string, contest.Text) { return sc.Criterion, name(sc) }),
		[]column[score]{
			{col("상위 항목", "parent criterion"), func(sc score) string { return parents[sc.Criterion] }},
			{col("점수", "points"), func(sc score) string { return sc.Value }},
		})
	return cols, rd.Scores, nil
}

// statisticsTable is the round statistics that were published.
func statisticsTable(f roundFile) ([]column[postgres.PublicStat], []postgres.PublicStat, error) {
	rd := f.rd
	crit := map[string]contest.Text{"total": {KO: "총점", EN: "Total"}}
	for _, c := range rd.Criteria {
		crit[c.Code] = c.Name
	}
	type stat = postgres.PublicStat
	cols := append(named("항목", "criterion", "항목명", "criterion name", func(st stat) (string, contest.Text) { return st.Criterion, crit[st.Criterion] }),
		column[stat]{col("통계", "statistic"), func(st stat) string { return st.Stat }},
		column[stat]{col("값", "value"), func(st stat) string { return st.Value }})
	return cols, rd.Stats, nil
}

// roundsTable lists every round with its rule and schedule, and for
// published rounds how many teams went through.
func roundsTable(rounds []postgres.PublicRound) ([]column[postgres.PublicRound], []postgres.PublicRound) {
	type round = postgres.PublicRound
	cols := slices.Concat([]column[round]{{col("순서", "position"), func(rd round) string { return strconv.Itoa(rd.Position) }}},
		named("라운드", "round", "이름", "name", func(rd round) (string, contest.Text) { return rd.Slug, rd.Name }), []column[round]{
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
		})
	return cols, rounds
}

// outcomeRow is a row of the outcomes file.
type outcomeRow struct {
	rd *postgres.PublicHistoryRound
	postgres.PublicOutcome
	label contest.Text // the outcome's
}

// outcomesTable lists every public outcome of every published round.
func (s *server) outcomesTable(h postgres.PublicHistory) ([]column[outcomeRow], []outcomeRow) {
	type outcome = outcomeRow
	var rows []outcome
	for i, rd := range h.Rounds {
		if !rd.Published {
			continue
		}
		for _, o := range rd.Outcomes {
			rows = append(rows, outcome{rd: &h.Rounds[i], PublicOutcome: o, label: s.labelText("outcome." + o.Outcome)})
		}
	}
	cols := slices.Concat(
		named("라운드", "round", "라운드명", "round name", func(o outcome) (string, contest.Text) { return o.rd.Slug, o.rd.Name }),
		[]column[outcome]{{col("발표 일시", "published at"), func(o outcome) string { return cellOf(apiTime(o.rd.PublishedAt)) }}},
		named("팀", "team", "팀명", "team name", func(o outcome) (string, contest.Text) { return o.Team.Slug, o.Team.Name }),
		[]column[outcome]{
			{col("순위", "rank"), func(o outcome) string { return cellInt(o.Rank) }},
			{col("결과", "outcome"), func(o outcome) string { return o.Outcome }},
		},
		bilingual("결과", "outcome", func(o outcome) contest.Text { return o.label }),
		bilingual("사유", "reason", func(o outcome) contest.Text { return o.Reason }),
		annotated(nil, func(o outcome) contest.Text { return o.Note }, func(o outcome) []postgres.PublicSource { return o.Sources }))
	return cols, rows
}

// teamRow is a row of the teams file.
type teamRow struct {
	postgres.PublicTeam
	slugs, ko, en []string // the members other than the lead
}

// teamsTable lists the teams with their consortium members.
func (s *server) teamsTable(d withMembers[postgres.PublicTeam]) ([]column[teamRow], []teamRow) {
	type team = teamRow
	teams, ms := d.items, d.ms
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
	cols := slices.Concat(
		named("팀", "team", "팀명", "team name", func(t team) (string, contest.Text) { return t.Slug, t.Name }),
		named("주관 기관", "lead", "주관 기관명", "lead name", func(t team) (string, contest.Text) { return t.Lead.Slug, t.Lead.Name }),
		[]column[team]{
			{col("모델", "model"), func(t team) string { return t.Model }},
			{col("상태", "status"), func(t team) string { return t.Status }},
		},
		bilingual("상태", "status", func(t team) contest.Text { return s.labelText("team.status." + t.Status) }),
		[]column[team]{{col("컨소시엄 기관 수", "consortium size"), func(t team) string { return strconv.Itoa(t.Size) }}},
		named("참여 기관", "members", "참여 기관명", "member names", func(t team) (string, contest.Text) {
			return strings.Join(t.slugs, "; "), contest.Text{KO: strings.Join(t.ko, "; "), EN: strings.Join(t.en, "; ")}
		}), []column[team]{
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
		})
	return cols, rows
}

// membershipsTable lists every organization's place in every consortium,
// one row each, the leads included.
func membershipsTable(ms []postgres.PublicMembership) ([]column[postgres.PublicMembership], []postgres.PublicMembership) {
	type member = postgres.PublicMembership
	cols := slices.Concat(
		named("팀", "team", "팀명", "team name", func(m member) (string, contest.Text) { return m.Team.Slug, m.Team.Name }),
		named("기관", "organization", "기관명", "organization name", func(m member) (string, contest.Text) { return m.Org.Slug, m.Org.Name }),
		[]column[member]{
			{col("기관 유형", "organization kind"), func(m member) string { return m.Org.Kind }},
			{col("역할", "role"), func(m member) string { return m.Role }},
			{col("참여 시작", "since"), func(m member) string { return cellOf(apiDate(m.Since)) }},
			{col("참여 종료", "until"), func(m member) string { return cellOf(apiDate(m.Until)) }},
		},
		annotated(func(m member) string { return m.Confidence }, func(m member) contest.Text { return m.Note },
			func(m member) []postgres.PublicSource { return m.Sources }))
	return cols, ms
}

// organizationsTable lists the organizations of the consortia with the
// teams they lead or belong to.
func organizationsTable(d withMembers[postgres.PublicOrg]) ([]column[postgres.PublicOrg], []postgres.PublicOrg) {
	orgs, ms := d.items, d.ms
	leads, memberOf := map[string][]string{}, map[string][]string{}
	for _, m := range ms {
		if m.Lead {
			leads[m.Org.Slug] = append(leads[m.Org.Slug], m.Team.Slug)
		} else {
			memberOf[m.Org.Slug] = append(memberOf[m.Org.Slug], m.Team.Slug)
		}
	}
	type org = postgres.PublicOrg
	cols := append([]column[org]{{col("기관", "organization"), func(o org) string { return o.Slug }}},
		bilingual("기관명", "name", func(o org) contest.Text { return o.Name })...)
	cols = append(cols, []column[org]{
		{col("유형", "kind"), func(o org) string { return o.Kind }},
		{col("컨소시엄 수", "consortia"), func(o org) string { return strconv.Itoa(o.Teams) }},
		{col("주관 팀", "leads"), func(o org) string { return strings.Join(leads[o.Slug], "; ") }},
		{col("참여 팀", "member of"), func(o org) string { return strings.Join(memberOf[o.Slug], "; ") }},
	}...)
	return cols, orgs
}

// budgetsTable lists the program's budget by fiscal year.
func budgetsTable(budgets []postgres.PublicBudget) ([]column[postgres.PublicBudget], []postgres.PublicBudget) {
	type budget = postgres.PublicBudget
	cols := append([]column[budget]{
		{col("연도", "year"), func(b budget) string { return strconv.Itoa(b.Year) }},
		{col("금액(원)", "amount (KRW)"), func(b budget) string { return cellKRW(b.AmountKRW) }},
	}, annotated(func(b budget) string { return b.Confidence }, func(b budget) contest.Text { return b.Note },
		func(b budget) []postgres.PublicSource { return b.Sources })...)
	return cols, budgets
}

// allocationsTable lists the support given to teams or to the whole
// program, by year.
func (s *server) allocationsTable(budgets []postgres.PublicBudget) ([]column[postgres.PublicAllocation], []postgres.PublicAllocation) {
	var allocs []postgres.PublicAllocation
	for _, b := range budgets {
		allocs = append(allocs, b.Allocations...)
	}
	type alloc = postgres.PublicAllocation
	// Support to the whole program names no team.
	wide := s.labelText("funding.program_wide")
	team := func(al alloc) (string, contest.Text) {
		if al.Team == nil {
			return "", wide
		}
		return al.Team.Slug, al.Team.Name
	}
	cols := slices.Concat(
		[]column[alloc]{{col("연도", "year"), func(al alloc) string { return strconv.Itoa(al.Year) }}},
		named("팀", "team", "팀명", "team name", team),
		[]column[alloc]{
			{col("종류", "kind"), func(al alloc) string { return al.Kind }},
			{col("GPU 모델", "GPU model"), func(al alloc) string { return al.GPUModel }},
			{col("수량", "quantity"), func(al alloc) string { return cellInt(al.Quantity) }},
			{col("금액(원)", "amount (KRW)"), func(al alloc) string { return cellKRW(al.AmountKRW) }},
		},
		annotated(func(al alloc) string { return al.Confidence }, func(al alloc) contest.Text { return al.Note },
			func(al alloc) []postgres.PublicSource { return al.Sources }))
	return cols, allocs
}
