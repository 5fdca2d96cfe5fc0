package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/sim"
)

// Fault is one entry of the faults list, as written (FORMAT.md): its kind, when it starts
// and ends, and the kind's own fields. Until is 0 when the fault lasts to the end of the
// run (for a crash: the node never restarts) and for instantaneous faults.
type Fault struct {
	Kind   sim.FaultKind
	At     time.Duration
	Until  time.Duration
	Groups [][]string    // cut (two groups), partition
	From   []string      // cut_oneway, slow, lossy
	To     []string      // cut_oneway, slow, lossy
	Node   string        // isolate, crash, pause, clock_step, drift
	By     time.Duration // slow (extra delay), clock_step (signed jump)
	P      float64       // lossy
	PPM    float64       // drift
	Window time.Duration // reorder
	Random *RandomFaults // random
}

// RandomFaults is a `random:` entry: faults of Kinds drawn between From and Until (0: the
// run's end) with exponential gaps and lengths of the given means. With Swarm, each seed
// first draws its own mix of Kinds and rates (DrawSwarm, FORMAT.md).
type RandomFaults struct {
	From, Until time.Duration
	Kinds       []sim.FaultKind
	MeanGap     time.Duration
	MeanLength  time.Duration
	MaxStep     time.Duration
	MaxDriftPPM float64
	Swarm       bool
}

// faultKinds are the keys that name a fault's kind, in the order FORMAT.md lists them.
var faultKinds = []string{"cut", "cut_oneway", "partition", "isolate", "crash", "pause", "slow", "lossy", "clock_step", "drift", "reorder", "random"}

// randomKinds are the kinds a random schedule can draw.
var randomKinds = []string{"partition", "cut", "cut_oneway", "isolate", "crash", "issuer_crash", "pause", "clock_step", "drift", "slow", "lossy", "reorder"}

// timing keys every fixed fault may have.
var timingKeys = []string{"at", "until", "for", "restart"}

func (d *decoder) faults(n ast.Node, field string) []Fault {
	items, ok := d.seq(n, field)
	if !ok {
		return nil
	}
	var out []Fault
	for i, it := range items {
		if f, ok := d.fault(it, index(field, i)); ok {
			out = append(out, f)
		}
	}
	return out
}

func (d *decoder) fault(n ast.Node, field string) (Fault, bool) {
	m, ok := d.mapping(n, field)
	if !ok {
		return Fault{}, false
	}
	var kind string
	for _, k := range m.keys {
		if slices.Contains(faultKinds, k) {
			if kind != "" {
				d.errorf(m.key[k], join(field, k), "a fault has one kind, but this one has both %q and %q; write two faults", kind, k)
				return Fault{}, false
			}
			kind = k
		}
	}
	if kind == "" {
		d.errorf(m.node, field, "a fault needs a kind: one of %s", strings.Join(faultKinds, ", "))
		d.done(m, field, append(append([]string{}, faultKinds...), timingKeys...)...)
		return Fault{}, false
	}
	f := Fault{Kind: sim.FaultKind(kind)}
	body, _ := m.take(kind)
	kf := join(field, kind)
	ok = true
	switch kind {
	case "random":
		f.Random, ok = d.random(body, kf)
		d.done(m, field, "random")
		return f, ok
	case "cut":
		f.Groups, ok = d.groups(body, kf)
		if ok && len(f.Groups) != 2 {
			d.errorf(body, kf, "a cut separates exactly two sets of nodes, like [[Q], [A]]; got %d", len(f.Groups))
			ok = false
		}
	case "partition":
		f.Groups, ok = d.groups(body, kf)
		if ok && len(f.Groups) < 2 {
			d.errorf(body, kf, "a partition needs at least two groups, like [[Q, A], [B, C]]")
			ok = false
		}
	case "cut_oneway", "slow", "lossy":
		ok = d.fromTo(body, kf, &f)
	case "isolate", "crash", "pause":
		f.Node, ok = d.str(body, kf)
	case "clock_step":
		sm, mok := d.mapping(body, kf)
		if !mok {
			return f, false
		}
		node, has := sm.take("node")
		by, hasBy := sm.take("by")
		if !has || !hasBy {
			d.errorf(body, kf, "clock_step needs node and by, like {node: C, by: -2s}")
			ok = false
		} else {
			var ok1, ok2 bool
			f.Node, ok1 = d.str(node, join(kf, "node"))
			f.By, ok2 = d.duration(by, join(kf, "by"), true)
			ok = ok1 && ok2
		}
		d.done(sm, kf, "node", "by")
	case "drift":
		sm, mok := d.mapping(body, kf)
		if !mok {
			return f, false
		}
		node, has := sm.take("node")
		ppm, hasPPM := sm.take("ppm")
		if !has || !hasPPM {
			d.errorf(body, kf, "drift needs node and ppm, like {node: A, ppm: 500}")
			ok = false
		} else {
			var ok1, ok2 bool
			f.Node, ok1 = d.str(node, join(kf, "node"))
			f.PPM, ok2 = d.number(ppm, join(kf, "ppm"))
			ok = ok1 && ok2
			if ok2 && (f.PPM <= -1e6 || f.PPM > 1e6) {
				d.errorf(ppm, join(kf, "ppm"), "%v ppm would stop or reverse the clock; expected a drift in (-1000000, 1000000]", f.PPM)
				ok = false
			}
		}
		d.done(sm, kf, "node", "ppm")
	case "reorder":
		sm, mok := d.mapping(body, kf)
		if !mok {
			return f, false
		}
		w, has := sm.take("window")
		if !has {
			d.errorf(body, kf, "reorder needs window, like {window: 50ms}")
			ok = false
		} else {
			f.Window, ok = d.duration(w, join(kf, "window"), false)
		}
		d.done(sm, kf, "window")
	}
	if !d.timing(m, field, &f) {
		ok = false
	}
	accepted := []string{kind, "at", "until", "for"}
	if kind == "crash" {
		accepted = []string{kind, "at", "restart"}
	}
	d.done(m, field, accepted...)
	return f, ok
}

