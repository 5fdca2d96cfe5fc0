package checker

import (
	"fmt"

	"github.com/leasesim/leasesim/history"
)

// checkP4 checks status agreement: whenever an issuer declares node N failed at t, every
// claim N made on its liveness lease (history.LivenessLease(N)) that had started by t
// must have ended by t. A claim [From, To) with From <= t < To is a finding with window
// [t, To) and Holders [N, issuer]. A claim that starts after t (N registering again) is
// not about that declaration. When an issuer declares N failed more than once during the
// same claim, the earliest declaration is reported. It returns the findings and the number
// of declarations examined.
func checkP4(h *history.History) ([]Finding, int) {
	type claimRef struct {
		from, to int64
		epoch    uint64
	}
	live := map[string][]claimRef{}
	for i := range h.Claims {
		c := &h.Claims[i]
		if claimCounts(c, &h.Meta) && c.Lease == history.LivenessLease(c.Holder) {
			live[c.Holder] = append(live[c.Holder], claimRef{c.From, claimEnd(c, &h.Meta), c.Epoch})
		}
	}
	type key struct {
		issuer, node string
		claim        int
	}
	reported := map[key]int{} // index into out
	var out []Finding
	declared := 0
	for _, s := range h.Statuses {
		if s.Kind != history.StatusDeclaredFailed {
			continue
		}
		declared++
		for ci, c := range live[s.Node] {
			if c.from > s.At || c.to <= s.At {
				continue
			}
			f := Finding{Kind: P4, Lease: history.LivenessLease(s.Node), Holders: []string{s.Node, s.Issuer}, From: s.At, To: c.to,
				Detail: p4Detail(s, c.epoch, c.to)}
			k := key{s.Issuer, s.Node, ci}
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
	return out, declared
}

func p4Detail(s history.Status, epoch uint64, to int64) string {
	if to == history.Forever {
		return fmt.Sprintf("%s declared %s failed at %s but %s's liveness claim (epoch %d) never ended",
			s.Issuer, s.Node, formatTime(s.At), s.Node, epoch)
	}
	return fmt.Sprintf("%s declared %s failed at %s but %s's liveness claim (epoch %d) ran until %s, %s longer",
		s.Issuer, s.Node, formatTime(s.At), s.Node, epoch, formatTime(to), formatDur(to-s.At))
}
