package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/result"
)

// story returns the narrative under a finding's diagram: sentences that say why, built
// from the same records the diagram draws.
func (sc *spacetimeScene) story(h *history.History) []string {
	var out []string
	f := sc.f
	span := sc.to - sc.from
	at := func(t int64) string { return stTime(t, span) }
	clock := func(node string, t int64, wall bool) string {
		if sc.clockIsTrue(node) {
			return ""
		}
		c, ok := sc.clockAt(node, t, wall)
		if !ok {
			return ""
		}
		which := "clock"
		if wall {
			which = "wall clock"
		}
		if node == sc.stale || node == sc.other {
			return fmt.Sprintf(" (its %s %s)", which, at(c))
		}
		return fmt.Sprintf(" (%s's %s %s)", node, which, at(c))
	}
	wallClaim := func(c *history.Claim) bool { return c != nil && c.Clock == "wall" }
	if c := sc.staleClaim; c != nil && f.Kind != checker.P4 {
		out = append(out, fmt.Sprintf("%s claimed %s (epoch %d) at %s%s.", c.Holder, c.Lease, c.Epoch, at(c.From), clock(c.Holder, c.From, wallClaim(c))))
	}
	if g := sc.grant; g != nil {
		s := fmt.Sprintf("The last message %s received from %s before %s was %s", g.To, g.From, at(f.From), g.Kind)
		if g.Epoch != 0 {
			s += fmt.Sprintf(" (epoch %d)", g.Epoch)
		}
		if r := sc.request; r != nil {
			s += fmt.Sprintf(", the answer to its %s sent at %s%s", r.Kind, at(r.Sent), clock(r.From, r.Sent, wallClaim(sc.staleClaim)))
		}
		s += fmt.Sprintf(": %s sent it at %s%s and it arrived %s later, at %s%s", g.From, at(g.Sent), clock(g.From, g.Sent, wallClaim(sc.staleClaim)),
			stDur(g.At-g.Sent), at(g.At), clock(g.To, g.At, wallClaim(sc.staleClaim)))
		if sc.medianDelay > 0 && g.At-g.Sent > 10*sc.medianDelay {
			s += fmt.Sprintf(": %d times the run's median delay of %s", (g.At-g.Sent)/sc.medianDelay, stDur(sc.medianDelay))
		}
		out = append(out, s+".")
	}
	if c := sc.staleClaim; c != nil && f.Kind != checker.P4 {
		out = append(out, claimEnd(c, at, clock(c.Holder, min(c.To, h.Meta.End), wallClaim(c)), h.Meta.End))
	}
	if s := sc.drift(h); s != "" {
		out = append(out, s)
	}
	out = append(out, sc.silence(h, at)...)
	n := 0
	for _, s := range h.Statuses {
		if s.At < sc.from || s.At > sc.to || n == 4 {
			continue
		}
		n++
		verb := "promoted " + s.Node
		if s.Kind == history.StatusDeclaredFailed {
			verb = "declared " + s.Node + " failed"
		}
		if s.Kind == history.StatusExpired {
			verb = "expired " + s.Node + "'s lease " + s.Lease + " and deleted its keys"
		}
		out = append(out, fmt.Sprintf("%s %s at %s%s.", s.Issuer, verb, at(s.At), clock(s.Issuer, s.At, false)))
	}
	if c := sc.otherClaim; c != nil && c != sc.staleClaim && f.Kind != checker.P4 {
		out = append(out, fmt.Sprintf("%s claimed %s (epoch %d) at %s%s.", c.Holder, c.Lease, c.Epoch, at(c.From), clock(c.Holder, c.From, wallClaim(c))))
	}
	switch f.Kind {
	case checker.P1:
		out = append(out, fmt.Sprintf("Both claimed %s for %s, from %s to %s: the red band.", f.Lease, stDur(min(f.To, h.Meta.End)-f.From), at(f.From), at(min(f.To, h.Meta.End))))
	case checker.P2:
		out = append(out, fmt.Sprintf("The resource accepted %s's writes under its old epoch from %s to %s (red ticks on %s's lane).", sc.stale, at(f.From), at(f.To), sc.resource))
	case checker.P4:
		if c := sc.staleClaim; c != nil {
			out = append(out, claimEnd(c, at, clock(c.Holder, min(c.To, h.Meta.End), wallClaim(c)), h.Meta.End))
		}
	}
	var faults []string
	for _, x := range h.Faults {
		if x.To < sc.from || x.From > sc.to {
			continue
		}
		d := x.Detail
		if d == "" {
			d = x.Kind + " " + strings.Join(x.Nodes, ",")
		}
		if x.To > x.From {
			d += fmt.Sprintf(" from %s to %s", at(x.From), at(x.To))
		} else {
			d += " at " + at(x.From)
		}
		faults = append(faults, d)
	}
	if len(faults) > 0 {
		out = append(out, "Faults in view: "+strings.Join(faults, "; ")+".")
	}
	if len(h.Msgs) == 0 && h.Meta.Live {
		out = append(out, "A live run's history records no messages: the diagram shows claims, faults and decisions.")
	} else if len(h.Msgs) == 0 {
		out = append(out, "The history records no messages: run with --out (or replay the bundle) to see them.")
	} else if sc.hidden > 0 {
		out = append(out, fmt.Sprintf("%d of the messages in view are not drawn, to keep arrows of one kind between two nodes apart; history.jsonl has them all.", sc.hidden))
	}
	return out
}

