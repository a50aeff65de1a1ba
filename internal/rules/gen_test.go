package rules

import (
	"fmt"
	"math/big"
	"math/rand/v2"
)

// source yields the choices a generated input is made of: from a seeded
// random generator (property tests) or from fuzz bytes.
type source interface {
	// intn returns a number in [0, n); n ≥ 1.
	intn(n int) int
}

type randSource struct{ r *rand.Rand }

func (s randSource) intn(n int) int { return s.r.IntN(n) }

// byteSource reads choices from bytes, then zeros once they run out.
type byteSource struct{ b []byte }

func (s *byteSource) intn(n int) int {
	if n <= 1 {
		return 0
	}
	v := 0
	for range 2 {
		v <<= 8
		if len(s.b) > 0 {
			v |= int(s.b[0])
			s.b = s.b[1:]
		}
		if n <= 256 {
			break
		}
	}
	return v % n
}

var teamNames = []string{"lg", "skt", "upstage", "naver", "nc-ai", "motif", "trillion", "kt"}

// genInput builds a small round: up to eight teams, three categories with
// up to three leaves each, panels of up to five evaluators, coarse values
// so that ties are common, and some missing scores. With wild set it may
// also break the input in one way or add an arbitrary decision.
func genInput(s source, wild bool) Input {
	in := Input{Kind: []Kind{KindStage, KindSelection, KindAdditional}[s.intn(3)]}
	nTeams := 1 + s.intn(len(teamNames))
	in.Rule.Advance = s.intn(nTeams + 2)
	in.Rule.Backfill = s.intn(2) == 1
	in.Rule.Rounding = Rounding{Decimals: s.intn(3), Level: []RoundingLevel{"", RoundCategory, RoundLeaf}[s.intn(3)]}
	leaves := genCriteria(s, &in)

	complete := s.intn(3) > 0
	for ti, team := range teamNames[:nTeams] {
		in.Entries = append(in.Entries, genEntry(s, team))
		if ti > 0 && s.intn(3) == 0 {
			// A twin of an earlier team: same scores, so a tie.
			twin := teamNames[s.intn(ti)]
			for _, sc := range in.Scores {
				if sc.Team == twin {
					sc.Team = team
					in.Scores = append(in.Scores, sc)
				}
			}
			continue
		}
		in.Scores = append(in.Scores, genScores(s, team, leaves, complete)...)
	}

	if wild {
		breakInput(s, &in)
	}
	return in
}

// genCriteria fills in the criteria and maybe a minimum total, and returns
// the leaves.
func genCriteria(s source, in *Input) []Criterion {
	leafNo := 0
	newLeaf := func() Criterion {
		leafNo++
		return genLeaf(s, fmt.Sprintf("c%d", leafNo))
	}
	var leaves []Criterion
	totalMax := new(big.Rat)
	for i := range 1 + s.intn(3) {
		if s.intn(2) == 0 {
			c := newLeaf()
			leaves = append(leaves, c)
			in.Criteria = append(in.Criteria, c)
			totalMax.Add(totalMax, c.Max)
			continue
		}
		cat := Criterion{Code: fmt.Sprintf("cat%d", i), Max: new(big.Rat)}
		for range 1 + s.intn(3) {
			c := newLeaf()
			leaves = append(leaves, c)
			cat.Children = append(cat.Children, c)
			cat.Max.Add(cat.Max, c.Max)
		}
		in.Criteria = append(in.Criteria, cat)
		totalMax.Add(totalMax, cat.Max)
	}
	if s.intn(4) == 0 {
		cents := new(big.Int).Mul(totalMax.Num(), big.NewInt(100))
		in.Rule.MinTotal = big.NewRat(int64(s.intn(int(cents.Int64())+1)), 100)
	}
	return leaves
}

// genLeaf makes a leaf, direct or scored by a panel, sometimes on a scale.
func genLeaf(s source, code string) Criterion {
	c := Criterion{Code: code, Max: big.NewRat(int64(1+s.intn(20)), 1)}
	if s.intn(3) > 0 {
		agg := []Aggregate{AggregateMean, AggregateMedian, AggregateTrimmedMean}[s.intn(3)]
		size := 1 + s.intn(5)
		if agg == AggregateTrimmedMean && size < 3 {
			size = 3
		}
		c.Panel = &Panel{Size: size, Aggregate: agg}
	}
	if s.intn(4) == 0 {
		from := big.NewRat(int64(s.intn(3)), 1)
		c.Scale = &Scale{From: from, To: new(big.Rat).Add(from, big.NewRat(int64(1+s.intn(100)), 1))}
	}
	return c
}

// genEntry enters a team, mostly eligible.
func genEntry(s source, team string) Entry {
	e := Entry{Team: team}
	switch k := s.intn(10); {
	case k < 7:
		if k%2 == 0 {
			e.Status = StatusEligible
		}
	case k < 9:
		e.Status = StatusDisqualified
		e.Reason = Text{KO: "실격 사유", EN: "reason"}
	default:
		e.Status = StatusWithdrew
	}
	return e
}