// timing reads at, until, for and restart for a fixed fault, and checks they fit its
// kind.
func (d *decoder) timing(m *mapping, field string, f *Fault) bool {
	ok := true
	at, hasAt := m.take("at")
	if !hasAt {
		d.errorf(m.node, join(field, "at"), "a %s fault needs at: the true time it starts, like 30s", f.Kind)
		ok = false
	} else if f.At, hasAt = d.duration(at, join(field, "at"), false); !hasAt {
		ok = false
	}
	instant := f.Kind == sim.FaultClockStep || f.Kind == sim.FaultDrift
	var endNode ast.Node
	var endKey string
	for _, k := range []string{"until", "for", "restart"} {
		if (k == "restart") != (f.Kind == sim.FaultCrash) {
			continue
		}
		v, has := m.take(k)
		if !has {
			continue
		}
		if instant {
			d.errorf(m.key[k], join(field, k), "a %s happens at one instant; it takes no %s", f.Kind, k)
			ok = false
			continue
		}
		if endNode != nil {
			d.errorf(m.key[k], join(field, k), "give either %s or %s, not both", endKey, k)
			ok = false
			continue
		}
		endNode, endKey = v, k
	}
	if endNode != nil {
		dur, dok := d.duration(endNode, join(field, endKey), false)
		switch {
		case !dok:
			ok = false
		case endKey == "for":
			if dur <= 0 {
				d.errorf(endNode, join(field, "for"), "a fault lasts a positive time; got %s", dur)
				ok = false
			}
			f.Until = f.At + dur
		default:
			if dur <= f.At {
				d.errorf(endNode, join(field, endKey), "%s ends at %s, not after it starts at %s; expected a true time after at", f.Kind, dur, f.At)
				ok = false
			}
			f.Until = dur
		}
	}
	if f.Kind == sim.FaultPause && endNode == nil && ok {
		d.errorf(m.node, field, "a pause needs for or until: how long the process stops, like {pause: B, at: 2m, for: 12s}")
		ok = false
	}
	return ok
}

func (d *decoder) fromTo(n ast.Node, field string, f *Fault) bool {
	m, ok := d.mapping(n, field)
	if !ok {
		return false
	}
	accepted := []string{"from", "to"}
	switch f.Kind {
	case sim.FaultSlow:
		accepted = append(accepted, "by")
	case sim.FaultLossy:
		accepted = append(accepted, "p")
	}
	for _, k := range accepted {
		v, has := m.take(k)
		if !has {
			d.errorf(n, join(field, k), "%s needs %s; expected {%s}", f.Kind, k, strings.Join(accepted, ", "))
			ok = false
			continue
		}
		kf := join(field, k)
		var vok bool
		switch k {
		case "from":
			f.From, vok = d.nodeSet(v, kf)
		case "to":
			f.To, vok = d.nodeSet(v, kf)
		case "by":
			f.By, vok = d.duration(v, kf, false)
		case "p":
			f.P, vok = d.fraction(v, kf)
		}
		ok = ok && vok
	}
	d.done(m, field, accepted...)
	return ok
}

