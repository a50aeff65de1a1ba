package web

// The JSON shapes of the API (and of /data/record.json), and their
// conversion from the store's public read model. Conventions, documented in
// openapi.json: slugs identify everything; every text is {"ko", "en"};
// optional texts, dates and figures that are unknown or undisclosed are
// null, never "" or 0; amounts are integers in KRW; points are decimal
// strings with two decimals; dates are YYYY-MM-DD and instants RFC 3339 in
// KST (+09:00).

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/format"
)

// instant formats an instant as the API, the downloads and the feed write
// it: RFC 3339 in KST.
func instant(t time.Time) string { return t.In(format.KST).Format(time.RFC3339) }

// apiDate formats a calendar date as stored; nil stays null.
func apiDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// apiTime formats an instant in KST; nil stays null.
func apiTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := instant(*t)
	return &s
}

// optText is null for an empty text.
func optText(t contest.Text) *contest.Text {
	if t.IsZero() {
		return nil
	}
	return &t
}

// optString is null for "".
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type apiSource struct {
	URL         string  `json:"url"`
	Label       *string `json:"label"`
	PublishedOn *string `json:"published_on"`
	DateNote    *string `json:"date_note"`
}

func apiSources(srcs []postgres.PublicSource) []apiSource {
	out := make([]apiSource, 0, len(srcs))
	for _, s := range srcs {
		out = append(out, apiSource{URL: s.URL, Label: optString(s.Label), PublishedOn: apiDate(s.PublishedOn), DateNote: optString(s.DateNote)})
	}
	return out
}

type apiOrgRef struct {
	Slug string       `json:"slug"`
	Name contest.Text `json:"name"`
	Kind string       `json:"kind"`
	Href string       `json:"href"`
}

func (a *apiReq) orgRef(o postgres.PublicOrgRef) apiOrgRef {
	return apiOrgRef{Slug: o.Slug, Name: o.Name, Kind: o.Kind, Href: a.apiURL("/organizations/" + o.Slug)}
}

type apiTeamRef struct {
	Slug string       `json:"slug"`
	Name contest.Text `json:"name"`
	Href string       `json:"href"`
}

func (a *apiReq) teamRef(t postgres.PublicTeamRef) apiTeamRef {
	return apiTeamRef{Slug: t.Slug, Name: t.Name, Href: a.apiURL("/teams/" + t.Slug)}
}

type apiRoundRef struct {
	Slug             string       `json:"slug"`
	Position         int          `json:"position"`
	Kind             string       `json:"kind"`
	Name             contest.Text `json:"name"`
	AnnounceAt       *string      `json:"announce_at"`
	AnnounceDateOnly bool         `json:"announce_date_only"`
	Href             string       `json:"href"`
}

func (a *apiReq) roundRef(r postgres.PublicRoundRef) apiRoundRef {
	return apiRoundRef{Slug: r.Slug, Position: r.Position, Kind: r.Kind, Name: r.Name, AnnounceAt: apiTime(r.AnnounceAt),
		AnnounceDateOnly: r.AnnounceDateOnly, Href: a.apiURL("/rounds/" + r.Slug)}
}

func refOf(r postgres.PublicRound) postgres.PublicRoundRef {
	return postgres.PublicRoundRef{Slug: r.Slug, Position: r.Position, Kind: r.Kind, Name: r.Name, AnnounceAt: r.AnnounceAt, AnnounceDateOnly: r.AnnounceDateOnly}
}

// apiProgram is a program; apiProgramDetail adds its overview.
type apiProgram struct {
	Slug       string         `json:"slug"`
	Name       contest.Text   `json:"name"`
	Ministry   contest.Text   `json:"ministry"`
	Goal       *contest.Text  `json:"goal"`
	Note       *contest.Text  `json:"note"`
	Agencies   []contest.Text `json:"agencies"`
	FinalTeams *int           `json:"final_teams"`
	StartedOn  *string        `json:"started_on"`
	UpdatedAt  *string        `json:"updated_at"`
	Href       string         `json:"href"`
	WebURL     *contest.Text  `json:"web_url"`
}

