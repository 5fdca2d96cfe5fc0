package checker

import (
	"cmp"
	"slices"
	"time"

	"github.com/anishathalye/porcupine"
)

// Kind names the property a finding is about (docs/semantics.md).
type Kind string

// The properties the checker verifies.
const (
	P1 Kind = "p1" // exclusivity: no two holders claim the same lease at the same time
	P2 Kind = "p2" // data safety: accepted writes never go back to an older epoch
	P3 Kind = "p3" // issuer linearizability: client operations fit the sequential spec
	P4 Kind = "p4" // status agreement: a node declared failed (or whose key lease expired) has stopped claiming it
)

// Finding is one violation of a property, located in true time.
//
// Holders names the nodes involved: for P1 the distinct holders that overlapped, sorted;
// for P2 the stale writer then the writer of the newer epoch; for P3 the clients whose
// operations could not be linearized; for P4 the node declared failed (or whose lease,
// named by Lease, expired) then the issuer that decided it. From and To bound the window (see each check for its exact meaning);
// To is history.Forever when the window never closed. Detail is one sentence for people.
type Finding struct {
	Kind    Kind     `json:"kind"`
	Lease   string   `json:"lease,omitempty"`
	Holders []string `json:"holders"`
	From    int64    `json:"from"`
	To      int64    `json:"to"`
	Detail  string   `json:"detail"`
}

// Verdict is the outcome of checking one history.
type Verdict string

// The verdicts, in increasing order of severity.
const (
	// Ok: every checked property holds.
	Ok Verdict = "ok"
	// Violated: at least one finding.
	Violated Verdict = "violated"
	// Unknown: no finding, but a check could not decide (a porcupine timeout).
	Unknown Verdict = "unknown"
)

// CheckStatus says whether a property was checked.
type CheckStatus string

// The states of one property's check.
const (
	Checked   CheckStatus = "checked" // the check ran to completion
	Skipped   CheckStatus = "skipped" // the check did not run (nothing to check, or disabled)
	Undecided CheckStatus = "unknown" // the check ran but could not decide (timeout)
)

// PropertyCheck describes how one property was checked: its status, the method, how many items
// (claims, writes, operations, statuses) it examined, how many porcupine partitions it
// used, and a note for people (why it was skipped, what porcupine said).
type PropertyCheck struct {
	Status     CheckStatus `json:"status"`
	Method     string      `json:"method"`
	Items      int         `json:"items"`
	Partitions int         `json:"partitions,omitempty"`
	Note       string      `json:"note,omitempty"`
}

// Checks says, per property, which checks ran and how.
type Checks struct {
	P1 PropertyCheck `json:"p1"`
	P2 PropertyCheck `json:"p2"`
	P3 PropertyCheck `json:"p3"`
	P4 PropertyCheck `json:"p4"`
	// Liveness is set when the liveness property was checked (Options.RecoversWithin).
	Liveness *PropertyCheck `json:"liveness,omitempty"`
}

// Result is the checker's answer for one history: the verdict, the findings in a
// deterministic order (see SortFindings), the availability metrics and how each
// property was checked.
type Result struct {
	Verdict  Verdict   `json:"verdict"`
	Findings []Finding `json:"findings"`
	Metrics  Metrics   `json:"metrics"`
	Checks   Checks    `json:"checks"`
}

// Violated reports whether the result has a finding of kind k.
func (r Result) Violated(k Kind) bool {
	for _, f := range r.Findings {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// Options tune a Check.
type Options struct {
	// PorcupineTimeout bounds each porcupine run; 0 is unlimited. P1 makes one run over
	// the partitions where the sweep found no overlap and one over those where it did
	// (plus one more only to locate a disagreement); P3 makes one. It is wall-clock time, measured by porcupine itself: a timeout
	// makes that check undecided and the verdict Unknown unless something is violated.
	PorcupineTimeout time.Duration
	// OpModel is the porcupine model of the protocol's client API, used for P3 over the
	// history's Ops. The model receives each history.Op as both its input and its output
	// (Operation{Input: op, Output: op}): it reads the call fields as the input and the
	// result fields as the output. nil: P3 is not checked.
	OpModel *porcupine.Model
	// SkipPorcupine turns off every porcupine check: P1 is then checked by the sweep
	// alone and P3 is skipped.
	SkipPorcupine bool
	// RecoversWithin, when > 0, checks liveness (liveness.go): after the last fault has
	// healed, no stretch without a holder lasts longer than this. The run must end with a
	// fault-free tail for that to mean anything; 0: liveness is not checked.
	RecoversWithin time.Duration
}

// SortFindings orders findings deterministically and stably: by From, then Kind, then
// Holders (lexicographically), then Lease, To and Detail.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, compareFindings)
}

func compareFindings(a, b Finding) int {
	if c := cmp.Compare(a.From, b.From); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := slices.Compare(a.Holders, b.Holders); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Lease, b.Lease); c != 0 {
		return c
	}
	if c := cmp.Compare(a.To, b.To); c != 0 {
		return c
	}
	return cmp.Compare(a.Detail, b.Detail)
}