func (d *decoder) random(n ast.Node, field string) (*RandomFaults, bool) {
	m, ok := d.mapping(n, field)
	if !ok {
		return nil, false
	}
	r := &RandomFaults{}
	accepted := []string{"from", "until", "kinds", "mean_gap", "mean_length", "max_step", "max_drift_ppm", "swarm"}
	for _, k := range m.keys {
		v, _ := m.take(k)
		kf := join(field, k)
		var vok bool
		switch k {
		case "from":
			r.From, vok = d.duration(v, kf, false)
		case "until":
			r.Until, vok = d.duration(v, kf, false)
		case "mean_gap":
			r.MeanGap, vok = d.duration(v, kf, false)
		case "mean_length":
			r.MeanLength, vok = d.duration(v, kf, false)
		case "max_step":
			r.MaxStep, vok = d.duration(v, kf, false)
		case "swarm":
			r.Swarm, vok = d.boolean(v, kf)
		case "max_drift_ppm":
			r.MaxDriftPPM, vok = d.number(v, kf)
			if vok && (r.MaxDriftPPM < 0 || r.MaxDriftPPM >= 1e6) {
				d.errorf(v, kf, "%v is outside [0, 1000000); expected a drift bound in ppm", r.MaxDriftPPM)
				vok = false
			}
		case "kinds":
			var kinds []string
			kinds, vok = d.names(v, kf)
			for _, kind := range kinds {
				if !slices.Contains(randomKinds, kind) {
					d.errorf(v, kf, "%q is not a fault kind that can be drawn at random; expected some of: %s", kind, strings.Join(randomKinds, ", "))
					vok = false
					continue
				}
				r.Kinds = append(r.Kinds, sim.FaultKind(kind))
			}
		default:
			m.taken[k] = false
			continue
		}
		ok = ok && vok
	}
	d.done(m, field, accepted...)
	if !ok {
		return r, false
	}
	if len(r.Kinds) == 0 {
		d.errorf(n, join(field, "kinds"), "a random schedule needs kinds, like [partition, crash, pause]")
		ok = false
	}
	if r.MeanGap <= 0 {
		d.errorf(n, join(field, "mean_gap"), "a random schedule needs mean_gap > 0: the mean time between faults")
		ok = false
	}
	if r.MeanLength <= 0 {
		d.errorf(n, join(field, "mean_length"), "a random schedule needs mean_length > 0: the mean length of a fault")
		ok = false
	}
	if r.Swarm {
		for i, k := range r.Kinds {
			if slices.Contains(r.Kinds[:i], k) {
				d.errorf(m.value["kinds"], join(field, "kinds"), "%q is listed twice; with swarm: true each kind is drawn on or off once per seed, so list each kind once", k)
				ok = false
				break
			}
		}
	}
	if r.Until != 0 && r.Until <= r.From {
		d.errorf(n, join(field, "until"), "until %s is not after from %s", r.Until, r.From)
		ok = false
	}
	return r, ok
}

// faultNodes returns the node names a fault mentions, with the field each sits in.
func (f *Fault) faultNodes() []string {
	var out []string
	for _, g := range f.Groups {
		out = append(out, g...)
	}
	out = append(out, f.From...)
	out = append(out, f.To...)
	if f.Node != "" {
		out = append(out, f.Node)
	}
	return out
}

// simFault converts a fault to the kernel's form.
func (f *Fault) simFault() sim.Fault {
	sf := sim.Fault{Kind: f.Kind, At: int64(f.At), Until: int64(f.Until),
		Groups: f.Groups, From: f.From, To: f.To, Node: f.Node, By: int64(f.By),
		P: f.P, PPM: f.PPM, Window: int64(f.Window)}
	if r := f.Random; r != nil {
		sf.Random = &sim.RandomFaults{From: int64(r.From), Until: int64(r.Until), Kinds: r.Kinds,
			MeanGap: int64(r.MeanGap), MeanLength: int64(r.MeanLength), MaxStep: int64(r.MaxStep),
			MaxDriftPPM: r.MaxDriftPPM}
	}
	return sf
}

// end returns when a fault stops affecting its node, or limit when it lasts to the end.
func (f *Fault) end(limit time.Duration) time.Duration {
	if f.Until == 0 {
		return limit
	}
	return f.Until
}

func (f *Fault) String() string {
	return fmt.Sprintf("%s at %s", f.Kind, f.At)
}
