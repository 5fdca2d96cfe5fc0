package live

import (
	"strings"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// Verdicts of a trial: the checker's verdicts, read with belief overlaps expected.
const (
	VerdictOK       = string(checker.Ok)       // no judged finding (belief overlaps may exist)
	VerdictViolated = string(checker.Violated) // the checker found an effective overlap or another judged finding
	VerdictUnknown  = string(checker.Unknown)  // no judged finding, but a check could not decide
)

// Window is one of the checker's findings on a trial's timeline (ns since the trial
// started), as the live output presents it.
type Window struct {
	// Kind is the property of the checker's finding ("p1" for a belief overlap, "p2" for
	// an effective overlap).
	Kind checker.Kind `json:"kind"`
	// Holders are the finding's holders: for a belief overlap the holders that overlapped,
	// sorted; for an effective overlap the stale writer, then the writer of the newer
	// epoch it landed behind.
	Holders []string `json:"holders"`
	// From and To bound the finding (for an effective overlap, the first and the last
	// stale write: From == To for a single one); MS is To - From in milliseconds.
	From int64   `json:"from"`
	To   int64   `json:"to"`
	MS   float64 `json:"ms"`
	// Detail is the checker's sentence about it.
	Detail string `json:"detail"`
}

// Judgement is the checker's result on a live trial, presented: which findings are the
// belief overlaps that etcd's client is expected to produce, which are real problems,
// and the trial's verdict.
type Judgement struct {
	// Verdict is VerdictViolated when EffectiveOverlaps or Other is not empty;
	// otherwise VerdictUnknown when the checker could not decide a property (or said
	// unknown), else VerdictOK.
	Verdict string
	// BeliefOverlaps are the checker's P1 findings: windows when two holders both
	// believed they led. Expected with etcd's client under partitions and pauses, and
	// harmless when writes are fenced; reported, not judged.
	BeliefOverlaps []Window
	// EffectiveOverlaps are the checker's P2 findings: etcd accepted a write of an older
	// epoch after one of a newer epoch (a stale leader's write landing). A real bug.
	EffectiveOverlaps []Window
	// Other are the checker's remaining findings (P3, P4, and P1 findings that report a
	// disagreement inside the checker): judged like effective overlaps.
	Other []Window
}

// Judge presents the checker's result on a live trial that ended at end. It checks
// nothing itself: every window is one of res.Findings, and the verdict is the checker's
// with its belief overlaps (P1 sweep windows) exempted. It never returns nil slices.
func Judge(res checker.Result, end int64) Judgement {
	j := Judgement{BeliefOverlaps: []Window{}, EffectiveOverlaps: []Window{}, Other: []Window{}}
	for _, f := range res.Findings {
		w := windowOf(f, end)
		switch {
		case IsBeliefOverlap(f):
			j.BeliefOverlaps = append(j.BeliefOverlaps, w)
		case f.Kind == checker.P2:
			j.EffectiveOverlaps = append(j.EffectiveOverlaps, w)
		default:
			j.Other = append(j.Other, w)
		}
	}
	switch {
	case len(j.EffectiveOverlaps)+len(j.Other) > 0:
		j.Verdict = VerdictViolated
	case res.Verdict == checker.Unknown || res.Checks.P1.Status == checker.Undecided || res.Checks.P3.Status == checker.Undecided:
		j.Verdict = VerdictUnknown
	default:
		j.Verdict = VerdictOK
	}
	return j
}

// checkerBug starts the Detail of the P1 findings in which the checker's porcupine
// cross-check disagrees with its sweep: those are not belief overlaps but a fault of the
// checker, and are judged.
const checkerBug = "checker bug"

// IsBeliefOverlap reports whether a finding of the checker on a live history is a belief
// overlap: a P1 window of its sweep (not a disagreement inside the checker).
func IsBeliefOverlap(f checker.Finding) bool {
	return f.Kind == checker.P1 && !strings.HasPrefix(f.Detail, checkerBug)
}

// windowOf presents a finding; a window still open at the trial's end (To Forever or
// past end) is cut there.
func windowOf(f checker.Finding, end int64) Window {
	to := f.To
	if to == history.Forever || (end > f.From && to > end) {
		to = max(end, f.From)
	}
	holders := append([]string{}, f.Holders...)
	return Window{Kind: f.Kind, Holders: holders, From: f.From, To: to, MS: float64(to-f.From) / 1e6, Detail: f.Detail}
}
