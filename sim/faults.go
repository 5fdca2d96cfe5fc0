package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/leasesim/leasesim/history"
)

// FaultIssuerCrash may appear in RandomFaults.Kinds: a crash of a random issuer (a plain
// FaultCrash in a random schedule picks a random holder).
const FaultIssuerCrash FaultKind = "issuer_crash"

// activeFault is a scheduled fault and what happened when it was applied.
type activeFault struct {
	Fault
	started, ended bool
	targets        []NodeID   // the resolved Node, for single-node faults
	groups         [][]NodeID // the resolved Groups
	from, to       []NodeID   // the resolved From and To
	skipped        string     // why the fault did nothing ("" if it was applied)
	endedAt        int64
}

// resolveNames maps node names to ids.
func (s *Sim) resolveNames(names []string) ([]NodeID, error) {
	out := make([]NodeID, 0, len(names))
	for _, n := range names {
		id, ok := s.names[n]
		if !ok {
			return nil, fmt.Errorf("no node named %q (nodes: %s)", n, strings.Join(s.allNames(), ", "))
		}
		out = append(out, id)
	}
	return out, nil
}

func (s *Sim) allNames() []string {
	out := make([]string, len(s.procs))
	for i, p := range s.procs {
		out[i] = p.spec.Name
	}
	return out
}

