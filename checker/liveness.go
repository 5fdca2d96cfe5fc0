package checker

import (
	"fmt"

	"github.com/leasesim/leasesim/history"
)

// Liveness is the kind of a liveness finding: after every fault had healed, the measured
// lease went unheld, while a live holder wanted it, for longer than the bound
// (Options.RecoversWithin). It is not a safety property: it says the protocol got stuck
// or recovers too slowly, not that it did something wrong.
const Liveness Kind = "liveness"

// HealedAt returns when the last fault of a history ended: the latest end of a fault
// (or its instant, for an instantaneous one), Meta.Start when there are none.
func HealedAt(h *history.History) int64 {
	heal := h.Meta.Start
	for _, f := range h.Faults {
		heal = max(heal, f.From, f.To)
	}
	return heal
}

// checkLiveness checks the liveness property with bound within (ns): from the moment the
// last fault healed (HealedAt) to the run's end, every unavailable stretch — counted from
// that moment when it began earlier — lasts at most within. That is both "some holder
// leads within the bound" (the stretch open when the faults healed) and "the system stays
// led" (no later stretch longer than the bound). A stretch still open at the run's end
// counts as far as it goes (its finding ends at Meta.End). It returns the findings and the
// check's description.
func checkLiveness(h *history.History, a avail, within int64) ([]Finding, PropertyCheck) {
	m := &h.Meta
	heal := HealedAt(h)
	pc := PropertyCheck{Status: Checked, Method: "gaps after the last fault healed"}
	if heal >= m.End {
		pc.Status = Skipped
		pc.Note = "a fault lasts to the end of the run: nothing healed to recover from"
		return nil, pc
	}
	var out []Finding
	for _, u := range a.unavailable {
		if u.To <= heal {
			continue
		}
		pc.Items++
		from := max(u.From, heal)
		if u.To-from <= within {
			continue
		}
		f := Finding{Kind: Liveness, Lease: m.LeaseName(), Holders: []string{}, From: from, To: u.To}
		until := "to " + formatTime(u.To)
		if u.To >= m.End {
			until = "to the end of the run"
		}
		if from == heal {
			f.Detail = fmt.Sprintf("no holder led from %s, when the last fault healed, %s (%s): longer than recovers_within %s",
				formatTime(from), until, formatDur(u.To-from), formatDur(within))
		} else {
			f.Detail = fmt.Sprintf("nobody held the lease from %s %s (%s), after the system had recovered from the last fault (healed at %s): longer than recovers_within %s",
				formatTime(from), until, formatDur(u.To-from), formatTime(heal), formatDur(within))
		}
		out = append(out, f)
	}
	pc.Note = fmt.Sprintf("last fault healed at %s, bound %s; %s", formatTime(heal), formatDur(within), plural(len(out), "gap")+" over it")
	return out, pc
}
