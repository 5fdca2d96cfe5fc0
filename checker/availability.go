package checker

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leasesim/leasesim/history"
)

// Metrics are the availability and load figures of one run (docs/semantics.md), measured on the
// lease Meta.LeaseName() over the observed window [Meta.Start, Meta.End).
//
// The system is unavailable at t when no holder has a claim on the measured lease while
// at least one live holder wants it. A holder is live inside its Up intervals; one with no
// Up record is live for the whole window. The holders are Meta.Holders, or when that is
// empty, every holder named by an Up record or a claim on the measured lease.
type Metrics struct {
	// UnavailableFraction is UnavailableNs / (End - Start); 0 for an empty window.
	UnavailableFraction float64 `json:"unavailable_fraction"`
	// UnavailableNs is the total unavailable time.
	UnavailableNs int64 `json:"unavailable_ns"`
	// MaxGapNs is the longest contiguous unavailable stretch; MaxGapFrom is when the
	// first such stretch began (0 when there is none).
	MaxGapNs   int64 `json:"max_gap_ns"`
	MaxGapFrom int64 `json:"max_gap_from"`
	// LeaderChanges counts how often the holder claiming the measured lease changed to a
	// different holder, claims taken in order of start; the first acquisition does not
	// count, nor does a holder taking the lease again after a gap in which nobody held it.
	LeaderChanges int `json:"leader_changes"`
	// Events and Messages are copied from the history's Meta.
	Events   int64 `json:"events"`
	Messages int64 `json:"messages"`
	// IssuerMsgsPerSec is Meta.IssuerMessages per second of the window.
	IssuerMsgsPerSec float64 `json:"issuer_msgs_per_sec"`
	// KeysUnavailableFraction is the mean, over the leases named under
	// history.KeysPrefix that were ever claimed, of the fraction of the time from the
	// lease's first claim to the window's end in which nobody claimed it: the keys'
	// unavailability once they were first registered (their start-up is not counted, as
	// it depends on the start, not on the design). 0 when there are none.
	KeysUnavailableFraction float64 `json:"keys_unavailable_fraction,omitempty"`
	// KeyLeases counts those leases.
	KeyLeases int `json:"key_leases,omitempty"`
	// Recoveries has one entry per fault of the history, in the history's order.
	Recoveries []Recovery `json:"recoveries"`
	// Failovers has one entry per crash of a holder that held the measured lease, in
	// the history's order (see Failover).
	Failovers []Failover `json:"failovers,omitempty"`
	// RejectedWrites counts the writes the resource rejected; AcceptedStaleWrites the
	// writes it accepted under an epoch older than one it had accepted before (P2's).
	RejectedWrites      int `json:"rejected_writes,omitempty"`
	AcceptedStaleWrites int `json:"accepted_stale_writes,omitempty"`
}

// Recovery is how long the measured lease took to be held again after one fault.
//
// The fault's window is [Start, End) clipped to the observed window, or the instant
// Start for an instantaneous fault (End <= Start). The fault caused unavailability
// (Caused) when the system was unavailable at some instant of that window; UnavailableAt
// is the first such instant — possibly Start itself, when an earlier gap was still open.
// HeldAgainAt is the first instant at or after UnavailableAt at which some holder claims
// the lease again; when that never happens before Meta.End, Recovered is false and
// HeldAgainAt is Meta.End. RecoveryNs = HeldAgainAt - Start (from the fault's start) and
// AfterEndNs = max(0, HeldAgainAt - End) (from the fault's end; how long the damage
// outlived the fault). When Caused is false, UnavailableAt, HeldAgainAt, RecoveryNs and
// AfterEndNs are 0 and Recovered is true: the fault cost no availability.
type Recovery struct {
	Fault         string   `json:"fault"`
	Nodes         []string `json:"nodes"`
	Start         int64    `json:"start"`
	End           int64    `json:"end"`
	Caused        bool     `json:"caused"`
	UnavailableAt int64    `json:"unavailable_at"`
	HeldAgainAt   int64    `json:"held_again_at"`
	Recovered     bool     `json:"recovered"`
	RecoveryNs    int64    `json:"recovery_ns"`
	AfterEndNs    int64    `json:"after_end_ns"`
}

// Unavailability returns the stretches of the observed window during which the system
// was unavailable (see Metrics), sorted and disjoint.
func Unavailability(h *history.History) []Interval {
	return availability(h).unavailable
}

// avail is the availability picture of a run.
type avail struct {
	held        []Interval // someone claims the measured lease
	wanted      []Interval // some live holder wants it
	unavailable []Interval // wanted and not held
}