// silence says when the issuer last heard from the stale node and what became of the
// stale node's messages to it afterwards.
func (sc *spacetimeScene) silence(h *history.History, at func(int64) string) []string {
	if sc.stale == "" || len(h.Msgs) == 0 {
		return nil
	}
	var out []string
	for _, q := range h.Meta.Issuers {
		var last *history.Msg
		for i := range h.Msgs {
			m := &h.Msgs[i]
			if m.From == sc.stale && m.To == q && m.Dropped == "" && m.At <= sc.f.From {
				last = m
			}
		}
		if last == nil {
			continue
		}
		reasons := map[string]int{}
		var order []string
		total := 0
		for _, m := range h.Msgs {
			if m.From == sc.stale && m.To == q && m.Dropped != "" && m.Sent > last.Sent && m.Sent <= sc.to {
				if reasons[m.Dropped] == 0 {
					order = append(order, m.Dropped)
				}
				reasons[m.Dropped]++
				total++
			}
		}
		s := fmt.Sprintf("%s last heard from %s at %s (%s), %s before %s", q, sc.stale, at(last.At), last.Kind, stDur(sc.f.From-last.At), at(sc.f.From))
		if total > 0 {
			var parts []string
			for _, r := range order {
				parts = append(parts, fmt.Sprintf("%d %s", reasons[r], r))
			}
			if total == 1 {
				s += fmt.Sprintf("; %s's 1 later message to %s was dropped (%s)", sc.stale, q, strings.Join(parts, ", "))
			} else {
				s += fmt.Sprintf("; %s's %d later messages to %s were dropped (%s)", sc.stale, total, q, strings.Join(parts, ", "))
			}
		}
		out = append(out, s+".")
	}
	return out
}

// claimEnd says how a claim ended.
func claimEnd(c *history.Claim, at func(int64) string, clock string, end int64) string {
	if c.Clock == "" && (c.End == history.EndRelease || c.End == history.EndRunEnd) {
		// No deadline: nothing but a message could end it.
		what := fmt.Sprintf("released it at %s", at(c.To))
		if c.End == history.EndRunEnd {
			what = fmt.Sprintf("still claimed it when the run ended at %s", at(end))
		}
		return fmt.Sprintf("%s's claim on %s had no deadline: cut off, %s could not learn that it had lost it, and %s%s.", c.Holder, c.Lease, c.Holder, what, clock)
	}
	switch c.End {
	case history.EndDeadline:
		return fmt.Sprintf("%s's claim on %s ran to its deadline: it ended at %s%s.", c.Holder, c.Lease, at(c.To), clock)
	case history.EndRelease:
		return fmt.Sprintf("%s released %s at %s%s.", c.Holder, c.Lease, at(c.To), clock)
	case history.EndCrash:
		return fmt.Sprintf("%s's claim on %s ended when it crashed at %s.", c.Holder, c.Lease, at(c.To))
	case history.EndReplaced:
		return fmt.Sprintf("%s's claim on %s (epoch %d) was replaced by a newer epoch at %s.", c.Holder, c.Lease, c.Epoch, at(c.To))
	}
	return fmt.Sprintf("%s still claimed %s when the run ended at %s%s.", c.Holder, c.Lease, at(end), clock)
}

// stTime formats a true time for a window of the given span: to 10ms over a window of
// 10s or more, to the millisecond over 1s, to 100µs over 100ms, to the µs below.
func stTime(t, span int64) string {
	r := time.Microsecond
	switch {
	case span >= 10*int64(time.Second):
		r = 10 * time.Millisecond
	case span >= int64(time.Second):
		r = time.Millisecond
	case span >= 100*int64(time.Millisecond):
		r = 100 * time.Microsecond
	}
	return result.FormatDuration(time.Duration(t).Round(r))
}

// stDur formats a duration to three significant digits or so.
func stDur(d int64) string {
	r := time.Nanosecond
	switch {
	case d >= 10*int64(time.Second):
		r = 100 * time.Millisecond
	case d >= int64(time.Second):
		r = 10 * time.Millisecond
	case d >= 10*int64(time.Millisecond):
		r = 100 * time.Microsecond
	case d >= int64(time.Millisecond):
		r = 10 * time.Microsecond
	case d >= 10*int64(time.Microsecond):
		r = 100 * time.Nanosecond
	}
	return result.FormatDuration(time.Duration(d).Round(r))
}

// drift says how far the issuer's and the stale holder's clocks moved apart between the
// grant and the end of the stale claim, when either clock is not true time.
func (sc *spacetimeScene) drift(h *history.History) string {
	g, c := sc.grant, sc.staleClaim
	if g == nil || c == nil || c.To >= h.Meta.End || c.To <= g.Sent || sc.clockIsTrue(g.From) && sc.clockIsTrue(g.To) {
		return ""
	}
	wall := c.Clock == "wall"
	q0, ok1 := sc.clockAt(g.From, g.Sent, wall)
	q1, ok2 := sc.clockAt(g.From, c.To, wall)
	s0, ok3 := sc.clockAt(g.To, g.Sent, wall)
	s1, ok4 := sc.clockAt(g.To, c.To, wall)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return ""
	}
	dq, ds := q1-q0, s1-s0
	return fmt.Sprintf("Over the %s of true time from the grant to the end of %s's claim, %s's clock advanced %s and %s's %s: they disagree by %s.",
		stDur(c.To-g.Sent), c.Holder, g.From, stDur(dq), g.To, stDur(ds), stDur(abs(dq-ds)))
}
