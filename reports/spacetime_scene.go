package reports

import (
	"slices"
	"sort"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// spacetimeScene is what the space-time diagram of one finding shows, chosen from the
// history alone: the window that has the cause in view, the lanes, the holders' roles
// in the story, and the messages worth an arrow.
type spacetimeScene struct {
	f        checker.Finding
	from, to int64 // the window drawn, true time
	lease    string
	lanes    []string
	// stale is the holder (or, for P4, the node declared failed) whose belief outlived
	// what it relied on; other is the holder it overlapped (or the issuer, for P4).
	stale, other string
	staleClaim   *history.Claim
	otherClaim   *history.Claim
	// grant is the last message from an issuer that stale received before the finding
	// (nil when the history records none); request is the last message stale sent to that
	// issuer before the grant left.
	grant, request *history.Msg
	msgs           []history.Msg // drawn
	hidden         int           // in the window but not drawn (thinned)
	medianDelay    int64         // of the run's delivered messages, 0 when none
	clocks         map[string][]history.ClockPiece
	issuers        map[string]bool
	resource       string
}

// spacetimeMaxMsgs bounds the arrows of one diagram; spacetimeMinGap is the least
// horizontal distance, as a fraction of the window, between two drawn messages of one
// stream (sender, receiver, kind, delivered or not) that are not key messages.
const (
	spacetimeMaxMsgs = 160
	spacetimeMinGap  = 1.0 / 90
)

// newSpacetimeScene chooses what the diagram of finding f shows.
func newSpacetimeScene(h *history.History, f checker.Finding) *spacetimeScene {
	sc := &spacetimeScene{f: f, lease: f.Lease, clocks: map[string][]history.ClockPiece{},
		issuers: map[string]bool{}, resource: h.Meta.Resource}
	for _, q := range h.Meta.Issuers {
		sc.issuers[q] = true
	}
	for _, c := range h.Clocks {
		sc.clocks[c.Node] = append(sc.clocks[c.Node], c)
	}
	end := min(f.To, h.Meta.End)
	if sc.lease == "" && f.Kind == checker.P2 {
		sc.lease = h.Meta.LeaseName()
	}
	// The claims in the story: for P1 the earliest-started and latest-started claims
	// alive at the finding's start; for P2 the stale and newer writers' claims; for P4
	// the declared node's liveness claim.
	alive := func(holder string) *history.Claim {
		var best *history.Claim
		for i := range h.Claims {
			c := &h.Claims[i]
			if c.Lease == sc.lease && c.Holder == holder && c.From <= f.From && c.To > f.From {
				if best == nil || c.From > best.From {
					best = c
				}
			}
		}
		return best
	}
	switch f.Kind {
	case checker.P1:
		for _, who := range f.Holders {
			c := alive(who)
			if c == nil {
				continue
			}
			if sc.staleClaim == nil || c.From < sc.staleClaim.From {
				sc.staleClaim = c
			}
			if sc.otherClaim == nil || c.From > sc.otherClaim.From {
				sc.otherClaim = c
			}
		}
		if sc.staleClaim != nil {
			sc.stale, sc.other = sc.staleClaim.Holder, sc.otherClaim.Holder
		}
	case checker.P2, checker.P4:
		if len(f.Holders) >= 2 {
			sc.stale, sc.other = f.Holders[0], f.Holders[1]
			sc.staleClaim = alive(sc.stale)
			if f.Kind == checker.P2 {
				sc.otherClaim = alive(sc.other)
			}
		}
	}
	// The last grant stale relied on: the last message from an issuer it received
	// before the finding (since its claim started, when it has one).
	since := h.Meta.Start
	if sc.staleClaim != nil {
		since = sc.staleClaim.From
	}
	for i := range h.Msgs {
		m := &h.Msgs[i]
		if m.To == sc.stale && sc.issuers[m.From] && m.Dropped == "" && m.At <= f.From {
			if m.At >= since || sc.grant == nil {
				sc.grant = m
			}
		}
	}
	if sc.grant != nil {
		for i := range h.Msgs {
			m := &h.Msgs[i]
			if m.From == sc.stale && m.To == sc.grant.From && m.Dropped == "" && m.At <= sc.grant.Sent {
				sc.request = m
			}
		}
	}
	// The window: from the request (or grant, or claim start) to the end of the finding.
	start := f.From
	switch {
	case sc.request != nil:
		start = sc.request.Sent
	case sc.grant != nil:
		start = sc.grant.Sent
	case sc.staleClaim != nil:
		start = sc.staleClaim.From
	}
	if sc.otherClaim != nil && sc.otherClaim.From < start {
		start = sc.otherClaim.From
	}
	start = min(start, f.From)
	span := max(end-start, int64(1e6))
	sc.from = max(h.Meta.Start, start-span/20)
	sc.to = min(h.Meta.End, end+span/20)
	if sc.to <= sc.from {
		sc.to = sc.from + 1
	}
	sc.lanes = spacetimeLanes(h, sc)
	sc.pickMessages(h)
	return sc
}

// spacetimeLanes orders the lanes: issuers, then the holders in the finding (stale
// first), the other holders, and the resource when it took writes in the window.
func spacetimeLanes(h *history.History, sc *spacetimeScene) []string {
	var lanes []string
	add := func(n string) {
		if n != "" && !slices.Contains(lanes, n) {
			lanes = append(lanes, n)
		}
	}
	lanes = append(lanes, h.Meta.Issuers...)
	add(sc.stale)
	add(sc.other)
	for _, n := range sc.f.Holders {
		if !sc.issuers[n] {
			add(n)
		}
	}
	for _, n := range h.Meta.Holders {
		add(n)
	}
	if r := h.Meta.Resource; r != "" {
		for _, w := range h.Writes {
			if w.At >= sc.from && w.Sent <= sc.to {
				add(r)
				break
			}
		}
		for _, m := range h.Msgs {
			if (m.To == r || m.From == r) && m.At >= sc.from && m.Sent <= sc.to {
				add(r)
				break
			}
		}
	}
	return lanes
}

// pickMessages chooses the arrows: every key message (the grant and its request, the
// messages between the story's holders and issuers, drops), then thins each stream so
// that arrows of one kind between one pair of nodes stay apart.
func (sc *spacetimeScene) pickMessages(h *history.History) {
	var delays []int64
	for _, m := range h.Msgs {
		if m.Dropped == "" {
			delays = append(delays, m.At-m.Sent)
		}
	}
	if len(delays) > 0 {
		slices.Sort(delays)
		sc.medianDelay = delays[len(delays)/2]
	}
	inLanes := map[string]bool{}
	for _, l := range sc.lanes {
		inLanes[l] = true
	}
	type cand struct {
		m    history.Msg
		prio int // 0 key, 1 story, 2 other
	}
	var cands []cand
	for i := range h.Msgs {
		m := &h.Msgs[i]
		if m.At < sc.from || m.Sent > sc.to || !inLanes[m.From] || !inLanes[m.To] {
			continue
		}
		p := 2
		story := m.From == sc.stale || m.To == sc.stale || m.From == sc.other || m.To == sc.other
		switch {
		case m == sc.grant || m == sc.request:
			p = 0
		case story && (sc.issuers[m.From] || sc.issuers[m.To]):
			p = 1
		case story:
			p = 1
		}
		cands = append(cands, cand{*m, p})
	}
	// Thin per stream, most important first; widen the spacing until the arrows fit,
	// so that thinning never cuts off the end of the window.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].prio < cands[j].prio })
	var keep []history.Msg
	for gap := max(int64(float64(sc.to-sc.from)*spacetimeMinGap), 1); ; gap *= 2 {
		keep, sc.hidden = keep[:0], 0
		last := map[string][]int64{}
		for _, c := range cands {
			key := c.m.From + ">" + c.m.To + ">" + c.m.Kind
			if c.m.Dropped != "" {
				key += ">x"
			}
			if c.prio > 0 {
				g := gap
				if c.prio == 2 || c.m.To == sc.resource || c.m.From == sc.resource {
					g = 3 * gap // bystanders' and the resource's traffic: sparser
				}
				near := false
				for _, t := range last[key] {
					if d := t - c.m.Sent; d < g && -d < g {
						near = true
						break
					}
				}
				if near {
					sc.hidden++
					continue
				}
			}
			last[key] = append(last[key], c.m.Sent)
			keep = append(keep, c.m)
		}
		if len(keep) <= spacetimeMaxMsgs || gap > sc.to-sc.from {
			break
		}
	}
	sort.SliceStable(keep, func(i, j int) bool {
		if keep[i].Sent != keep[j].Sent {
			return keep[i].Sent < keep[j].Sent
		}
		return keep[i].At < keep[j].At
	})
	sc.msgs = keep
}

// clockAt returns node's monotonic (or, with wall, wall) clock at true time t and
// whether the history records its clock.
func (sc *spacetimeScene) clockAt(node string, t int64, wall bool) (int64, bool) {
	ps := sc.clocks[node]
	if len(ps) == 0 {
		return 0, false
	}
	p := ps[0]
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].At <= t {
			p = ps[i]
			break
		}
	}
	if wall {
		return p.MonoAt(t) + p.Wall - p.Mono, true
	}
	return p.MonoAt(t), true
}

// clockIsTrue reports whether node's clock reads true time throughout (no offset, no
// drift): then a diagram need not label its readings.
func (sc *spacetimeScene) clockIsTrue(node string) bool {
	for _, p := range sc.clocks[node] {
		if p.Mono != p.At || p.Wall != p.Mono || p.DriftPPB != 0 {
			return false
		}
	}
	return true
}
