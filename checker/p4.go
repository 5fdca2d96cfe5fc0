package checker

import (
	"fmt"

	"github.com/leasesim/leasesim/history"
)

// checkP4 checks status agreement: once an issuer has decided at t that a lease of node N
// is gone, N has stopped claiming it. Two decisions say so:
//
//   - declared-failed: the issuer declared N failed at t; the lease is N's liveness lease
//     (history.LivenessLease(N)), under any epoch;
//   - expired: the issuer expired N's lease s.Lease at t and acted on it (deleted the
//     keys it kept alive); the lease is s.Lease, under epoch s.Epoch (any when 0).
//
// Every claim N made on that lease (under that epoch) that had started by t must have
// ended by t. A claim [From, To) with From <= t < To is a finding with window [t, To),
// Lease the lease and Holders [N, issuer]. A claim that starts after t (N registering
// again, or taking a new lease under the same name) is not about that decision. When an
// issuer decides about the same claim more than once, the earliest decision is reported.
// It returns the findings and the number of decisions examined.
func checkP4(h *history.History) ([]Finding, int) {
	type claimRef struct {
		from, to int64
		epoch    uint64
	}
	type leaseOf struct{ node, lease string }
	// The claims of every lease some decision is about, by node and lease.
	claims := map[leaseOf][]claimRef{}
	for _, s := range h.Statuses {
		if l, ok := p4Lease(s); ok {
			claims[leaseOf{s.Node, l}] = nil
		}
	}
	if len(claims) == 0 {
		return nil, 0
	}
	for i := range h.Claims {
		c := &h.Claims[i]
		k := leaseOf{c.Holder, c.Lease}
		if cs, ok := claims[k]; ok && claimCounts(c, &h.Meta) {
			claims[k] = append(cs, claimRef{c.From, claimEnd(c, &h.Meta), c.Epoch})
		}
	}
	type key struct {
		issuer string
		of     leaseOf
		claim  int
	}
	reported := map[key]int{} // index into out
	var out []Finding
	decisions := 0
	for _, s := range h.Statuses {
		lease, ok := p4Lease(s)
		if !ok {
			continue
		}
		decisions++
		of := leaseOf{s.Node, lease}
		for ci, c := range claims[of] {
			if c.from > s.At || c.to <= s.At || (s.Epoch != 0 && c.epoch != s.Epoch) {
				continue
			}
			f := Finding{Kind: P4, Lease: lease, Holders: []string{s.Node, s.Issuer}, From: s.At, To: c.to,
				Detail: p4Detail(s, c.epoch, c.to)}
			k := key{s.Issuer, of, ci}
			if j, ok := reported[k]; ok {
				if s.At < out[j].From {
					out[j] = f
				}
				continue
			}
			reported[k] = len(out)
			out = append(out, f)
		}
	}
	return out, decisions
}

// p4Lease returns the lease status s says node s.Node has lost, and whether s is a
// decision P4 checks at all (promotions are not).
func p4Lease(s history.Status) (string, bool) {
	switch s.Kind {
	case history.StatusDeclaredFailed:
		return history.LivenessLease(s.Node), true
	case history.StatusExpired:
		return s.Lease, s.Lease != ""
	}
	return "", false
}

func p4Detail(s history.Status, epoch uint64, to int64) string {
	if s.Kind == history.StatusExpired {
		what := fmt.Sprintf("%s expired %s's lease %s (epoch %d) and deleted its keys at %s", s.Issuer, s.Node, s.Lease, epoch, formatTime(s.At))
		if to == history.Forever {
			return fmt.Sprintf("%s but %s's claim on it never ended", what, s.Node)
		}
		return fmt.Sprintf("%s but %s's claim on it ran until %s, %s after the deletion", what, s.Node, formatTime(to), formatDur(to-s.At))
	}
	if to == history.Forever {
		return fmt.Sprintf("%s declared %s failed at %s but %s's liveness claim (epoch %d) never ended",
			s.Issuer, s.Node, formatTime(s.At), s.Node, epoch)
	}
	return fmt.Sprintf("%s declared %s failed at %s but %s's liveness claim (epoch %d) ran until %s, %s longer",
		s.Issuer, s.Node, formatTime(s.At), s.Node, epoch, formatTime(to), formatDur(to-s.At))
}
