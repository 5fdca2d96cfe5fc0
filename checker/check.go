package checker

import (
	"fmt"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// Check checks every property of a history and computes its metrics. It never fails:
// a property with nothing to check is marked skipped in Result.Checks, and a porcupine
// run that times out makes that check undecided (and the verdict Unknown unless
// something is violated).
func Check(h *history.History, opt Options) Result {
	if h == nil {
		h = &history.History{}
	}
	r := Result{Findings: []Finding{}}

	overlaps, claims := sweepP1(h)
	for _, o := range overlaps {
		r.Findings = append(r.Findings, p1Finding(h, o))
	}
	r.Checks.P1 = PropertyCheck{Status: Checked, Method: "sweep", Items: claims,
		Note: plural(len(overlaps), "overlap window")}
	switch {
	case claims == 0:
		r.Checks.P1 = PropertyCheck{Status: Skipped, Method: "sweep", Note: "no claims in the history"}
	case opt.SkipPorcupine:
		r.Checks.P1.Note += "; porcupine cross-check skipped by option"
	default:
		x := crossCheckP1(h, overlaps, opt.PorcupineTimeout, p1PartitionOps)
		r.Findings = append(r.Findings, x.findings...)
		r.Checks.P1.Method = "sweep+porcupine"
		r.Checks.P1.Partitions = x.partitions
		switch {
		case x.status == Undecided:
			r.Checks.P1.Status = Undecided
			r.Checks.P1.Note += fmt.Sprintf("; porcupine timed out after %v on %s", opt.PorcupineTimeout, plural(x.partitions, "partition"))
		case len(x.findings) > 0:
			r.Checks.P1.Note += fmt.Sprintf("; porcupine DISAGREES in %s (%d of %s not linearizable)", plural(len(x.findings), "place"), x.illegal, plural(x.partitions, "partition"))
		default:
			r.Checks.P1.Note += fmt.Sprintf("; porcupine agrees (%d of %s not linearizable)", x.illegal, plural(x.partitions, "partition"))
		}
	}

	p2, writes := checkP2(h)
	r.Findings = append(r.Findings, p2...)
	if writes == 0 {
		r.Checks.P2 = PropertyCheck{Status: Skipped, Method: "scan", Note: "no accepted writes in the history"}
	} else {
		r.Checks.P2 = PropertyCheck{Status: Checked, Method: "scan", Items: writes, Note: plural(len(p2), "stale-write group")}
	}

	r.Checks.P3 = PropertyCheck{Status: Skipped, Method: "porcupine", Items: len(h.Ops)}
	switch {
	case opt.OpModel == nil:
		r.Checks.P3.Note = "the protocol supplies no client-API model"
	case len(h.Ops) == 0:
		r.Checks.P3.Note = "no client operations in the history"
	case opt.SkipPorcupine:
		r.Checks.P3.Note = "porcupine skipped by option"
	case badOp(h) >= 0:
		i := badOp(h)
		r.Checks.P3.Status = Undecided
		r.Checks.P3.Note = fmt.Sprintf("op #%d (%s by %q) returns (return=%d) before its call (call=%d); not checked",
			i, h.Ops[i].Method, h.Ops[i].Client, h.Ops[i].Return, h.Ops[i].Call)
	default:
		p3, res := checkP3(h, *opt.OpModel, opt.PorcupineTimeout)
		r.Findings = append(r.Findings, p3...)
		r.Checks.P3.Status = Checked
		r.Checks.P3.Note = "porcupine: " + string(res)
		if res == porcupine.Unknown {
			r.Checks.P3.Status = Undecided
			r.Checks.P3.Note = fmt.Sprintf("porcupine timed out after %v", opt.PorcupineTimeout)
		}
	}

	p4, declared := checkP4(h)
	r.Findings = append(r.Findings, p4...)
	if declared == 0 {
		r.Checks.P4 = PropertyCheck{Status: Skipped, Method: "scan", Note: "no declared-failed statuses in the history"}
	} else {
		r.Checks.P4 = PropertyCheck{Status: Checked, Method: "scan", Items: declared, Note: plural(len(p4), "finding")}
	}

	if opt.RecoversWithin > 0 {
		live, pc := checkLiveness(h, availability(h), int64(opt.RecoversWithin))
		r.Findings = append(r.Findings, live...)
		r.Checks.Liveness = &pc
	}

	r.Metrics = computeMetrics(h)
	SortFindings(r.Findings)
	r.Verdict = Ok
	switch {
	case len(r.Findings) > 0:
		r.Verdict = Violated
	case r.Checks.P1.Status == Undecided || r.Checks.P3.Status == Undecided:
		r.Verdict = Unknown
	}
	return r
}

// badOp returns the index of the first operation that returns before it is called, or
// -1. Porcupine cannot order such an operation.
func badOp(h *history.History) int {
	for i, op := range h.Ops {
		if op.Return < op.Call {
			return i
		}
	}
	return -1
}