func availability(h *history.History) avail {
	m := &h.Meta
	if m.End <= m.Start {
		return avail{}
	}
	lease := m.LeaseName()
	var held []Interval
	for i := range h.Claims {
		c := &h.Claims[i]
		if c.Lease == lease && claimCounts(c, m) {
			held = append(held, Interval{c.From, claimEnd(c, m)})
		}
	}
	held = clip(union(held), m.Start, m.End)

	holders := map[string]bool{}
	for _, name := range m.Holders {
		holders[name] = true
	}
	if len(holders) == 0 {
		for _, u := range h.Up {
			holders[u.Holder] = true
		}
		for i := range h.Claims {
			if h.Claims[i].Lease == lease {
				holders[h.Claims[i].Holder] = true
			}
		}
	}
	hasUp := map[string]bool{}
	var wanted []Interval
	for _, u := range h.Up {
		if holders[u.Holder] {
			hasUp[u.Holder] = true
			wanted = append(wanted, Interval{u.From, u.To})
		}
	}
	for name := range holders {
		if !hasUp[name] {
			wanted = []Interval{{m.Start, m.End}}
			break
		}
	}
	wanted = clip(union(wanted), m.Start, m.End)
	return avail{held: held, wanted: wanted, unavailable: subtract(wanted, held)}
}

// computeMetrics computes the availability metrics of a history.
func computeMetrics(h *history.History) Metrics {
	m := &h.Meta
	out := Metrics{Events: m.Events, Messages: m.Messages, Recoveries: []Recovery{}}
	a := availability(h)
	for _, u := range a.unavailable {
		d := u.To - u.From
		out.UnavailableNs += d
		if d > out.MaxGapNs {
			out.MaxGapNs, out.MaxGapFrom = d, u.From
		}
	}
	if window := m.End - m.Start; window > 0 {
		out.UnavailableFraction = float64(out.UnavailableNs) / float64(window)
		out.IssuerMsgsPerSec = float64(m.IssuerMessages) / (float64(window) / 1e9)
	}
	out.KeysUnavailableFraction, out.KeyLeases = keysUnavailable(h)
	out.LeaderChanges = leaderChanges(h)
	for _, f := range h.Faults {
		out.Recoveries = append(out.Recoveries, recovery(m, a, f))
	}
	out.Failovers = failovers(h)
	out.RejectedWrites, out.AcceptedStaleWrites = writeCounts(h)
	return out
}

// keysUnavailable is the mean unavailable fraction of the key leases and their number.
func keysUnavailable(h *history.History) (float64, int) {
	m := &h.Meta
	if m.End <= m.Start {
		return 0, 0
	}
	held := map[string][]Interval{}
	for i := range h.Claims {
		c := &h.Claims[i]
		if strings.HasPrefix(c.Lease, history.KeysPrefix) && claimCounts(c, m) {
			held[c.Lease] = append(held[c.Lease], Interval{c.From, claimEnd(c, m)})
		}
	}
	if len(held) == 0 {
		return 0, 0
	}
	// Sum in lease-name order: float addition is not associative, so map order would
	// change the last digits from run to run.
	names := make([]string, 0, len(held))
	for name := range held {
		names = append(names, name)
	}
	slices.Sort(names)
	var sum float64
	n := 0
	for _, name := range names {
		u := clip(union(held[name]), m.Start, m.End)
		if len(u) == 0 {
			continue
		}
		var covered int64
		for _, x := range u {
			covered += x.To - x.From
		}
		n++
		sum += 1 - float64(covered)/float64(m.End-u[0].From)
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

// leaderChanges counts changes of the holder claiming the measured lease (see Metrics).
func leaderChanges(h *history.History) int {
	lease := h.Meta.LeaseName()
	// By start, ties in history order: a stable sort, made of integer keys (a stable sort
	// through an index took a fifth of a 1M-claim check).
	type start struct {
		from int64
		idx  int
	}
	var idx []start
	for i := range h.Claims {
		c := &h.Claims[i]
		if c.Lease == lease && claimCounts(c, &h.Meta) {
			idx = append(idx, start{c.From, i})
		}
	}
	slices.SortFunc(idx, func(a, b start) int {
		if a.from != b.from {
			return cmp.Compare(a.from, b.from)
		}
		return cmp.Compare(a.idx, b.idx)
	})
	changes := 0
	for k := 1; k < len(idx); k++ {
		if h.Claims[idx[k].idx].Holder != h.Claims[idx[k-1].idx].Holder {
			changes++
		}
	}
	return changes
}

// recovery measures one fault (see Recovery).
func recovery(m *history.Meta, a avail, f history.Fault) Recovery {
	r := Recovery{Fault: f.Kind, Nodes: nonNil(append([]string(nil), f.Nodes...)), Start: f.From, End: f.To, Recovered: true}
	if m.End <= m.Start {
		return r
	}
	from, to := max(f.From, m.Start), min(f.To, m.End)
	var u int64
	caused := false
	if f.To <= f.From {
		// An instant: unavailable exactly then?
		if t, ok := firstAtOrAfter(a.unavailable, from); ok && t == from && from < m.End {
			u, caused = from, true
		}
	} else if t, ok := firstAtOrAfter(a.unavailable, from); ok && t < to {
		u, caused = t, true
	}
	if !caused {
		return r
	}
	r.Caused, r.UnavailableAt = true, u
	held, ok := firstAtOrAfter(a.held, u)
	if !ok {
		held, r.Recovered = m.End, false
	}
	r.HeldAgainAt = held
	r.RecoveryNs = held - f.From
	r.AfterEndNs = max(0, held-max(f.To, f.From))
	return r
}
