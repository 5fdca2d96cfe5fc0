package live

import (
	"fmt"
	"math"
	"strings"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/stats"
)

// Rate is K of N trials with exact (Clopper–Pearson) bounds on the rate, the same bounds
// the suite gives every property (stats.ClopperPearson): Low and High are each a
// one-sided bound at Confidence (result.DefaultConfidence, 95%) — the true rate is at
// most High with 95% confidence, and at least Low with 95% confidence.
type Rate struct {
	K          int     `json:"k"`
	N          int     `json:"n"`
	Low        float64 `json:"low"`
	High       float64 `json:"high"`
	Confidence float64 `json:"confidence"`
}

// RateOf returns k of n trials with their bounds at result.DefaultConfidence. The bounds
// stay inside [0, 1] and are not empty at k = 0 or k = n: with 0 of 20 violating trials
// the true rate may still be up to 14%. With n = 0 they are [0, 1].
func RateOf(k, n int) Rate {
	iv := stats.ClopperPearson(k, n, result.DefaultConfidence)
	return Rate{K: k, N: n, Low: iv.Lower, High: iv.Upper, Confidence: iv.Confidence}
}

// String is "K/N (bounds lo–hi% at 95%)", the bounds printed as the suite prints them:
// two significant digits, rounded outward (result.PercentDown, result.PercentUp), so
// that a printed bound still holds: 1 of 4 is "1/4 (bounds 1.2–76% at 95%)".
func (r Rate) String() string {
	return fmt.Sprintf("%s/%s (bounds %s–%s at %s)", result.Thousands(r.K), result.Thousands(r.N),
		strings.TrimSuffix(result.PercentDown(r.Low), "%"), result.PercentUp(r.High), result.Percent(r.Confidence))
}

// Summary sums up trials (or simulated runs) of one plan, from the checker's results:
// how often and how wide the belief overlaps were, the failover gaps after a crash of the
// holder that held the lease, the effective overlaps and the fenced writes refused.
type Summary struct {
	// Source says what ran: "real etcd" or "simulated etcd model".
	Source string `json:"source"`
	Trials int    `json:"trials"`
	// Violating are the trials with a judged finding (Judge: anything but a belief
	// overlap); Undecided those the checker could not decide.
	Violating Rate `json:"violating"`
	Undecided int  `json:"undecided"`
	// BeliefOverlap are the trials with at least one belief overlap; MaxBeliefOverlapMS
	// the widest, MeanBeliefOverlapMS the mean width of all of them.
	BeliefOverlap       Rate    `json:"belief_overlap"`
	BeliefOverlaps      int     `json:"belief_overlaps"`
	MaxBeliefOverlapMS  float64 `json:"max_belief_overlap_ms"`
	MeanBeliefOverlapMS float64 `json:"mean_belief_overlap_ms"`
	// EffectiveOverlaps counts the P2 findings (fenced: none) and the trials with one.
	EffectiveOverlaps Rate `json:"effective_overlap"`
	// Failovers counts the crashes of a holder that held the lease after which another
	// held it; MinFailoverMS and MaxFailoverMS bound their gaps.
	Failovers     int     `json:"failovers"`
	MinFailoverMS float64 `json:"min_failover_gap_ms"`
	MaxFailoverMS float64 `json:"max_failover_gap_ms"`
	// MaxGapMS is the longest unavailable stretch of any trial.
	MaxGapMS float64 `json:"max_gap_ms"`
	// RejectedWrites counts the writes the fence refused; AcceptedStaleWrites those it let
	// through under an older epoch (P2's).
	RejectedWrites      int `json:"rejected_writes"`
	AcceptedStaleWrites int `json:"accepted_stale_writes"`
	// LeaderChanges sums the checker's leader changes.
	LeaderChanges int `json:"leader_changes"`
	// Other counts the other judged findings by property ("p3", "p4"): with etcd's Go
	// client the simulator reports P4 where the client believes past the issuer's
	// expiry, which a live trial cannot see (etcd's expiry time is not recorded).
	Other map[string]int `json:"other,omitempty"`
}

// Summarize sums up the checker's results of trials (or runs) that each ended at the
// matching ends[i] (ns), judged as live trials are (Judge).
func Summarize(source string, results []checker.Result, ends []int64) Summary {
	s := Summary{Source: source, Trials: len(results), MinFailoverMS: math.Inf(1)}
	violating, overlapping, effective := 0, 0, 0
	var widths float64
	for i, res := range results {
		j := Judge(res, ends[i])
		switch j.Verdict {
		case VerdictViolated:
			violating++
		case VerdictUnknown:
			s.Undecided++
		}
		if len(j.BeliefOverlaps) > 0 {
			overlapping++
		}
		for _, w := range j.BeliefOverlaps {
			s.BeliefOverlaps++
			widths += w.MS
			s.MaxBeliefOverlapMS = max(s.MaxBeliefOverlapMS, w.MS)
		}
		if len(j.EffectiveOverlaps) > 0 {
			effective++
		}
		for _, w := range j.Other {
			if s.Other == nil {
				s.Other = map[string]int{}
			}
			s.Other[string(w.Kind)]++
		}
		m := res.Metrics
		for _, f := range m.Failovers {
			if !f.Recovered {
				continue
			}
			s.Failovers++
			ms := float64(f.GapNs) / 1e6
			s.MinFailoverMS, s.MaxFailoverMS = min(s.MinFailoverMS, ms), max(s.MaxFailoverMS, ms)
		}
		s.MaxGapMS = max(s.MaxGapMS, float64(m.MaxGapNs)/1e6)
		s.RejectedWrites += m.RejectedWrites
		s.AcceptedStaleWrites += m.AcceptedStaleWrites
		s.LeaderChanges += m.LeaderChanges
	}
	if s.Failovers == 0 {
		s.MinFailoverMS = 0
	}
	if s.BeliefOverlaps > 0 {
		s.MeanBeliefOverlapMS = widths / float64(s.BeliefOverlaps)
	}
	s.Violating = RateOf(violating, len(results))
	s.BeliefOverlap = RateOf(overlapping, len(results))
	s.EffectiveOverlaps = RateOf(effective, len(results))
	return s
}
