package sim

import (
	"unsafe"

	"github.com/leasesim/leasesim/history"
)

// openClaim is a lease a node currently believes it holds. The kernel keeps the claim's
// deadline as the holder's own clock reading and schedules its end at the exact true time
// that reading is reached, rescheduling whenever the holder's clock changes.
type openClaim struct {
	active  bool
	gen     uint32
	lease   string
	epoch   uint64
	from    int64
	clock   ClockKind
	until   int64 // the deadline, on clock
	forever bool  // no deadline: ends only by release, crash or the run's end
	// pendingAt is the true time of the claim-end event queued for this claim (under
	// gen), 0 when none is. Renewals usually move a deadline later; rather than queue a
	// new event for every renewal, the queued one is kept, and when it fires before the
	// deadline it is queued again for the deadline then in force.
	pendingAt int64
}

// claim records that p believes it holds lease under epoch until its clock reads until
// (or forever). A claim on a lease p already holds under the same epoch is a renewal: it
// moves the deadline. Under a new epoch, the old claim ends now and a new one starts.
func (s *Sim) claim(p *proc, lease string, epoch uint64, k ClockKind, until int64, forever bool) {
	i := p.claimOf(lease)
	if i >= 0 && !forever {
		// The common renewal: the same epoch and clock, a deadline no earlier. The claim's
		// end event is queued for a true time after now and no later than the old
		// deadline's, hence than the new one's, so it stays, and the deadline's true time
		// (at > now) is not needed.
		if c := &p.claims[i]; c.epoch == epoch && c.clock == k && !c.forever && until >= c.until && c.pendingAt > s.now {
			c.until = until
			return
		}
	}
	if i >= 0 && p.claims[i].epoch != epoch {
		s.closeClaim(p, i, history.EndReplaced)
		i = -1
	}
	var at int64 // the deadline's true time
	if !forever {
		if at = p.clock.trueAt(k, until, s.now); at <= s.now {
			// The deadline has passed already: the holder does not believe it holds it.
			if i >= 0 {
				s.closeClaim(p, i, history.EndDeadline)
			}
			return
		}
	}
	if i < 0 {
		i = p.openSlot()
		c := &p.claims[i]
		c.active, c.lease, c.epoch, c.from = true, lease, epoch, s.now
		if p.claimIndex != nil {
			p.claimIndex[lease] = int32(i)
		}
	}
	c := &p.claims[i]
	c.clock, c.until, c.forever = k, until, forever
	s.queueClaimEnd(p, i, at)
}

// claimIndexFrom is the number of claim slots from which a node keeps its active claims
// indexed by lease. Most nodes hold one or two leases, which a scan finds sooner than a
// map; a node holding a lease per key (etcd-keys-own-leases: hundreds) renews one of
// them at almost every step.
const claimIndexFrom = 8

// claimOf returns the slot of p's active claim on lease, or -1.
func (p *proc) claimOf(lease string) int {
	if p.claimIndex != nil {
		if i, ok := p.claimIndex[lease]; ok {
			return int(i)
		}
		return -1
	}
	for j := range p.claims {
		if c := &p.claims[j]; c.active && sameString(c.lease, lease) {
			return j
		}
	}
	return -1
}

// sameString reports whether a == b, without a call when both are the same string in
// memory: a node passes the same lease name (a constant, or a string it built once) on
// every renewal.
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// openSlot returns the first inactive claim slot of p, adding one when all are active
// (and starting the index when p has claimIndexFrom slots).
func (p *proc) openSlot() int {
	from := 0
	if p.claimIndex != nil {
		from = p.firstFree
	}
	for j := from; j < len(p.claims); j++ {
		if !p.claims[j].active {
			p.firstFree = j + 1
			return j
		}
	}
	p.claims = append(p.claims, openClaim{})
	i := len(p.claims) - 1
	p.firstFree = len(p.claims)
	if p.claimIndex == nil && len(p.claims) >= claimIndexFrom {
		p.firstFree = 0 // slots below may have been freed before the index
		p.claimIndex = make(map[string]int32, 2*len(p.claims))
		for j := range p.claims {
			if p.claims[j].active {
				p.claimIndex[p.claims[j].lease] = int32(j)
			}
		}
	}
	return i
}

func (s *Sim) scheduleClaimEnd(p *proc, i int) {
	c := &p.claims[i]
	var at int64
	if !c.forever {
		at = p.clock.trueAt(c.clock, c.until, s.now)
	}
	s.queueClaimEnd(p, i, at)
}

// queueClaimEnd makes sure an event is queued for claim i's end, at the true time at of
// its deadline (ignored for a claim without one).
func (s *Sim) queueClaimEnd(p *proc, i int, at int64) {
	c := &p.claims[i]
	if c.forever {
		c.gen++
		c.pendingAt = 0
		return
	}
	if c.pendingAt != 0 && c.pendingAt <= at {
		return // the queued event fires first and re-queues itself for the new deadline
	}
	c.gen++
	c.pendingAt = at
	s.q.push(at, evBody{kind: evClaimEnd, node: p.id, slot: int32(i), gen: c.gen})
}

// claimEndDue handles a claim-end event of claim i that is still current: it reports
// whether the deadline is reached now, and otherwise queues the event again for the
// deadline in force.
func (s *Sim) claimEndDue(p *proc, i int) bool {
	c := &p.claims[i]
	at := p.clock.trueAt(c.clock, c.until, s.now)
	if at <= s.now {
		c.pendingAt = 0
		return true
	}
	c.pendingAt = at
	s.q.push(at, evBody{kind: evClaimEnd, node: p.id, slot: int32(i), gen: c.gen})
	return false
}

// rescheduleClaims recomputes claim ends after p's clock changed (drift or step). A claim
// whose deadline the clock has now passed ends at once.
func (s *Sim) rescheduleClaims(p *proc) {
	for i := range p.claims {
		c := &p.claims[i]
		if !c.active || c.forever {
			continue
		}
		if p.clock.read(c.clock, s.now) >= c.until {
			s.closeClaim(p, i, history.EndDeadline)
			continue
		}
		s.scheduleClaimEnd(p, i)
	}
}

// release ends p's claim on lease, if it has one (a node has at most one active claim
// per lease: claim replaces the old one under a new epoch).
func (s *Sim) release(p *proc, lease string) {
	if i := p.claimOf(lease); i >= 0 {
		s.closeClaim(p, i, history.EndRelease)
	}
}

func (s *Sim) closeClaim(p *proc, i int, why history.EndReason) {
	c := &p.claims[i]
	c.active = false
	if p.claimIndex != nil {
		delete(p.claimIndex, c.lease)
		p.firstFree = min(p.firstFree, i)
	}
	c.gen++
	c.pendingAt = 0
	if s.now <= c.from {
		return // an empty interval: nothing was believed for any time
	}
	clk := c.clock.String()
	if c.forever {
		clk = ""
	}
	s.hist.Claims = append(s.hist.Claims, history.Claim{
		Holder: p.spec.Name, Lease: c.lease, Epoch: c.epoch,
		From: c.from, To: s.now, End: why, Clock: clk,
	})
}

// leaderOf returns the holder that claims lease now: the one whose current claim started
// first when several do (the incumbent), NoNode when none does.
func (s *Sim) leaderOf(lease string) NodeID {
	best, bestFrom := NoNode, int64(0)
	for _, h := range s.holders {
		p := s.proc(h)
		for _, c := range p.claims {
			if c.active && c.lease == lease && (best == NoNode || c.from < bestFrom) {
				best, bestFrom = h, c.from
			}
		}
	}
	return best
}