func (a *apiReq) program(p postgres.PublicProgram) apiProgram {
	b := a.forProgram(p.Slug)
	agencies := p.Agencies
	if agencies == nil {
		agencies = []contest.Text{}
	}
	return apiProgram{Slug: p.Slug, Name: p.Name, Ministry: p.Ministry, Goal: optText(p.Goal), Note: optText(p.Note), Agencies: agencies,
		FinalTeams: p.FinalTeams, StartedOn: apiDate(p.StartedOn), UpdatedAt: apiTime(&p.UpdatedAt),
		Href: b.apiURL("/programs/" + p.Slug), WebURL: b.webURL("/")}
}

type apiProgramDetail struct {
	apiProgram
	Counts      apiCounts    `json:"counts"`
	StillIn     []apiTeamRef `json:"still_in"`
	NextRound   *apiRoundRef `json:"next_round"`
	LatestRound *apiRoundRef `json:"latest_round"`
	Sources     []apiSource  `json:"sources"`
}

type apiCounts struct {
	Teams         int `json:"teams"`
	Rounds        int `json:"rounds"`
	Organizations int `json:"organizations"`
}

func (a *apiReq) programDetail(p postgres.PublicProgram, ov postgres.PublicOverview) apiProgramDetail {
	b := a.forProgram(p.Slug)
	d := apiProgramDetail{apiProgram: a.program(p), Counts: apiCounts{ov.Teams, ov.Rounds, ov.Organizations},
		StillIn: []apiTeamRef{}, Sources: apiSources(ov.Sources)}
	for _, t := range ov.StillIn {
		d.StillIn = append(d.StillIn, b.teamRef(postgres.PublicTeamRef{Slug: t.Slug, Name: t.Name}))
	}
	if ov.Next != nil {
		ref := b.roundRef(refOf(*ov.Next))
		d.NextRound = &ref
	}
	if ov.Latest != nil {
		ref := b.roundRef(refOf(ov.Latest.PublicRound))
		d.LatestRound = &ref
	}
	return d
}

type apiRule struct {
	Advance  int     `json:"advance"`
	Backfill bool    `json:"backfill"`
	MinTotal *string `json:"min_total"`
}

type apiRound struct {
	Slug             string        `json:"slug"`
	Position         int           `json:"position"`
	Kind             string        `json:"kind"`
	Name             contest.Text  `json:"name"`
	Period           *string       `json:"period"`
	EvaluatedOn      *string       `json:"evaluated_on"`
	AnnounceAt       *string       `json:"announce_at"`
	AnnounceDateOnly bool          `json:"announce_date_only"`
	Status           string        `json:"status"`
	Published        bool          `json:"published"`
	PublishedAt      *string       `json:"published_at"`
	Rule             apiRule       `json:"rule"`
	Note             *contest.Text `json:"note"`
	Entrants         int           `json:"entrants"`
	Through          *int          `json:"through"`
	Computed         bool          `json:"computed"`
	Href             string        `json:"href"`
	ResultsHref      *string       `json:"results_href"`
	WebURL           *contest.Text `json:"web_url"`
}

func (a *apiReq) round(r postgres.PublicRound) apiRound {
	v := apiRound{Slug: r.Slug, Position: r.Position, Kind: r.Kind, Name: r.Name, Period: optString(r.Period),
		EvaluatedOn: apiDate(r.EvaluatedOn), AnnounceAt: apiTime(r.AnnounceAt), AnnounceDateOnly: r.AnnounceDateOnly,
		Status: publicRoundStatus(r.Status), Published: r.Published, PublishedAt: apiTime(r.PublishedAt),
		Rule: apiRule{Advance: r.Advance, Backfill: r.Backfill, MinTotal: optString(r.MinTotal)}, Note: optText(r.Note),
		Entrants: r.Entrants, Through: r.Through, Computed: r.Computed, Href: a.apiURL("/rounds/" + r.Slug),
		WebURL: a.webURL("/rounds/" + r.Slug)}
	if r.Published {
		u := a.apiURL("/rounds/" + r.Slug + "/results")
		v.ResultsHref = &u
	}
	return v
}

type apiPanel struct {
	Size      int    `json:"size"`
	Aggregate string `json:"aggregate"`
}

type apiCriterion struct {
	Code        string        `json:"code"`
	Parent      *string       `json:"parent"`
	Depth       int           `json:"depth"`
	Name        contest.Text  `json:"name"`
	Description *contest.Text `json:"description"`
	Note        *contest.Text `json:"note"`
	Max         string        `json:"max"`
	Panel       *apiPanel     `json:"panel"`
	Leaf        bool          `json:"leaf"`
}

