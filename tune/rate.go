package tune

import (
	"context"

	"github.com/leasesim/leasesim/stats"
)

// RateTarget asks for a violation rate (tune --max-violation-rate): a candidate
// qualifies when the one-sided Clopper–Pearson upper bound on its rate of violating
// seeds, at Confidence, is at most MaxRate. Seeds are added to a candidate, doubling,
// until it is decided or has run MaxSeeds.
type RateTarget struct {
	MaxRate    float64 `json:"max_violation_rate"`
	Confidence float64 `json:"confidence"`
	MaxSeeds   int     `json:"max_seeds"`
}

// The decisions on a candidate under a rate target.
const (
	// Qualifies: the upper bound is at most the target.
	Qualifies = "qualifies"
	// Rejected: the lower bound is above the target.
	Rejected = "rejected"
	// Undecided: the bounds straddle the target after MaxSeeds seeds.
	Undecided = "undecided"
	// NotNeeded: a candidate ranked before it qualified, so it ran only the first batch.
	NotNeeded = "not needed"
	// Ineligible: its guard is below the analytic bound (or it misses the unavailability
	// target), so no number of seeds would make it the recommendation.
	Ineligible = "ineligible"
)

// RateVerdict is what a candidate's seeds say about the rate target: its violating
// seeds of its seeds, the rate's one-sided bounds at Confidence, the decision, and how
// many seeds in all would decide it if its rate stayed as observed (0: none would).
type RateVerdict struct {
	ViolatingSeeds int     `json:"violating_seeds"`
	Seeds          int     `json:"seeds"`
	Rate           float64 `json:"rate"`
	Lower          float64 `json:"lower"`
	Upper          float64 `json:"upper"`
	Confidence     float64 `json:"confidence"`
	Decision       string  `json:"decision"`
	SeedsToDecide  int     `json:"seeds_to_decide"`
}

// verdict bounds k violating seeds of n against the target.
func (t RateTarget) verdict(k, n int) RateVerdict {
	iv := stats.ClopperPearson(k, n, t.Confidence)
	v := RateVerdict{ViolatingSeeds: k, Seeds: n, Lower: iv.Lower, Upper: iv.Upper, Confidence: t.Confidence,
		SeedsToDecide: stats.SeedsToDecide(k, n, "<=", t.MaxRate, t.Confidence)}
	if n > 0 {
		v.Rate = float64(k) / float64(n)
	}
	switch stats.Decide(iv, "<=", t.MaxRate) {
	case stats.Shown:
		v.Decision = Qualifies
	case stats.Refuted:
		v.Decision = Rejected
	default:
		v.Decision = Undecided
	}
	return v
}

// nextSeeds is how many seeds in all a candidate undecided after n seeds runs next:
// twice as many, but no more than would decide it at the observed rate, and at most
// the cap.
func (t RateTarget) nextSeeds(v RateVerdict) int {
	next := max(2*v.Seeds, 1)
	if v.SeedsToDecide > v.Seeds {
		next = min(next, v.SeedsToDecide)
	}
	return min(next, t.MaxSeeds)
}

// batchFunc runs count more seeds of candidate i, those after the ones it has run, and
// returns what each showed, in seed order.
type batchFunc func(ctx context.Context, i, count int) ([]sample, error)

// decide adds seeds to the candidate (index i) until the target decides it or it has
// run t.MaxSeeds, and records the verdict.
func (t RateTarget) decide(ctx context.Context, p *Point, i int, run batchFunc) error {
	for {
		v := t.verdict(p.Violations, p.Seeds)
		if v.Decision != Undecided || p.Seeds >= t.MaxSeeds {
			p.Rate = &v
			return nil
		}
		more, err := run(ctx, i, t.nextSeeds(v)-p.Seeds)
		if err != nil {
			return err
		}
		p.add(more)
	}
}

// decideAll decides the eligible candidates in the order of preference (rank) until one
// qualifies and still meets the unavailability target over all its seeds; that one is
// returned (nil when none qualifies). Every candidate gets a verdict.
func (t RateTarget) decideAll(ctx context.Context, points []*Point, target float64, run batchFunc) (*Point, error) {
	index := map[*Point]int{}
	for i, p := range points {
		index[p] = i
	}
	var rec *Point
	for _, p := range rank(points, target, false) {
		if rec != nil {
			v := t.verdict(p.Violations, p.Seeds)
			v.Decision = NotNeeded
			p.Rate = &v
			continue
		}
		if err := t.decide(ctx, p, index[p], run); err != nil {
			return nil, err
		}
		if p.Rate.Decision == Qualifies && eligible(p, target) {
			rec = p
		}
	}
	for _, p := range points {
		if p.Rate == nil {
			v := t.verdict(p.Violations, p.Seeds)
			v.Decision = Ineligible
			p.Rate = &v
		}
	}
	return rec, nil
}

// closest returns the candidate nearest to qualifying, for saying why none did: the
// least upper bound among those decided or undecided (nil when none was).
func closest(points []*Point) *Point {
	var out *Point
	for _, p := range points {
		if p.Rate == nil || (p.Rate.Decision != Rejected && p.Rate.Decision != Undecided) {
			continue
		}
		if out == nil || p.Rate.Upper < out.Rate.Upper {
			out = p
		}
	}
	return out
}

// undecided says whether some eligible candidate was left undecided at the cap.
func undecided(points []*Point) bool {
	for _, p := range points {
		if p.Rate != nil && p.Rate.Decision == Undecided {
			return true
		}
	}
	return false
}
