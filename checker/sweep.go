package checker

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/leasesim/leasesim/history"
)

// overlap is one maximal window [from, to) during which at least two distinct holders
// claimed the same lease.
type overlap struct {
	lease   string
	from    int64
	to      int64
	holders []string // sorted
	claims  []int32  // indices into History.Claims of (some of) the claims involved
}

// maxClaimsPerOverlap caps how many claims an overlap remembers for its Detail.
const maxClaimsPerOverlap = 256

// sweepClaim is a claim reduced to what the sweep needs, with interned names.
type sweepClaim struct {
	from, to int64
	lease    int32
	holder   int32
	idx      int32 // index into History.Claims
}

// sweepP1 finds every maximal window in which two or more distinct holders have a claim
// on the same lease. Claims are half-open, so claims that touch (one ends at t, the next
// starts at t) do not overlap; claims of the same holder never conflict with each other
// (renewals, a new epoch replacing the old); empty claims are ignored.
//
// It sorts the claims by (lease, from) and sweeps each lease with a min-heap of the
// active claims' ends and a per-holder count of active claims: O(n log n) time, O(n)
// memory. It returns the windows in order of lease name then time, and the number of
// claims examined.
func sweepP1(h *history.History) ([]overlap, int) {
	leases, holders := newInterner(), newInterner()
	sc := make([]sweepClaim, 0, len(h.Claims))
	var lastLease, lastHolder string
	var lastLeaseID, lastHolderID int32 = -1, -1
	for i := range h.Claims {
		c := &h.Claims[i]
		if !claimCounts(c, &h.Meta) {
			continue
		}
		// Runs of equal names are the common case; skip the map for them.
		if lastLeaseID < 0 || c.Lease != lastLease {
			lastLease, lastLeaseID = c.Lease, leases.id(c.Lease)
		}
		if lastHolderID < 0 || c.Holder != lastHolder {
			lastHolder, lastHolderID = c.Holder, holders.id(c.Holder)
		}
		sc = append(sc, sweepClaim{from: c.From, to: claimEnd(c, &h.Meta), lease: lastLeaseID, holder: lastHolderID, idx: int32(i)})
	}
	// Sort leases by name so the output order does not depend on the input order.
	leaseRank := rankNames(leases.names)
	slices.SortFunc(sc, func(a, b sweepClaim) int {
		if a.lease != b.lease {
			return cmp.Compare(leaseRank[a.lease], leaseRank[b.lease])
		}
		if a.from != b.from {
			return cmp.Compare(a.from, b.from)
		}
		return cmp.Compare(a.idx, b.idx)
	})
	s := &sweeper{
		claims:    sc,
		holders:   holders.names,
		count:     make([]int32, len(holders.names)),
		activePos: make([]int32, len(holders.names)),
		mark:      make([]int32, len(holders.names)),
	}
	for i := range s.mark {
		s.mark[i] = -1
	}
	for lo := 0; lo < len(sc); {
		hi := lo
		for hi < len(sc) && sc[hi].lease == sc[lo].lease {
			hi++
		}
		s.lease = leases.names[sc[lo].lease]
		s.sweepLease(lo, hi)
		lo = hi
	}
	return s.out, len(sc)
}

// rankNames returns, for each id, the rank of its name in sorted order.
func rankNames(names []string) []int32 {
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(names[a], names[b]) })
	rank := make([]int32, len(names))
	for r, id := range order {
		rank[id] = int32(r)
	}
	return rank
}

// sweeper holds the state of the sweep of one lease at a time.
type sweeper struct {
	claims  []sweepClaim
	holders []string
	lease   string

	ends      []int32 // min-heap of indices into claims, keyed by to
	count     []int32 // per holder: active claims
	active    []int32 // holders with count > 0
	activePos []int32 // per holder: its position in active
	distinct  int

	open    bool // a window is in progress
	closing bool // a window closed at closeAt; a start at closeAt may reopen it
	closeAt int64
	cur     overlap
	mark    []int32 // per holder: the serial of the last window it was added to
	serial  int32

	out []overlap
}

func (s *sweeper) sweepLease(lo, hi int) {
	for i := lo; i < hi; i++ {
		from := s.claims[i].from
		// Half-open intervals: a claim ending at t is gone before one starting at t.
		for len(s.ends) > 0 && s.claims[s.ends[0]].to <= from {
			s.end(s.pop())
		}
		s.start(int32(i))
	}
	for len(s.ends) > 0 {
		s.end(s.pop())
	}
	if s.closing {
		s.finish()
	}
}