type apiEntry struct {
	Team        apiTeamRef    `json:"team"`
	Eligibility *string       `json:"eligibility"`
	Reason      *contest.Text `json:"reason"`
}

// apiAnnotation closes a sourced fact: its note (null when there is none)
// and its sources.
type apiAnnotation struct {
	Note    *contest.Text `json:"note"`
	Sources []apiSource   `json:"sources"`
}

func annotation(note contest.Text, srcs []postgres.PublicSource) apiAnnotation {
	return apiAnnotation{Note: optText(note), Sources: apiSources(srcs)}
}

// apiOutcome is a team's public outcome in a round.
type apiOutcome struct {
	Team apiTeamRef `json:"team"`
	apiTeamOutcome
}

func (a *apiReq) outcome(o postgres.PublicOutcome) apiOutcome {
	return apiOutcome{Team: a.teamRef(o.Team), apiTeamOutcome: teamOutcome(o)}
}

// apiTeamOutcome is a team's outcome in one round.
type apiTeamOutcome struct {
	Outcome string       `json:"outcome"`
	Rank    *int         `json:"rank"`
	Reason  contest.Text `json:"reason"`
	apiAnnotation
}

func teamOutcome(o postgres.PublicOutcome) apiTeamOutcome {
	return apiTeamOutcome{Outcome: o.Outcome, Rank: o.Rank, Reason: o.Reason, apiAnnotation: annotation(o.Note, o.Sources)}
}

// apiFigure is a published figure; criterion "total" is the round total,
// whose name is null.
type apiFigure struct {
	Team      string        `json:"team"`
	Criterion string        `json:"criterion"`
	Name      *contest.Text `json:"name"`
	Value     string        `json:"value"`
}

func apiFigures(scores []postgres.PublicScore) []apiFigure {
	out := make([]apiFigure, 0, len(scores))
	for _, s := range scores {
		out = append(out, apiFigure{Team: s.Team, Criterion: s.Criterion, Name: optText(s.CriterionName), Value: s.Value})
	}
	return out
}

type apiStat struct {
	Criterion string `json:"criterion"`
	Stat      string `json:"stat"`
	Value     string `json:"value"`
}

// apiRevisionRef names a published revision of computed results.
type apiRevisionRef struct {
	Revision    int           `json:"revision"`
	PublishedAt *string       `json:"published_at"`
	Reason      *contest.Text `json:"reason"`
	Href        string        `json:"href"`
}

type apiRoundDetail struct {
	apiRound
	Criteria   []apiCriterion   `json:"criteria"`
	Entries    []apiEntry       `json:"entries"`
	Outcomes   []apiOutcome     `json:"outcomes"`
	Figures    []apiFigure      `json:"published_scores"`
	Statistics []apiStat        `json:"statistics"`
	Sources    []apiSource      `json:"sources"`
	Revisions  []apiRevisionRef `json:"revisions"`
	// Disclosure is what a published round discloses (null before), with
	// its dated steps; Objections are the objections filed against it.
	Disclosure  *string         `json:"disclosure"`
	Disclosures []apiDisclosure `json:"disclosures"`
	Objections  []apiObjection  `json:"objections"`
}

// apiDisclosure is one dated step of a round's disclosure.
type apiDisclosure struct {
	Level string  `json:"level"`
	On    *string `json:"on"`
	apiAnnotation
}

// apiObjection is a formal objection a team filed against a published
// round; staff accounts are not public.
type apiObjection struct {
	Round       apiRoundRef   `json:"round"`
	Team        apiTeamRef    `json:"team"`
	FiledOn     *string       `json:"filed_on"`
	Summary     contest.Text  `json:"summary"`
	DecisionDue *string       `json:"decision_due"`
	Status      string        `json:"status"`
	DecidedOn   *string       `json:"decided_on"`
	Decision    *contest.Text `json:"decision"`
	Sources     []apiSource   `json:"sources"`
}

