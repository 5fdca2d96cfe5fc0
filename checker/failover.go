package checker

import "github.com/leasesim/leasesim/history"

// Failover is how long the measured lease took to be held again after its holder
// crashed while holding it.
//
// A crash fault (Kind "crash") is a holder crash when its node had a claim on the
// measured lease (Meta.LeaseName()) that began before the crash and had not ended before
// it: From < At <= end of the claim (the crash itself ends the claim at At). Crashes of
// issuers, of holders that did not lead, and crashes outside the observed window are not
// failovers. HeldAgainAt is the first instant at or after the crash at which some holder
// — the crashed one after a restart included — claims the lease; when that never happens
// before Meta.End, Recovered is false and HeldAgainAt is Meta.End. GapNs is
// HeldAgainAt - At: the failover gap, what a protocol's failover bounds are about.
type Failover struct {
	Holder      string `json:"holder"`
	At          int64  `json:"at"`
	HeldAgainAt int64  `json:"held_again_at"`
	Recovered   bool   `json:"recovered"`
	GapNs       int64  `json:"gap_ns"`
}

// failovers returns one Failover per holder crash of the history, in the order of its
// faults (see Failover).
func failovers(h *history.History) []Failover {
	m := &h.Meta
	if m.End <= m.Start {
		return nil
	}
	lease := m.LeaseName()
	var out []Failover
	for _, f := range h.Faults {
		if f.Kind != "crash" || len(f.Nodes) != 1 || f.From < m.Start || f.From >= m.End {
			continue
		}
		node, at := f.Nodes[0], f.From
		led := false
		for i := range h.Claims {
			c := &h.Claims[i]
			if c.Holder == node && c.Lease == lease && claimCounts(c, m) && c.From < at && at <= claimEnd(c, m) {
				led = true
				break
			}
		}
		if !led {
			continue
		}
		var after []Interval
		for i := range h.Claims {
			c := &h.Claims[i]
			if c.Lease == lease && claimCounts(c, m) && (c.Holder != node || c.From >= at) {
				after = append(after, Interval{c.From, claimEnd(c, m)})
			}
		}
		fo := Failover{Holder: node, At: at, Recovered: true}
		held, ok := firstAtOrAfter(clip(union(after), m.Start, m.End), at)
		if !ok {
			held, fo.Recovered = m.End, false
		}
		fo.HeldAgainAt, fo.GapNs = held, held-at
		out = append(out, fo)
	}
	return out
}

// FailoverGaps returns the shortest and the longest failover gap of the metrics (see
// Failover) and whether there was any failover at all.
func (m Metrics) FailoverGaps() (shortest, longest int64, ok bool) {
	for i, f := range m.Failovers {
		if i == 0 || f.GapNs < shortest {
			shortest = f.GapNs
		}
		longest = max(longest, f.GapNs)
	}
	return shortest, longest, len(m.Failovers) > 0
}

// RecoveryAfterHeal returns the longest time, over the faults that caused
// unavailability, from the fault's end (its heal) until the lease was held again:
// the largest Recovery.AfterEndNs, 0 when no fault caused unavailability or the lease was
// always held again before the fault ended. A fault that never ends within the run (a
// crash with no restart) ends at Meta.End and counts 0 (see Recovery).
func (m Metrics) RecoveryAfterHeal() int64 {
	var worst int64
	for _, r := range m.Recoveries {
		if r.Caused {
			worst = max(worst, r.AfterEndNs)
		}
	}
	return worst
}