// checkFault rejects faults that name unknown nodes or have impossible values.
func (s *Sim) checkFault(f Fault) error {
	if f.At < 0 {
		return fmt.Errorf("starts at a negative time")
	}
	if f.Until != 0 && f.Until < f.At {
		return fmt.Errorf("ends (%s) before it starts", fmtTime(f.Until))
	}
	names := func(ns []string) error {
		for _, n := range ns {
			if n == TargetLeader || n == TargetRandom {
				continue
			}
			if _, err := s.resolveNames([]string{n}); err != nil {
				return err
			}
		}
		return nil
	}
	single := func() error {
		if f.Node == TargetLeader || f.Node == TargetRandom {
			return nil
		}
		return names([]string{f.Node})
	}
	switch f.Kind {
	case FaultCut:
		if len(f.Groups) != 2 {
			return fmt.Errorf("cut needs exactly two groups, got %d", len(f.Groups))
		}
		fallthrough
	case FaultPartition:
		if len(f.Groups) < 2 {
			return fmt.Errorf("partition needs at least two groups")
		}
		for _, g := range f.Groups {
			if err := names(g); err != nil {
				return err
			}
		}
	case FaultCutOneway, FaultSlow, FaultLossy:
		if err := names(f.From); err != nil {
			return err
		}
		if err := names(f.To); err != nil {
			return err
		}
		if f.Kind == FaultLossy && (f.P < 0 || f.P > 1) {
			return fmt.Errorf("lossy p %v is outside [0,1]", f.P)
		}
		if f.Kind == FaultSlow && f.By < 0 {
			return fmt.Errorf("slow by %s is negative", fmtTime(f.By))
		}
	case FaultIsolate, FaultCrash, FaultPause, FaultClockStep, FaultDrift:
		return single()
	case FaultReorder:
		if f.Window < 0 {
			return fmt.Errorf("reorder window is negative")
		}
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	return nil
}

// expandFaults replaces every random entry by the concrete faults it draws, and orders
// the schedule by start time (stable, so equal times keep their written order).
func (s *Sim) expandFaults(in []Fault) ([]Fault, error) {
	var out []Fault
	for i, f := range in {
		if f.Kind != FaultRandom {
			out = append(out, f)
			continue
		}
		if f.Random == nil {
			return nil, fmt.Errorf("sim: fault %d: random fault without parameters", i)
		}
		gen, err := s.randomFaults(*f.Random, newStream(s.cfg.Seed, "random", strconv.Itoa(i)))
		if err != nil {
			return nil, fmt.Errorf("sim: fault %d (random): %w", i, err)
		}
		out = append(out, gen...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out, nil
}

// randomFaults draws a fault schedule: gaps and lengths are exponential with the given
// means; targets are drawn among holders (and issuers, for partitions, pauses and clock
// faults).
func (s *Sim) randomFaults(r RandomFaults, rng *rand.Rand) ([]Fault, error) {
	if r.MeanGap <= 0 || r.MeanLength <= 0 {
		return nil, fmt.Errorf("mean_gap and mean_length must be > 0")
	}
	if len(r.Kinds) == 0 {
		return nil, fmt.Errorf("no kinds")
	}
	if r.MaxStep == 0 {
		r.MaxStep = 1_000_000_000
	}
	if r.MaxDriftPPM == 0 {
		r.MaxDriftPPM = 200
	}
	until := r.Until
	if until == 0 || until > s.cfg.Duration {
		until = s.cfg.Duration
	}
	if r.HealBy > 0 && until > r.HealBy {
		until = r.HealBy
	}
	exp := func(mean int64) int64 { return 1 + int64(rng.ExpFloat64()*float64(mean)) }
	pick := func(ids []NodeID) string { return s.proc(ids[rng.IntN(len(ids))]).spec.Name }
	holders, issuers := s.holders, s.issuers
	both := append(append([]NodeID(nil), holders...), issuers...)
	if len(holders) == 0 {
		return nil, fmt.Errorf("no holders to aim faults at")
	}
	var out []Fault
	for t := r.From + exp(r.MeanGap); t < until; t += exp(r.MeanGap) {
		kind := r.Kinds[rng.IntN(len(r.Kinds))]
		length := exp(r.MeanLength)
		f := Fault{Kind: kind, At: t, Until: t + length}
		switch kind {
		case FaultPartition:
			var a, b []string
			for _, id := range both {
				if rng.IntN(2) == 0 {
					a = append(a, s.proc(id).spec.Name)
				} else {
					b = append(b, s.proc(id).spec.Name)
				}
			}
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			f.Groups = [][]string{a, b}
		case FaultCut:
			if len(issuers) == 0 {
				continue
			}
			f.Groups = [][]string{{pick(holders)}, s.namesOf(issuers)}
		case FaultCutOneway:
			if len(issuers) == 0 {
				continue
			}
			h := []string{pick(holders)}
			if rng.IntN(2) == 0 {
				f.From, f.To = h, s.namesOf(issuers)
			} else {
				f.From, f.To = s.namesOf(issuers), h
			}
		case FaultIsolate:
			f.Node = pick(holders)
		case FaultCrash:
			f.Node = pick(holders)
		case FaultIssuerCrash:
			if len(issuers) == 0 {
				continue
			}
			f.Kind, f.Node = FaultCrash, pick(issuers)
		case FaultPause:
			f.Node = pick(both)
		case FaultClockStep:
			f.Node, f.Until = pick(both), 0
			f.By = int64((rng.Float64()*2 - 1) * float64(r.MaxStep))
		case FaultDrift:
			f.Node, f.Until = pick(both), 0
			f.PPM = math.Round((rng.Float64()*2-1)*r.MaxDriftPPM*1000) / 1000
		case FaultSlow:
			a, b := pick(both), pick(both)
			f.From, f.To, f.By = []string{a}, []string{b}, exp(r.MeanLength/10)
		case FaultLossy:
			a, b := pick(both), pick(both)
			f.From, f.To, f.P = []string{a}, []string{b}, 0.2+0.8*rng.Float64()
		case FaultReorder:
			f.Window = 1 + rng.Int64N(100_000_000)
		default:
			return nil, fmt.Errorf("kind %q cannot be drawn at random", kind)
		}
		if r.HealBy > 0 && f.Until > r.HealBy {
			f.Until = r.HealBy
		}
		out = append(out, f)
	}
	return out, nil
}

// resolveTarget resolves one node name of a fault at the moment it starts: `leader` is
// the holder claiming the measured lease, `random` a seeded choice among the holders.
func (s *Sim) resolveTarget(f *activeFault, name string) (NodeID, string) {
	switch name {
	case TargetLeader:
		id := s.leaderOf(s.hist.Meta.LeaseName())
		if id == NoNode {
			return NoNode, "no holder claimed the lease"
		}
		return id, ""
	case TargetRandom:
		if len(s.holders) == 0 {
			return NoNode, "no holders"
		}
		rng := newStream(s.cfg.Seed, "target", string(f.Kind), strconv.FormatInt(f.At, 10))
		return s.holders[rng.IntN(len(s.holders))], ""
	}
	return s.names[name], ""
}

// resolveAll resolves a list of names at fault start; it fails (with the reason) when a
// `leader` in it has no holder to stand for.
func (s *Sim) resolveAll(f *activeFault, names []string) ([]NodeID, string) {
	out := make([]NodeID, 0, len(names))
	for _, n := range names {
		id, why := s.resolveTarget(f, n)
		if id == NoNode {
			return nil, why
		}
		out = append(out, id)
	}
	return out, ""
}

// resolve fixes every node a fault names, as of now; it reports why the fault must be
// skipped, or "".
func (s *Sim) resolve(f *activeFault) string {
	var why string
	switch f.Kind {
	case FaultIsolate, FaultCrash, FaultPause, FaultClockStep, FaultDrift:
		f.targets, why = s.resolveAll(f, []string{f.Node})
		return why
	}
	for _, g := range f.Groups {
		ids, why := s.resolveAll(f, g)
		if why != "" {
			return why
		}
		f.groups = append(f.groups, ids)
	}
	if f.from, why = s.resolveAll(f, f.From); why != "" {
		return why
	}
	f.to, why = s.resolveAll(f, f.To)
	return why
}

// startFault applies fault i now and schedules its end.
func (s *Sim) startFault(i int) {
	f := &s.faults[i]
	f.started = true
	s.hash.Int(int64(s.now))
	s.hash.String(string(f.Kind))
	if why := s.resolve(f); why != "" {
		f.skipped = why
		s.traceFault(i, "skipped: "+why)
		return
	}
	s.traceFault(i, "")
	s.applyFault(f, +1)
	switch f.Kind {
	case FaultClockStep, FaultDrift:
		f.ended, f.endedAt = true, s.now
		return
	}
	if f.Until > 0 {
		s.q.push(f.Until, evBody{kind: evFaultEnd, slot: int32(i)})
	}
}

func (s *Sim) endFault(i int) {
	f := &s.faults[i]
	if !f.started || f.ended || f.skipped != "" {
		return
	}
	f.ended, f.endedAt = true, s.now
	s.hash.Int(int64(s.now))
	s.hash.String("end " + string(f.Kind))
	s.traceFault(i, "ends")
	s.applyFault(f, -1)
}

// applyFault applies (dir +1) or lifts (dir -1) a fault.
func (s *Sim) applyFault(f *activeFault, dir int32) {
	net := &s.net
	cut := func(from, to []NodeID) {
		net.eachLink(from, to, func(l *link) {
			if l.cut > 0 {
				net.cutLinks--
			}
			l.cut += dir
			if l.cut > 0 {
				net.cutLinks++
			}
		})
	}
	switch f.Kind {
	case FaultCut, FaultPartition:
		for a := range f.groups {
			for b := range f.groups {
				if a != b {
					cut(f.groups[a], f.groups[b])
				}
			}
		}
	case FaultCutOneway:
		cut(f.from, f.to)
	case FaultIsolate:
		all := make([]NodeID, len(s.procs))
		for i := range all {
			all[i] = NodeID(i + 1)
		}
		cut(f.targets, all)
		cut(all, f.targets)
	case FaultSlow:
		net.eachLink(f.from, f.to, func(l *link) { l.extraDelay += int64(dir) * f.By })
	case FaultLossy:
		s.recomputeLossy(f)
	case FaultReorder:
		s.recomputeReorder()
	case FaultCrash:
		p := s.proc(f.targets[0])
		if dir > 0 {
			s.crash(p)
			p.pauseDepth = 0
		} else {
			s.restart(p)
		}
	case FaultPause:
		p := s.proc(f.targets[0])
		if dir > 0 {
			s.pause(p)
		} else {
			s.resume(p)
		}
	case FaultClockStep:
		p := s.proc(f.targets[0])
		p.clock.step(f.By)
		if s.rec != nil {
			s.recClockPiece(p)
		}
		s.rescheduleClaims(p)
	case FaultDrift:
		p := s.proc(f.targets[0])
		s.setBaseDrift(p, ppmToPPB(f.PPM))
		s.rescheduleTimers(p)
		s.rescheduleClaims(p)
	}
}

// recomputeLossy recomputes the survival probability of the links f covers from every
// lossy fault in force on each of them. Only f's links change: another lossy fault's
// links outside f's keep the product they have (multiplying them again would compound
// their loss whenever two lossy faults on different links overlap in time).
func (s *Sim) recomputeLossy(f *activeFault) {
	loss := s.net.loss
	for _, a := range f.from {
		for _, b := range f.to {
			if a == b {
				continue
			}
			keep := 1.0
			for i := range s.faults {
				g := &s.faults[i]
				if g.Kind != FaultLossy || !g.started || g.ended || g.skipped != "" {
					continue
				}
				if slices.Contains(g.from, a) && slices.Contains(g.to, b) {
					keep *= 1 - g.P
				}
			}
			l := s.net.link(a, b)
			l.keep, l.lostBelow = keep, lostBelow(loss, keep)
		}
	}
}

func (s *Sim) recomputeReorder() {
	s.net.reorder = 0
	for i := range s.faults {
		g := &s.faults[i]
		if g.Kind == FaultReorder && g.started && !g.ended && g.Window > s.net.reorder {
			s.net.reorder = g.Window
		}
	}
}

// recordFault adds fault i, as it was applied, to the history.
func (s *Sim) recordFault(i int) {
	f := &s.faults[i]
	if !f.started {
		return
	}
	hf := history.Fault{Kind: string(f.Kind), From: f.At, To: s.end, Detail: f.describe(s)}
	if f.ended {
		hf.To = f.endedAt
	}
	if f.skipped != "" {
		hf.To = f.At
		hf.Detail += " (skipped: " + f.skipped + ")"
	}
	seen := map[string]bool{}
	add := func(ns ...string) {
		for _, n := range ns {
			if !seen[n] {
				seen[n] = true
				hf.Nodes = append(hf.Nodes, n)
			}
		}
	}
	for _, g := range f.groups {
		add(s.namesOf(g)...)
	}
	add(s.namesOf(f.from)...)
	add(s.namesOf(f.to)...)
	add(s.namesOf(f.targets)...)
	s.hist.Faults = append(s.hist.Faults, hf)
}

func (f *activeFault) describe(s *Sim) string {
	var b strings.Builder
	b.WriteString(string(f.Kind))
	switch f.Kind {
	case FaultCut, FaultPartition:
		for i, g := range f.Groups {
			if i > 0 {
				b.WriteString(" |")
			}
			b.WriteString(" " + f.list(s, g, f.groupAt(i)))
		}
	case FaultCutOneway:
		fmt.Fprintf(&b, " %s -> %s", f.list(s, f.From, f.from), f.list(s, f.To, f.to))
	case FaultSlow:
		fmt.Fprintf(&b, " %s -> %s by %s", f.list(s, f.From, f.from), f.list(s, f.To, f.to), fmtTime(f.By))
	case FaultLossy:
		fmt.Fprintf(&b, " %s -> %s p=%g", f.list(s, f.From, f.from), f.list(s, f.To, f.to), f.P)
	case FaultReorder:
		fmt.Fprintf(&b, " window %s", fmtTime(f.Window))
	default:
		node := f.Node
		if len(f.targets) == 1 {
			node = s.proc(f.targets[0]).spec.Name
			if f.Node == TargetLeader || f.Node == TargetRandom {
				node += " (" + f.Node + ")"
			}
		}
		b.WriteString(" " + node)
		switch f.Kind {
		case FaultClockStep:
			fmt.Fprintf(&b, " by %s", fmtTime(f.By))
		case FaultDrift:
			fmt.Fprintf(&b, " to %gppm", f.PPM)
		}
	}
	return b.String()
}

func (f *activeFault) groupAt(i int) []NodeID {
	if i < len(f.groups) {
		return f.groups[i]
	}
	return nil
}

// list shows a list of names as written, with what leader/random resolved to.
func (f *activeFault) list(s *Sim, names []string, ids []NodeID) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if (n == TargetLeader || n == TargetRandom) && i < len(ids) {
			out[i] = s.name(ids[i]) + " (" + n + ")"
		}
	}
	return strings.Join(out, ",")
}