// disclosures shapes a round's disclosure level, steps and objections.
func (a *apiReq) disclosures(d *apiRoundDetail, r postgres.PublicRoundDetail) {
	d.Disclosure = optString(r.Disclosure)
	d.Disclosures, d.Objections = []apiDisclosure{}, []apiObjection{}
	for _, st := range r.Disclosures {
		d.Disclosures = append(d.Disclosures, apiDisclosure{Level: st.Level, On: apiDate(&st.On), apiAnnotation: annotation(st.Note, st.Sources)})
	}
	for _, o := range r.Objections {
		d.Objections = append(d.Objections, a.objection(o))
	}
}

// objection shapes one objection, for its round and for its team.
func (a *apiReq) objection(o postgres.Objection) apiObjection {
	return apiObjection{Round: a.roundRef(o.Round), Team: a.teamRef(o.Team), FiledOn: apiDate(&o.FiledOn), Summary: o.Summary,
		DecisionDue: apiDate(o.DecisionDue), Status: o.Status, DecidedOn: apiDate(o.DecidedOn), Decision: optText(o.Decision),
		Sources: apiSources(o.Sources)}
}

// roundDetail shapes a round page; corrections are the round's published
// corrections (revision 2 on), used when its results were computed.
func (a *apiReq) roundDetail(r postgres.PublicRoundDetail, corrections []postgres.CorrectionRecord) apiRoundDetail {
	d := apiRoundDetail{apiRound: a.round(r.PublicRound), Criteria: []apiCriterion{}, Entries: []apiEntry{}, Outcomes: []apiOutcome{},
		Figures: apiFigures(r.Scores), Statistics: []apiStat{}, Sources: apiSources(r.Sources), Revisions: []apiRevisionRef{}}
	for _, c := range r.Criteria {
		v := apiCriterion{Code: c.Code, Parent: optString(c.Parent), Depth: c.Depth, Name: c.Name, Description: optText(c.Description),
			Note: optText(c.Note), Max: c.Max, Leaf: c.Leaf}
		if c.PanelSize != nil {
			v.Panel = &apiPanel{Size: *c.PanelSize, Aggregate: c.Aggregate}
		}
		d.Criteria = append(d.Criteria, v)
	}
	for _, e := range r.Entries {
		d.Entries = append(d.Entries, apiEntry{Team: a.teamRef(e.Team), Eligibility: optString(e.Status), Reason: optText(e.Reason)})
	}
	for _, o := range r.Outcomes {
		d.Outcomes = append(d.Outcomes, a.outcome(o))
	}
	for _, s := range r.Stats {
		d.Statistics = append(d.Statistics, apiStat{Criterion: s.Criterion, Stat: s.Stat, Value: s.Value})
	}
	a.disclosures(&d, r)
	if r.Published && r.Computed {
		d.Revisions = append(d.Revisions, apiRevisionRef{Revision: 1, PublishedAt: apiTime(r.PublishedAt),
			Href: a.apiURL("/rounds/" + r.Slug + "/revisions/1")})
		for _, c := range corrections {
			d.Revisions = append(d.Revisions, apiRevisionRef{Revision: c.Revision, PublishedAt: apiTime(&c.PublishedAt),
				Reason: optText(c.Reason), Href: a.apiURL("/rounds/" + r.Slug + "/revisions/" + strconv.Itoa(c.Revision))})
		}
	}
	return d
}

// apiRevision is one published revision of a round's computed results, as
// it was published.
type apiRevision struct {
	Program     string          `json:"program"`
	Round       string          `json:"round"`
	Revision    int             `json:"revision"`
	PublishedAt *string         `json:"published_at"`
	Reason      *contest.Text   `json:"reason"`
	Change      json.RawMessage `json:"change"`
	AuditHead   *string         `json:"audit_head"`
	Results     rules.Report    `json:"results"`
}

func apiRevisionOf(rr postgres.RoundResults, rec postgres.CorrectionRecord) apiRevision {
	v := apiRevision{Program: rr.Report.Program, Round: rr.Report.Round, Revision: rec.Revision, PublishedAt: apiTime(&rec.PublishedAt),
		Reason: optText(rec.Reason), Change: rec.Change, AuditHead: optString(rec.AuditHead), Results: rr.Report}
	if len(v.Change) == 0 || string(v.Change) == "{}" {
		v.Change = json.RawMessage("null")
	}
	return v
}

type apiLastOutcome struct {
	Round   apiRoundRef  `json:"round"`
	Outcome string       `json:"outcome"`
	Reason  contest.Text `json:"reason"`
}

