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
	// held is the state "held once by Holder", shared by the operations of one p1Ops
	// call: a step into it allocates nothing (porcupine steps millions of times on a
	// large history). Nil: Step makes one.
	held *lockState
}

// lockState is the state of one lease in the lock model: who holds it and how many of
// its stretches are outstanding (at most one, as p1Partitions joins a holder's
// overlapping claims; the count keeps the model right for any input). The zero value is
// a free lock.
type lockState struct {
	Holder string
	Count  int
}

// freeLock is the free state. Porcupine's states are *lockState, never changed once made.
var freeLock = &lockState{}

// lockModel is the sequential specification of an exclusive lock per lease: Acquire
// succeeds when the lock is free (or, reentrantly, already held by the same holder),
// Release when the releasing holder holds it. Its inputs are *lockInput, outputs are nil,
// states *lockState.
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
				if include(p[0].Input.(*lockInput).Part) {
					kept = append(kept, p)
				}
			}
			return kept
		},
		Init: func() interface{} { return freeLock },
		Step: func(state, input, _ interface{}) (bool, interface{}) {
			st, in := state.(*lockState), input.(*lockInput)
			if in.Acquire {
				switch {
				case st.Count == 0 && in.held != nil:
					return true, in.held
				case st.Count == 0 || st.Holder == in.Holder:
					return true, &lockState{Holder: in.Holder, Count: st.Count + 1}
				}
				return false, st
			}
			if st.Count == 0 || st.Holder != in.Holder {
				return false, st
			}
			if st.Count == 1 {
				return true, freeLock
			}
			return true, &lockState{Holder: st.Holder, Count: st.Count - 1}
		},
		Equal: func(a, b interface{}) bool { return *a.(*lockState) == *b.(*lockState) },
		DescribeOperation: func(input, _ interface{}) string {
			in := input.(*lockInput)
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
			st := state.(*lockState)
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
		p := ops[i].Input.(*lockInput).Part
		if i > 0 && p == ops[i-1].Input.(*lockInput).Part {
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
		p := op.Input.(*lockInput).Part
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
	claims   []int32  // indices into History.Claims, by start
	spans    []p1Span // its holders' stretches, by start: an Acquire and a Release each
	lo, hi   int      // its operations are ops[lo:hi] of the operations made with it
}

// p1Span is one stretch of holding: a holder's claims joined where they overlap or touch.
type p1Span struct {
	from, to int64
	holder   int32   // the holder's rank by name
	claims   []int32 // indices into History.Claims, by start
}

// p1Clients numbers holders as porcupine clients, in order of first appearance among
// the operations.
type p1Clients struct {
	byRank []int // client id + 1 by holder rank (0: none yet)
	n      int
}

func (c *p1Clients) id(rank int32) int {
	for int(rank) >= len(c.byRank) {
		c.byRank = append(c.byRank, 0)
	}
	if c.byRank[rank] == 0 {
		c.n++
		c.byRank[rank] = c.n
	}
	return c.byRank[rank] - 1
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
	parts := p1Plan(h, maxOps)
	return parts, p1Ops(h, parts, 0, &p1Clients{}, describe)
}

// p1Plan is the partitioning of p1Partitions without the operations, which p1Ops makes
// for some of the parts at a time.
func p1Plan(h *history.History, maxOps int) []p1Part {
	// A claim by its start, holder (ranked by name) and index: 16 bytes, compared as
	// integers, for the sort below (1M claims).
	type ref struct {
		from   int64
		holder int32
		idx    int32
	}
	holderIDs := newInterner()
	byLease := map[string][]ref{}
	n := 0
	for i := range h.Claims {
		c := &h.Claims[i]
		if claimCounts(c, &h.Meta) {
			byLease[c.Lease] = append(byLease[c.Lease], ref{c.From, holderIDs.id(c.Holder), int32(i)})
			n++
		}
	}
	rank := rankNames(holderIDs.names)
	for _, refs := range byLease {
		for k := range refs {
			refs[k].holder = rank[refs[k].holder]
		}
	}
	end := func(r ref) int64 { return claimEnd(&h.Claims[r.idx], &h.Meta) }
	leases := make([]string, 0, len(byLease))
	for l := range byLease {
		leases = append(leases, l)
	}
	slices.Sort(leases)
	// Parts and spans refer to these by offset until they are complete.
	type partAt struct {
		p             p1Part
		sLo, sHi, cLo int
	}
	var plan []partAt
	type spanAt struct {
		from, to int64
		holder   int32
		cLo, cHi int
	}
	var spanList []spanAt
	claims := make([]int32, 0, n)
	// stretch is a holder's joined claims refs[lo:hi] (refs sorted by holder, start).
	type stretch struct {
		from, to int64
		lo, hi   int
	}
	for _, lease := range leases {
		refs := byLease[lease]
		delete(byLease, lease)
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
				spans[n-1].to = max(spans[n-1].to, end(r))
				spans[n-1].hi = k + 1
				continue
			}
			spans = append(spans, stretch{r.from, end(r), k, k + 1})
		}
		slices.SortFunc(spans, func(a, b stretch) int {
			if a.from != b.from {
				return cmp.Compare(a.from, b.from)
			}
			return cmp.Compare(a.lo, b.lo)
		})
		var cur *partAt
		var maxEnd int64
		for _, sp := range spans {
			cut := cur == nil || sp.from >= maxEnd
			if cut && (cur == nil || 2*(len(spanList)-cur.sLo) >= maxOps) {
				plan = append(plan, partAt{p: p1Part{lease: lease, from: sp.from}, sLo: len(spanList), cLo: len(claims)})
				cur = &plan[len(plan)-1]
				maxEnd = sp.to
			}
			maxEnd = max(maxEnd, sp.to)
			cur.p.to = maxEnd
			cLo := len(claims)
			for k := sp.lo; k < sp.hi; k++ {
				claims = append(claims, refs[k].idx)
			}
			spanList = append(spanList, spanAt{sp.from, sp.to, refs[sp.lo].holder, cLo, len(claims)})
			cur.sHi = len(spanList)
		}
	}
	all := make([]p1Span, len(spanList))
	for i, sp := range spanList {
		all[i] = p1Span{from: sp.from, to: sp.to, holder: sp.holder, claims: claims[sp.cLo:sp.cHi:sp.cHi]}
	}
	parts := make([]p1Part, len(plan))
	for i, pa := range plan {
		parts[i] = pa.p
		parts[i].spans = all[pa.sLo:pa.sHi:pa.sHi]
		cHi := len(claims)
		if pa.sHi > pa.sLo {
			cHi = spanList[pa.sHi-1].cHi
		}
		parts[i].claims = claims[pa.cLo:cHi:cHi]
	}
	return parts
}

