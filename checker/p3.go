package checker

import (
	"fmt"
	"slices"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// checkP3 checks the client operations against the protocol's sequential specification
// with porcupine. Each history.Op becomes Operation{ClientId: the client's index among the
// clients in name order, Input: op, Output: op, Call, Return}; a pending operation's
// Return is history.Forever (math.MaxInt64), which porcupine treats as pending.
//
// When porcupine finds the history not linearizable it reports one finding per failing
// partition of the model (all of them when the model has no Partition): the window is the
// first operation, by call time, that the longest partial linearization of that partition
// (of several equally long, the one with the smallest sequence of operation indices)
// could not place: [its Call, its Return]; Holders are the clients of the operations of the
// partition that were never linearized. It returns the findings and porcupine's result.
func checkP3(h *history.History, model porcupine.Model, timeout time.Duration) ([]Finding, porcupine.CheckResult) {
	clients := map[string]int{}
	var names []string
	for _, op := range h.Ops {
		if _, ok := clients[op.Client]; !ok {
			clients[op.Client] = 0
			names = append(names, op.Client)
		}
	}
	slices.Sort(names)
	for i, n := range names {
		clients[n] = i
	}
	ops := make([]porcupine.Operation, len(h.Ops))
	for i, op := range h.Ops {
		ops[i] = porcupine.Operation{ClientId: clients[op.Client], Input: op, Output: op, Call: op.Call, Return: op.Return}
	}
	res, info := porcupine.CheckOperationsVerbose(model, ops, timeout)
	if res != porcupine.Illegal {
		return nil, res
	}
	partitions := [][]porcupine.Operation{ops}
	if model.Partition != nil {
		partitions = model.Partition(ops)
	}
	partials := info.PartialLinearizations()
	var out []Finding
	for p, part := range partitions {
		if p >= len(partials) {
			break
		}
		done := make([]bool, len(part))
		longest := 0
		var best []int
		// porcupine returns the partial linearizations in map order: take the longest,
		// ties broken by the smallest sequence of operation ids, so the finding is the
		// same on every run.
		for _, lin := range partials[p] {
			if len(lin) > longest || (len(lin) == longest && best != nil && slices.Compare(lin, best) < 0) {
				longest, best = len(lin), lin
			}
		}
		if longest == len(part) {
			continue // this partition is linearizable
		}
		for _, id := range best {
			if id >= 0 && id < len(done) {
				done[id] = true
			}
		}
		first := -1
		holders := map[string]bool{}
		for i, d := range done {
			if d {
				continue
			}
			in := part[i].Input.(history.Op)
			holders[in.Client] = true
			if first < 0 || part[i].Call < part[first].Call {
				first = i
			}
		}
		if first < 0 {
			continue
		}
		stuck := part[first].Input.(history.Op)
		var who []string
		for c := range holders {
			who = append(who, c)
		}
		slices.Sort(who)
		describe := fmt.Sprintf("%s", stuck.Method)
		if model.DescribeOperation != nil {
			describe = model.DescribeOperation(stuck, stuck)
		}
		out = append(out, Finding{Kind: P3, Holders: nonNil(who), From: stuck.Call, To: stuck.Return,
			Detail: fmt.Sprintf("the client operations are not linearizable: after %d of %d operations in order, no legal order places %s by %s (called at %s, %s)",
				longest, len(part), describe, stuck.Client, formatTime(stuck.Call), returned(stuck.Return))})
	}
	if len(out) == 0 {
		// Porcupine said Illegal but the partitions could not be matched: report it whole.
		out = append(out, Finding{Kind: P3, Holders: []string{}, From: h.Meta.Start, To: h.Meta.End,
			Detail: fmt.Sprintf("the %d client operations are not linearizable", len(ops))})
	}
	return out, res
}

func returned(t int64) string {
	if t == history.Forever {
		return "never returned"
	}
	return "returned at " + formatTime(t)
}