type apiLatestScores struct {
	Round   apiRoundRef `json:"round"`
	Figures []apiFigure `json:"figures"`
}

type apiTeam struct {
	Slug           string           `json:"slug"`
	Name           contest.Text     `json:"name"`
	Lead           apiOrgRef        `json:"lead"`
	Model          *string          `json:"model"`
	ConsortiumSize int              `json:"consortium_size"`
	Status         string           `json:"status"`
	Last           *apiLastOutcome  `json:"last_outcome"`
	LatestScores   *apiLatestScores `json:"latest_scores"`
	Href           string           `json:"href"`
	WebURL         *contest.Text    `json:"web_url"`
}

func (a *apiReq) team(t postgres.PublicTeam) apiTeam {
	v := apiTeam{Slug: t.Slug, Name: t.Name, Lead: a.orgRef(t.Lead), Model: optString(t.Model), ConsortiumSize: t.Size,
		Status: t.Status, Href: a.apiURL("/teams/" + t.Slug), WebURL: a.webURL("/teams/" + t.Slug)}
	if t.Last != nil {
		v.Last = &apiLastOutcome{Round: a.roundRef(t.Last.Round), Outcome: t.Last.Outcome, Reason: t.Last.Reason}
	}
	if t.ScoresRound != nil {
		v.LatestScores = &apiLatestScores{Round: a.roundRef(*t.ScoresRound), Figures: apiFigures(t.Scores)}
	}
	return v
}

type apiMember struct {
	Organization apiOrgRef `json:"organization"`
	Role         string    `json:"role"`
	Since        *string   `json:"since"`
	Until        *string   `json:"until"`
	Confidence   string    `json:"confidence"`
	apiAnnotation
}

type apiTeamRound struct {
	Round       apiRoundRef     `json:"round"`
	Status      string          `json:"status"`
	Published   bool            `json:"published"`
	Eligibility *string         `json:"eligibility"`
	EntryReason *contest.Text   `json:"entry_reason"`
	Outcome     *apiTeamOutcome `json:"outcome"`
	Figures     []apiFigure     `json:"published_scores"`
}

type apiTeamDetail struct {
	apiTeam
	ModelNote *contest.Text  `json:"model_note"`
	Goal      *contest.Text  `json:"goal"`
	Note      *contest.Text  `json:"note"`
	Members   []apiMember    `json:"members"`
	Rounds    []apiTeamRound `json:"rounds"`
	// Objections are the objections the team filed, oldest first.
	Objections []apiObjection  `json:"objections"`
	Support    []apiAllocation `json:"support"`
	Sources    []apiSource     `json:"sources"`
}

func (a *apiReq) teamDetail(t postgres.PublicTeamDetail) apiTeamDetail {
	d := apiTeamDetail{apiTeam: a.team(t.PublicTeam), ModelNote: optText(t.ModelNote), Goal: optText(t.Goal), Note: optText(t.Note),
		Members: []apiMember{}, Rounds: []apiTeamRound{}, Objections: []apiObjection{}, Support: []apiAllocation{}, Sources: apiSources(t.Sources)}
	for _, m := range t.Members {
		d.Members = append(d.Members, apiMember{Organization: a.orgRef(m.Org), Role: m.Role, Since: apiDate(m.Since), Until: apiDate(m.Until),
			Confidence: m.Confidence, apiAnnotation: annotation(m.Note, m.Sources)})
	}
	for _, r := range t.Rounds {
		v := apiTeamRound{Round: a.roundRef(r.Round), Status: publicRoundStatus(r.Status), Published: r.Published,
			Eligibility: optString(r.Eligibility), EntryReason: optText(r.EntryReason), Figures: apiFigures(r.Scores)}
		if r.Outcome != nil {
			o := teamOutcome(*r.Outcome)
			v.Outcome = &o
		}
		d.Rounds = append(d.Rounds, v)
	}
	for _, o := range t.Objections {
		d.Objections = append(d.Objections, a.objection(o))
	}
	for _, al := range t.Support {
		d.Support = append(d.Support, a.allocation(al))
	}
	return d
}

type apiOrganization struct {
	Slug      string        `json:"slug"`
	Name      contest.Text  `json:"name"`
	Kind      string        `json:"kind"`
	Consortia int           `json:"consortia"`
	Href      string        `json:"href"`
	WebURL    *contest.Text `json:"web_url"`
}