// p1Ops makes the lock-model operations of parts, which are the parts of p1Plan from
// index base on, and sets each part's lo and hi to its range in the result. clients gives
// the client ids (pass the same one for every call on one plan, in order, so that each
// holder keeps its id).
func p1Ops(h *history.History, parts []p1Part, base int, clients *p1Clients, describe bool) []porcupine.Operation {
	n := 0
	for i := range parts {
		n += 2 * len(parts[i].spans)
	}
	ops := make([]porcupine.Operation, 0, n)
	inputs := make([]lockInput, 0, n) // the operations' inputs, by pointer: no box each
	var held []*lockState             // by holder rank
	for i := range parts {
		p := &parts[i]
		p.lo = len(ops)
		for _, sp := range p.spans {
			first, last := &h.Claims[sp.claims[0]], &h.Claims[sp.claims[len(sp.claims)-1]]
			client := clients.id(sp.holder)
			var meta interface{}
			if describe {
				meta = claimsMetadata(h, sp.claims)
			}
			for int(sp.holder) >= len(held) {
				held = append(held, nil)
			}
			if held[sp.holder] == nil {
				held[sp.holder] = &lockState{Holder: first.Holder, Count: 1}
			}
			in := lockInput{Lease: p.lease, Holder: first.Holder, Epoch: first.Epoch, LastEpoch: last.Epoch, Acquire: true, Part: base + i, held: held[sp.holder]}
			out := in
			out.Acquire = false
			inputs = append(inputs, in, out)
			ops = append(ops,
				porcupine.Operation{ClientId: client, Call: sp.from, Return: sp.from, Metadata: meta, Input: &inputs[len(inputs)-2]},
				porcupine.Operation{ClientId: client, Call: sp.to, Return: sp.to, Metadata: meta, Input: &inputs[len(inputs)-1]})
		}
		p.hi = len(ops)
	}
	return ops
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
