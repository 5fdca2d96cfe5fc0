package scenarios

import (
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/sim"
)

// Liveness is the expect key of the liveness property (result.Liveness).
const Liveness = result.Liveness

// recoversWithinKey is the expect key of the liveness bound.
const recoversWithinKey = "recovers_within"

// DefaultGeneratedTail is the fault-free tail of the schedules that explore generates
// (Generate) when the scenario gives none: long enough for every built-in protocol's
// recovery bound at its default parameters (docs/liveness.md) to fit in half of it.
const DefaultGeneratedTail = time.Minute

// DefaultRecoversWithin returns the liveness bound of a scenario whose tail is tail and
// whose file gives no recovers_within: half the tail, so that staying led is watched for
// at least as long again.
func DefaultRecoversWithin(tail time.Duration) time.Duration { return tail / 2 }

// HealBy returns when every fault of the scenario has ended: Duration - Tail, or the
// run's end when it has no tail.
func (s *Scenario) HealBy() time.Duration { return s.Duration - s.Tail }

// livenessKey reads the liveness keys of an expect section (recovers_within; the liveness
// verdict is read with p1..p4) and reports whether k was one.
func (d *decoder) livenessKey(m *mapping, k, field string, e *Expect) bool {
	if d.liveNodes == nil {
		d.liveNodes = map[string]ast.Node{}
	}
	if k == Liveness {
		d.liveNodes[Liveness] = m.key[k]
		return false // a property: read with the others
	}
	if k != recoversWithinKey {
		return false
	}
	m.taken[k] = true
	d.liveNodes[recoversWithinKey] = m.key[k]
	if dur, ok := d.duration(m.value[k], field, false); ok {
		if dur <= 0 {
			d.errorf(m.value[k], field, "a recovery takes a positive time; expected a duration like 20s")
		} else {
			e.RecoversWithin = dur
		}
	}
	return true
}

// liveness checks the tail against the run and the faults and fills in the liveness
// bound's default. tail is the tail key's node (nil when absent); faults the faults
// list's.
func (d *decoder) liveness(sc *Scenario, tail, faults ast.Node) {
	if tail != nil {
		if dur, ok := d.duration(tail, "tail", false); ok {
			if dur <= 0 || dur >= sc.Duration {
				d.errorf(tail, "tail", "tail %s: expected a positive duration shorter than the run (duration %s): the fault-free stretch at its end", dur, sc.Duration)
			} else {
				sc.Tail = dur
			}
		}
	}
	w := sc.Expect.RecoversWithin
	if sc.Tail == 0 {
		if n := d.liveNodes[recoversWithinKey]; n != nil && w > 0 {
			d.errorf(n, "expect."+recoversWithinKey, "recovers_within needs a fault-free tail to watch the recovery in; add tail: at the top level, like tail: 60s")
		}
		if n := d.liveNodes[Liveness]; n != nil && tail == nil {
			d.errorf(n, "expect."+Liveness, "liveness is checked only after every fault has healed; add tail: at the top level, like tail: 60s")
		}
		return
	}
	switch {
	case w == 0:
		sc.Expect.RecoversWithin = DefaultRecoversWithin(sc.Tail)
	case w > sc.Tail:
		d.errorf(d.liveNodes[recoversWithinKey], "expect."+recoversWithinKey, "recovers_within %s is longer than the tail %s, so a recovery that slow could not be seen; expected at most the tail", w, sc.Tail)
	}
	if faults == nil || len(d.errs) > 0 {
		return // a fault that did not parse is missing from sc.Faults: indexes would not match
	}
	items, _ := d.seq(faults, "faults")
	heal := sc.HealBy()
	for i, f := range sc.Faults {
		if i >= len(items) {
			break
		}
		field, at := index("faults", i), items[i]
		if r := f.Random; r != nil {
			switch {
			case r.From >= heal:
				d.errorf(at, join(field, "random.from"), "starts at %s, inside the fault-free tail (from %s = duration %s - tail %s); expected from before %s", r.From, heal, sc.Duration, sc.Tail, heal)
			case r.Until > heal:
				d.errorf(at, join(field, "random.until"), "until %s reaches into the fault-free tail from %s; expected until <= %s, or none (the random faults then stop and heal by %s)", r.Until, heal, heal, heal)
			}
			continue
		}
		instant := f.Kind == sim.FaultClockStep || f.Kind == sim.FaultDrift
		end := "until or for"
		if f.Kind == sim.FaultCrash {
			end = "restart"
		}
		switch {
		case f.At >= heal:
			d.errorf(at, join(field, "at"), "%s starts at %s, inside the fault-free tail from %s (duration %s - tail %s); expected at before %s", f.Kind, f.At, heal, sc.Duration, sc.Tail, heal)
		case !instant && f.Until == 0:
			d.errorf(at, field, "%s from %s never ends, but tail: %s needs every fault healed by %s; give it %s at or before %s", f.Kind, f.At, sc.Tail, heal, end, heal)
		case f.Until > heal:
			d.errorf(at, field, "%s ends at %s, inside the fault-free tail from %s; expected it to end (%s) by %s", f.Kind, f.Until, heal, end, heal)
		}
	}
}
