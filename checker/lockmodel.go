package checker

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// lockInput is the input of one operation of the P1 lock model: a holder acquiring or
// releasing a lease. Part is the porcupine partition the operation belongs to.
type lockInput struct {
	Lease     string
	Holder    string
	Epoch     uint64 // of the first claim of the stretch
	LastEpoch uint64 // of the last claim of the stretch
	Acquire   bool
	Part      int
}

// lockState is the state of one lease in the lock model: who holds it and how many of
// its stretches are outstanding (at most one, as p1Partitions joins a holder's
// overlapping claims; the count keeps the model right for any input). The zero value is
// a free lock.
type lockState struct {
	Holder string
	Count  int
}

// lockModel is the sequential specification of an exclusive lock per lease: Acquire
// succeeds when the lock is free (or, reentrantly, already held by the same holder),
// Release when the releasing holder holds it. Its inputs are lockInput, outputs are nil.
//
// A claim [From, To) is an Acquire operation [From, From] and a Release operation
// [To, To] (after p1Partitions joins a holder's overlapping claims into one stretch). Porcupine's intervals are closed, so a Release at t and another holder's
// Acquire at t are concurrent and may be linearized either way, Release first: claims
// that touch at t do not conflict, exactly as half-open claims do not overlap.
//
// Partition groups the operations by lockInput.Part, in order of first appearance, and
// keeps the parts for which include returns true (all of them when include is nil); the
// producer (p1Partitions) chooses parts so that each is one lease and starts and ends
// with the lock free and nothing pending.
func lockModel(include func(part int) bool) porcupine.Model {
	return porcupine.Model{
		Partition: func(ops []porcupine.Operation) [][]porcupine.Operation {
			parts := partitionByPart(ops)
			if include == nil {
				return parts
			}
			kept := parts[:0]
			for _, p := range parts {
				if include(p[0].Input.(lockInput).Part) {
					kept = append(kept, p)
				}
			}
			return kept
		},
		Init: func() interface{} { return lockState{} },
		Step: func(state, input, _ interface{}) (bool, interface{}) {
			st, in := state.(lockState), input.(lockInput)
			if in.Acquire {
				if st.Count == 0 || st.Holder == in.Holder {
					return true, lockState{Holder: in.Holder, Count: st.Count + 1}
				}
				return false, st
			}
			if st.Count == 0 || st.Holder != in.Holder {
				return false, st
			}
			if st.Count == 1 {
				return true, lockState{}
			}
			return true, lockState{Holder: st.Holder, Count: st.Count - 1}
		},
		DescribeOperation: func(input, _ interface{}) string {
			in := input.(lockInput)
			verb := "releases"
			if in.Acquire {
				verb = "acquires"
			}
			if in.LastEpoch != in.Epoch {
				return fmt.Sprintf("%s %s %s (epochs %d–%d)", in.Holder, verb, in.Lease, in.Epoch, in.LastEpoch)
			}
			return fmt.Sprintf("%s %s %s (epoch %d)", in.Holder, verb, in.Lease, in.Epoch)
		},
		DescribeState: func(state interface{}) string {
			st := state.(lockState)
			switch st.Count {
			case 0:
				return "free"
			case 1:
				return "held by " + st.Holder
			}
			return fmt.Sprintf("held by %s (%d claims)", st.Holder, st.Count)
		},
	}
}

// partitionByPart groups operations by lockInput.Part, in order of first appearance.
// When each part's operations are contiguous (as p1Partitions makes them) the
// partitions are subslices of ops, with no copy.
func partitionByPart(ops []porcupine.Operation) [][]porcupine.Operation {
	var out [][]porcupine.Operation
	seen := map[int]bool{}
	lo := 0
	for i := range ops {
		p := ops[i].Input.(lockInput).Part
		if i > 0 && p == ops[i-1].Input.(lockInput).Part {
			continue
		}
		if seen[p] {
			return partitionByPartCopy(ops)
		}
		seen[p] = true
		if i > lo {
			out = append(out, ops[lo:i:i])
		}
		lo = i
	}
	if len(ops) > lo {
		out = append(out, ops[lo:])
	}
	return out
}

func partitionByPartCopy(ops []porcupine.Operation) [][]porcupine.Operation {
	index := map[int]int{}
	var out [][]porcupine.Operation
	for _, op := range ops {
		p := op.Input.(lockInput).Part
		i, ok := index[p]
		if !ok {
			i = len(out)
			index[p] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], op)
	}
	return out
}

// p1Part is one porcupine partition of the P1 cross-check: operations of one lease
// covering [from, to), where the lock is free at from and at to.
type p1Part struct {
	lease    string
	from, to int64
	claims   []int32 // indices into History.Claims, by start
	lo, hi   int     // its operations are ops[lo:hi] of p1Partitions' result
}

// p1PartitionOps is the size (in operations) above which p1Partitions starts a new
// partition at the next cut. Porcupine's search costs O(n²) in a partition of n
// operations (STYLE.md), so partitions stay small; merging tiny segments keeps the
// number of partitions (one goroutine each inside porcupine) small too.
const p1PartitionOps = 512