func (a *apiReq) organization(o postgres.PublicOrg) apiOrganization {
	return apiOrganization{Slug: o.Slug, Name: o.Name, Kind: o.Kind, Consortia: o.Teams, Href: a.apiURL("/organizations/" + o.Slug),
		WebURL: a.webURL("/organizations/" + o.Slug)}
}

type apiOrgMembership struct {
	Team       apiTeamRef `json:"team"`
	TeamStatus string     `json:"team_status"`
	Lead       bool       `json:"lead"`
	Role       string     `json:"role"`
	Since      *string    `json:"since"`
	Confidence string     `json:"confidence"`
}

type apiOrganizationDetail struct {
	apiOrganization
	Memberships []apiOrgMembership `json:"memberships"`
	Sources     []apiSource        `json:"sources"`
}

func (a *apiReq) organizationDetail(o postgres.PublicOrgDetail) apiOrganizationDetail {
	d := apiOrganizationDetail{apiOrganization: a.organization(o.PublicOrg), Memberships: []apiOrgMembership{}, Sources: apiSources(o.Sources)}
	for _, m := range o.Memberships {
		d.Memberships = append(d.Memberships, apiOrgMembership{Team: a.teamRef(postgres.PublicTeamRef{Slug: m.Team.Slug, Name: m.Team.Name}),
			TeamStatus: m.Team.Status, Lead: m.Lead, Role: m.Role, Since: apiDate(m.Since), Confidence: m.Confidence})
	}
	return d
}

type apiAllocation struct {
	Year       int         `json:"year"`
	Team       *apiTeamRef `json:"team"`
	Kind       string      `json:"kind"`
	GPUModel   *string     `json:"gpu_model"`
	Quantity   *int        `json:"quantity"`
	AmountKRW  *int64      `json:"amount_krw"`
	Confidence string      `json:"confidence"`
	apiAnnotation
}

func (a *apiReq) allocation(al postgres.PublicAllocation) apiAllocation {
	v := apiAllocation{Year: al.Year, Kind: al.Kind, GPUModel: optString(al.GPUModel), Quantity: al.Quantity, AmountKRW: al.AmountKRW,
		Confidence: al.Confidence, apiAnnotation: annotation(al.Note, al.Sources)}
	if al.Team != nil {
		ref := a.teamRef(*al.Team)
		v.Team = &ref
	}
	return v
}

type apiBudget struct {
	Year       int    `json:"year"`
	AmountKRW  *int64 `json:"amount_krw"`
	Confidence string `json:"confidence"`
	apiAnnotation
	Allocations []apiAllocation `json:"allocations"`
}

func (a *apiReq) budget(b postgres.PublicBudget) apiBudget {
	v := apiBudget{Year: b.Year, AmountKRW: b.AmountKRW, Confidence: b.Confidence, apiAnnotation: annotation(b.Note, b.Sources),
		Allocations: []apiAllocation{}}
	for _, al := range b.Allocations {
		v.Allocations = append(v.Allocations, a.allocation(al))
	}
	return v
}

type apiEvent struct {
	On         *string      `json:"on"`
	Until      *string      `json:"until"`
	Title      contest.Text `json:"title"`
	Confidence string       `json:"confidence"`
	Sources    []apiSource  `json:"sources"`
}

func apiEventOf(e postgres.PublicEvent) apiEvent {
	return apiEvent{On: apiDate(&e.On), Until: apiDate(e.Until), Title: e.Title, Confidence: e.Confidence, Sources: apiSources(e.Sources)}
}

// The list documents: the program they belong to and the list.
type (
	apiProgramList struct {
		Programs []apiProgram `json:"programs"`
	}
	apiRoundList struct {
		Program string     `json:"program"`
		Rounds  []apiRound `json:"rounds"`
	}
	apiTeamList struct {
		Program string    `json:"program"`
		Teams   []apiTeam `json:"teams"`
	}
	apiOrganizationList struct {
		Program       string            `json:"program"`
		Organizations []apiOrganization `json:"organizations"`
	}
	apiBudgetList struct {
		Program string      `json:"program"`
		Budgets []apiBudget `json:"budgets"`
	}
)