// genScores scores a team on every leaf, leaving some out unless complete.
func genScores(s source, team string, leaves []Criterion, complete bool) []Score {
	var out []Score
	for _, l := range leaves {
		evs := []int{0}
		if l.Panel != nil {
			evs = evs[:0]
			for ev := 1; ev <= l.Panel.Size; ev++ {
				evs = append(evs, ev)
			}
		}
		for _, ev := range evs {
			if !complete && s.intn(5) == 0 {
				continue
			}
			out = append(out, Score{Team: team, Criterion: l.Code, Evaluator: ev, Value: genLeafValue(s, l)})
		}
	}
	return out
}

// genLeafValue picks a value for leaf c: points within 0..max, or a raw
// value within its scale.
func genLeafValue(s source, c Criterion) *big.Rat {
	if c.Scale == nil {
		return genValue(s, c.Max)
	}
	width := new(big.Rat).Sub(c.Scale.To, c.Scale.From)
	return new(big.Rat).Add(c.Scale.From, genValue(s, width))
}

// genValue picks a value within 0..limit, often a round fraction of it so
// that ties happen.
func genValue(s source, limit *big.Rat) *big.Rat {
	switch s.intn(6) {
	case 0:
		return new(big.Rat)
	case 1:
		return new(big.Rat).Set(limit)
	case 2:
		return new(big.Rat).Quo(limit, big.NewRat(2, 1))
	case 3:
		return new(big.Rat).Quo(limit, big.NewRat(4, 1))
	default:
		cents := limit.Num().Int64() * 100
		return big.NewRat(int64(s.intn(int(cents)+1)), 100)
	}
}

// breakInput may damage in one way or add a decision, valid or not.
func breakInput(s source, in *Input) {
	pick := func(n int) int { return s.intn(max(n, 1)) }
	// A damage to one random score, when there is one.
	score := func(f func(sc *Score)) func() {
		return func() {
			if len(in.Scores) > 0 {
				f(&in.Scores[pick(len(in.Scores))])
			}
		}
	}
	damages := []func(){
		score(func(sc *Score) { sc.Value = new(big.Rat).Add(sc.Value, big.NewRat(int64(s.intn(3000))-1500, 100)) }),
		score(func(sc *Score) { sc.Value = big.NewRat(int64(s.intn(100)), 1000) }),
		score(func(sc *Score) { in.Scores = append(in.Scores, *sc) }),
		score(func(sc *Score) { sc.Evaluator += s.intn(5) - 2 }),
		score(func(sc *Score) { sc.Team = teamNames[pick(len(teamNames))] }),
		score(func(sc *Score) { sc.Criterion = fmt.Sprintf("c%d", s.intn(12)) }),
		func() { in.Rule.Advance -= s.intn(3) },
		func() { breakCriterion(s, in) },
		func() {
			if len(in.Entries) > 0 {
				in.Entries = append(in.Entries, in.Entries[pick(len(in.Entries))])
			}
		},
		score(func(sc *Score) { sc.Value = nil }),
	}
	decide := func() { in.Decision = genDecision(s) }
	damages = append(damages, decide, decide, decide)
	if k := s.intn(16); k < len(damages) {
		damages[k]()
	}
}

// breakCriterion gives a random category a bad maximum or panel.
func breakCriterion(s source, in *Input) {
	if len(in.Criteria) == 0 {
		return
	}
	c := &in.Criteria[s.intn(len(in.Criteria))]
	if s.intn(2) == 0 {
		c.Max = big.NewRat(int64(s.intn(5)), 1)
	} else {
		c.Panel = &Panel{Size: s.intn(5), Aggregate: []Aggregate{AggregateTrimmedMean, "mode", AggregateMedian}[s.intn(3)]}
	}
}

// genDecision makes an arbitrary decision, sometimes without an English
// reason.
func genDecision(s source) *Decision {
	d := &Decision{Reason: Text{KO: "결정", EN: "decision"}}
	for range s.intn(4) {
		d.Advance = append(d.Advance, teamNames[s.intn(len(teamNames))])
	}
	if s.intn(4) == 0 {
		d.Reason.EN = ""
	}
	return d
}

// shuffled returns a copy of in with entries, scores and decision teams in
// a random order; criteria keep their declared order, which is meaningful.
func shuffled(in Input, r *rand.Rand) Input {
	out := in
	out.Entries = append([]Entry(nil), in.Entries...)
	out.Scores = append([]Score(nil), in.Scores...)
	r.Shuffle(len(out.Entries), func(i, j int) { out.Entries[i], out.Entries[j] = out.Entries[j], out.Entries[i] })
	r.Shuffle(len(out.Scores), func(i, j int) { out.Scores[i], out.Scores[j] = out.Scores[j], out.Scores[i] })
	if in.Decision != nil {
		d := *in.Decision
		d.Advance = append([]string(nil), d.Advance...)
		r.Shuffle(len(d.Advance), func(i, j int) { d.Advance[i], d.Advance[j] = d.Advance[j], d.Advance[i] })
		out.Decision = &d
	}
	return out
}