// p1Partitions turns the history's claims into lock-model operations. Per lease (leases
// in name order), the claims of each holder are first joined where they overlap or touch
// (a holder's renewals and re-grants are one stretch of holding, and joining them keeps
// porcupine from searching the orders of a holder's simultaneous claims); each stretch is
// an Acquire at its start and a Release at its end. The operations are partitioned per
// lease and cut where the lock is free and nothing is pending: between consecutive
// stretches (by start) where the next starts at or after every earlier one has ended.
// Consecutive segments are merged until a partition has at least maxOps operations
// (maxOps <= 0: every segment is its own partition). Empty claims are left out, as in the
// sweep. With describe, each operation carries a description of its claims as porcupine
// metadata, for the visualization.
func p1Partitions(h *history.History, maxOps int, describe bool) ([]p1Part, []porcupine.Operation) {
	type ref struct {
		from, to int64
		holder   string
		idx      int32
	}
	byLease := map[string][]ref{}
	for i := range h.Claims {
		c := &h.Claims[i]
		if claimCounts(c, &h.Meta) {
			byLease[c.Lease] = append(byLease[c.Lease], ref{c.From, claimEnd(c, &h.Meta), c.Holder, int32(i)})
		}
	}
	leases := make([]string, 0, len(byLease))
	for l := range byLease {
		leases = append(leases, l)
	}
	slices.Sort(leases)
	holderIDs := newInterner()
	var parts []p1Part
	ops := make([]porcupine.Operation, 0, 2*len(h.Claims))
	// stretch is a holder's joined claims refs[lo:hi] (refs sorted by holder, start).
	type stretch struct {
		from, to int64
		lo, hi   int
	}
	for _, lease := range leases {
		refs := byLease[lease]
		slices.SortFunc(refs, func(a, b ref) int {
			if a.holder != b.holder {
				return cmp.Compare(a.holder, b.holder)
			}
			if a.from != b.from {
				return cmp.Compare(a.from, b.from)
			}
			return cmp.Compare(a.idx, b.idx)
		})
		var spans []stretch
		for k, r := range refs {
			if n := len(spans); n > 0 && refs[spans[n-1].lo].holder == r.holder && r.from <= spans[n-1].to {
				spans[n-1].to = max(spans[n-1].to, r.to)
				spans[n-1].hi = k + 1
				continue
			}
			spans = append(spans, stretch{r.from, r.to, k, k + 1})
		}
		slices.SortFunc(spans, func(a, b stretch) int {
			if a.from != b.from {
				return cmp.Compare(a.from, b.from)
			}
			return cmp.Compare(a.lo, b.lo)
		})
		var cur *p1Part
		var maxEnd int64
		for _, sp := range spans {
			cut := cur == nil || sp.from >= maxEnd
			if cut && (cur == nil || cur.hi-cur.lo >= maxOps) {
				parts = append(parts, p1Part{lease: lease, from: sp.from, lo: len(ops), hi: len(ops)})
				cur = &parts[len(parts)-1]
				maxEnd = sp.to
			}
			maxEnd = max(maxEnd, sp.to)
			cur.to = maxEnd
			first, last := &h.Claims[refs[sp.lo].idx], &h.Claims[refs[sp.hi-1].idx]
			for k := sp.lo; k < sp.hi; k++ {
				cur.claims = append(cur.claims, refs[k].idx)
			}
			client := int(holderIDs.id(first.Holder))
			part := len(parts) - 1
			var meta interface{}
			if describe {
				var idx []int32
				for k := sp.lo; k < sp.hi; k++ {
					idx = append(idx, refs[k].idx)
				}
				meta = claimsMetadata(h, idx)
			}
			in := lockInput{Lease: lease, Holder: first.Holder, Epoch: first.Epoch, LastEpoch: last.Epoch, Acquire: true, Part: part}
			out := in
			out.Acquire = false
			ops = append(ops,
				porcupine.Operation{ClientId: client, Call: sp.from, Return: sp.from, Metadata: meta, Input: in},
				porcupine.Operation{ClientId: client, Call: sp.to, Return: sp.to, Metadata: meta, Input: out})
			cur.hi = len(ops)
		}
	}
	return parts, ops
}

// claimsMetadata describes the claims joined into one stretch, for the visualization's
// tooltips.
func claimsMetadata(h *history.History, idx []int32) string {
	var b strings.Builder
	for k, i := range idx {
		if k > 0 {
			b.WriteString("; ")
		}
		if k == 8 {
			fmt.Fprintf(&b, "… %d more", len(idx)-k)
			break
		}
		b.WriteString(claimMetadata(h, i))
	}
	return b.String()
}

// claimMetadata describes a claim for porcupine's visualization tooltips.
func claimMetadata(h *history.History, idx int32) string {
	c := &h.Claims[idx]
	clock := c.Clock
	if clock == "" {
		clock = "no"
	}
	return fmt.Sprintf("claim #%d: %s, epoch %d, [%s, %s), ended by %s, %s clock",
		idx, c.Holder, c.Epoch, formatTime(c.From), formatTime(claimEnd(c, &h.Meta)), c.End, clock)
}
