package checker

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// p1Cross is the outcome of checking P1 with porcupine against the sweep's overlaps.
type p1Cross struct {
	status     CheckStatus // Checked, or Undecided when porcupine timed out
	partitions int
	illegal    int       // partitions porcupine found not linearizable
	findings   []Finding // disagreements between the sweep and porcupine
}

// crossCheckP1 checks P1 independently with porcupine over the lock model and compares,
// partition by partition, with the sweep: a partition must be non-linearizable exactly
// when an overlap window of the sweep meets it. Each disagreement is a finding (a
// checker bug, says its Detail).
//
// The partitions go to porcupine in batches of about p1BatchOps operations, in order, and
// each batch's operations are dropped before the next is made: porcupine holds every
// operation of a run (and several times as much of its own) until the run ends, which for
// a 1M-claim history was 1.4 GB. Within a batch, the partitions the sweep expects to be
// linearizable are checked in one porcupine run (which stops at the first illegal
// partition); those it expects not to be are checked in a verbose run that examines each
// of them. Only when a disagreement is possible does it look closer. Each porcupine run
// gets the whole timeout. maxOps is p1Partitions' size floor: Check uses p1PartitionOps;
// 0 compares segment by segment (finest, for tests).
func crossCheckP1(h *history.History, overlaps []overlap, timeout time.Duration, maxOps int) p1Cross {
	return crossCheckP1Batched(h, overlaps, timeout, maxOps, p1BatchOps)
}

// p1BatchOps is the number of operations above which crossCheckP1 closes a batch.
const p1BatchOps = 1 << 15

func crossCheckP1Batched(h *history.History, overlaps []overlap, timeout time.Duration, maxOps, batchOps int) p1Cross {
	parts := p1Plan(h, maxOps)
	out := p1Cross{status: Checked, partitions: len(parts)}
	expect := make([]bool, len(parts)) // the sweep expects an illegal partition
	for _, o := range overlaps {
		i, found := findPart(parts, o.lease, o.from)
		if !found {
			out.findings = append(out.findings, Finding{Kind: P1, Lease: o.lease, Holders: nonNil(o.holders), From: o.from, To: o.to,
				Detail: fmt.Sprintf("checker bug: the sweep found an overlap on %s at %s outside every porcupine partition", o.lease, formatTime(o.from))})
			continue
		}
		// A window is maximal over instants, so it may run on across a cut (two holders
		// hand over to two others at one instant): every partition it meets is illegal.
		for ; i < len(parts) && parts[i].lease == o.lease && parts[i].from < o.to; i++ {
			expect[i] = true
		}
	}
	clients := &p1Clients{}
	for lo := 0; lo < len(parts); {
		hi, n := lo, 0
		for hi < len(parts) && (hi == lo || n < batchOps) {
			n += 2 * len(parts[hi].spans)
			hi++
		}
		ops := p1Ops(h, parts[lo:hi], lo, clients, false)
		out.checkBatch(h, parts, lo, hi, ops, expect, timeout)
		lo = hi
	}
	return out
}

// checkBatch checks parts[lo:hi], whose operations are ops, and adds what it finds to x.
func (x *p1Cross) checkBatch(h *history.History, parts []p1Part, lo, hi int, ops []porcupine.Operation, expect []bool, timeout time.Duration) {
	var good, bad []int
	for i := lo; i < hi; i++ {
		if expect[i] {
			bad = append(bad, i)
		} else {
			good = append(good, i)
		}
	}

	// The partitions the sweep found clean, together.
	if len(good) > 0 {
		res := porcupine.CheckOperationsTimeout(lockModel(func(p int) bool { return !expect[p] }), ops, timeout)
		if res == porcupine.Illegal {
			// Find which: a verbose run examines every partition.
			var illegal []bool
			res, illegal = illegalParts(parts, ops, good, timeout)
			for k, i := range good {
				if illegal[k] {
					x.illegal++
					x.findings = append(x.findings, disagreement(h, parts[i], "porcupine found no order in which the claims are exclusive, but the sweep found no overlap"))
				}
			}
		}
		if res == porcupine.Unknown {
			x.status = Undecided
		}
	}

	// The partitions with overlaps, each examined.
	if len(bad) > 0 {
		res, illegal := illegalParts(parts, ops, bad, timeout)
		if res == porcupine.Unknown {
			x.status = Undecided
		} else {
			for k, i := range bad {
				if illegal[k] {
					x.illegal++
				} else {
					x.findings = append(x.findings, disagreement(h, parts[i], "the sweep found an overlap, but porcupine linearized the claims as an exclusive lock"))
				}
			}
		}
	}
}

// findPart returns the partition of lease that contains time t (parts are sorted by
// lease, then time).
func findPart(parts []p1Part, lease string, t int64) (int, bool) {
	n, _ := slices.BinarySearchFunc(parts, t, func(p p1Part, t int64) int {
		if c := cmp.Compare(p.lease, lease); c != 0 {
			return c
		}
		if p.from <= t {
			return -1
		}
		return 1
	})
	i := n - 1
	if i < 0 || parts[i].lease != lease || t < parts[i].from || t >= parts[i].to {
		return 0, false
	}
	return i, true
}

// illegalParts runs porcupine verbosely over the chosen partitions (which, ascending)
// and says, for each, whether it was not linearizable: no partial linearization covers
// all its operations. The answer is meaningful only when the result is not Unknown.
func illegalParts(parts []p1Part, ops []porcupine.Operation, which []int, timeout time.Duration) (porcupine.CheckResult, []bool) {
	chosen := make(map[int]bool, len(which))
	for _, i := range which {
		chosen[i] = true
	}
	res, info := porcupine.CheckOperationsVerbose(lockModel(func(p int) bool { return chosen[p] }), ops, timeout)
	illegal := make([]bool, len(which))
	if res == porcupine.Unknown {
		return res, illegal
	}
	partials := info.PartialLinearizations()
	for k, i := range which {
		n := parts[i].hi - parts[i].lo
		complete := false
		if k < len(partials) {
			for _, lin := range partials[k] {
				if len(lin) == n {
					complete = true
					break
				}
			}
		}
		illegal[k] = !complete
	}
	return res, illegal
}

// disagreement reports a partition where the sweep and porcupine disagree.
func disagreement(h *history.History, p p1Part, what string) Finding {
	var holders []string
	for _, idx := range p.claims {
		holders = append(holders, h.Claims[idx].Holder)
	}
	slices.Sort(holders)
	holders = slices.Compact(holders)
	return Finding{Kind: P1, Lease: p.lease, Holders: nonNil(holders), From: p.from, To: p.to,
		Detail: fmt.Sprintf("checker bug: on %s between %s and %s, %s", p.lease, formatTime(p.from), formatTime(p.to), what)}
}

// nonNil returns s, or an empty slice for nil (so JSON says [] rather than null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