func (s *sweeper) start(i int32) {
	c := &s.claims[i]
	if s.closing && c.from > s.closeAt {
		s.finish()
	}
	s.push(i)
	if s.count[c.holder] == 0 {
		s.activePos[c.holder] = int32(len(s.active))
		s.active = append(s.active, c.holder)
		s.distinct++
	}
	s.count[c.holder]++
	switch {
	case s.open:
		s.addHolder(c.holder)
		s.addClaim(c.idx)
	case s.distinct >= 2:
		if s.closing {
			// The window closed at this very instant and reopens now (a holder's claim
			// ended where its next began): it is one window.
			s.closing = false
		} else {
			s.serial++
			s.cur = overlap{lease: s.lease, from: c.from}
		}
		s.open = true
		for _, h := range s.active {
			s.addHolder(h)
		}
		for _, j := range s.ends {
			s.addClaim(s.claims[j].idx)
		}
	}
}

// finish records the window that closed at closeAt.
func (s *sweeper) finish() {
	s.closing = false
	slices.Sort(s.cur.holders)
	s.out = append(s.out, s.cur)
	s.cur = overlap{}
}

func (s *sweeper) end(i int32) {
	c := &s.claims[i]
	s.count[c.holder]--
	if s.count[c.holder] > 0 {
		return
	}
	// Remove the holder from active by swapping in the last one.
	p := s.activePos[c.holder]
	last := s.active[len(s.active)-1]
	s.active[p] = last
	s.activePos[last] = p
	s.active = s.active[:len(s.active)-1]
	s.distinct--
	if s.open && s.distinct < 2 {
		// Closed, unless a claim starting at this same instant reopens it.
		s.open, s.closing, s.closeAt = false, true, c.to
		s.cur.to = c.to
	}
}

func (s *sweeper) addHolder(h int32) {
	if s.mark[h] != s.serial {
		s.mark[h] = s.serial
		s.cur.holders = append(s.cur.holders, s.holders[h])
	}
}

func (s *sweeper) addClaim(idx int32) {
	if len(s.cur.claims) < maxClaimsPerOverlap {
		s.cur.claims = append(s.cur.claims, idx)
	}
}

// push and pop maintain s.ends as a binary min-heap ordered by claim end, then index
// (a total order, so the sweep is deterministic).
func (s *sweeper) less(a, b int32) bool {
	ca, cb := &s.claims[a], &s.claims[b]
	if ca.to != cb.to {
		return ca.to < cb.to
	}
	return a < b
}

func (s *sweeper) push(i int32) {
	s.ends = append(s.ends, i)
	j := len(s.ends) - 1
	for j > 0 {
		p := (j - 1) / 2
		if !s.less(s.ends[j], s.ends[p]) {
			break
		}
		s.ends[j], s.ends[p] = s.ends[p], s.ends[j]
		j = p
	}
}

func (s *sweeper) pop() int32 {
	top := s.ends[0]
	n := len(s.ends) - 1
	s.ends[0] = s.ends[n]
	s.ends = s.ends[:n]
	j := 0
	for {
		l := 2*j + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && s.less(s.ends[r], s.ends[l]) {
			m = r
		}
		if !s.less(s.ends[m], s.ends[j]) {
			break
		}
		s.ends[j], s.ends[m] = s.ends[m], s.ends[j]
		j = m
	}
	return top
}

// p1Finding turns an overlap into a finding whose Detail names each holder with the
// epochs of its claims inside the window.
func p1Finding(h *history.History, o overlap) Finding {
	epochs := map[string][]uint64{}
	for _, idx := range o.claims {
		c := &h.Claims[idx]
		if c.From < o.to && claimEnd(c, &h.Meta) > o.from {
			epochs[c.Holder] = append(epochs[c.Holder], c.Epoch)
		}
	}
	parts := make([]string, len(o.holders))
	for i, name := range o.holders {
		es := epochs[name]
		slices.Sort(es)
		es = slices.Compact(es)
		switch {
		case len(es) == 0:
			parts[i] = name
		case len(es) > 4:
			parts[i] = fmt.Sprintf("%s (epochs %d–%d)", name, es[0], es[len(es)-1])
		default:
			parts[i] = fmt.Sprintf("%s (%s)", name, epochList(es))
		}
	}
	who := joinAnd(parts)
	verb := "both claimed"
	if len(o.holders) > 2 {
		verb = "all claimed"
	}
	var detail string
	switch {
	case o.to == history.Forever:
		detail = fmt.Sprintf("%s %s %s from %s on, with no end", who, verb, o.lease, formatTime(o.from))
	case h.Meta.End > h.Meta.Start && o.to >= h.Meta.End:
		detail = fmt.Sprintf("%s %s %s for %s from %s until the run ended", who, verb, o.lease, formatDur(o.to-o.from), formatTime(o.from))
	default:
		detail = fmt.Sprintf("%s %s %s for %s from %s", who, verb, o.lease, formatDur(o.to-o.from), formatTime(o.from))
	}
	return Finding{Kind: P1, Lease: o.lease, Holders: append([]string{}, o.holders...), From: o.from, To: o.to, Detail: detail}
}
