package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// The limits a scenario is checked against once every field parses (FORMAT.md, Limits).
// Each duration is at most model.MaxDuration on its own (decoder.duration, and
// model.Protocol.ParseValues for protocol parameters); these bound what the fields
// add up to.
const (
	// MaxPeriodicEvents bounds the events a run's protocol periods (model.Period,
	// model.LeasePeriod) pace: the sum over the periods of duration / period × the
	// nodes that run it (every holder and issuer; the one leader for write_every, and
	// only with a resource) × (1 + the period's Times parameter), so that a run ends in
	// minutes, not days.
	MaxPeriodicEvents = 100_000_000
	// MaxRandomFaults bounds the faults a random schedule draws on average: its span /
	// mean_gap.
	MaxRandomFaults = 100_000
	// MinMeanGap is the shortest mean gap between random faults.
	MinMeanGap = model.MinPeriod
)

// maxText is model.MaxDuration as the files write it.
var maxText = fmt.Sprintf("%dh", model.MaxDuration/time.Hour)

// limitNodes are the nodes a limit error points at.
type limitNodes struct {
	top    *mapping
	faults ast.Node // nil when the file has no faults
}

// at returns the node of a top-level key, or the top mapping when the file leaves it out.
func (l limitNodes) at(key string) ast.Node {
	if n, ok := l.top.key[key]; ok {
		return n
	}
	return l.top.node
}

// param returns the key node of a protocol parameter, or where the parameters (or the
// file) start when it is a default.
func (l limitNodes) param(name string) ast.Node {
	p, ok := l.top.value["params"]
	if !ok {
		return l.top.node
	}
	var values []*ast.MappingValueNode
	switch v := p.(type) {
	case *ast.MappingNode:
		values = v.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{v}
	}
	for _, mv := range values {
		if s, ok := mv.Key.(*ast.StringNode); ok && s.Value == name {
			return mv
		}
	}
	return l.top.key["params"]
}

// checkLimits checks the bounds that involve several fields: how often each protocol
// period fires in the run, how many faults a random schedule draws, and the run's
// horizon — run length plus the largest clock offset, every clock step and the longest
// protocol duration — which must stay within model.MaxDuration so that no time a run
// computes can overflow.
func (d *decoder) checkLimits(l limitNodes, sc *Scenario, proto *model.Protocol) {
	var durs []model.ParamDuration
	if proto != nil {
		durs = proto.Durations(sc.Values)
	}
	d.checkPeriodicEvents(l, sc, durs)

	// The horizon, in float64: its terms are bounded, but a product is not.
	var terms []string
	total := float64(sc.Duration)
	terms = append(terms, fmt.Sprintf("duration %s", sc.Duration))
	var offset time.Duration
	offsetAt := ""
	for _, k := range sortedKeys(sc.Clocks) {
		if o := absDur(sc.Clocks[k].Offset); o > offset {
			offset, offsetAt = o, k
		}
	}
	if offset > 0 {
		total += float64(offset)
		terms = append(terms, fmt.Sprintf("clock offset %s (clocks.%s)", offset, offsetAt))
	}
	var steps float64
	for i, f := range sc.Faults {
		switch {
		case f.Kind == sim.FaultClockStep:
			steps += float64(absDur(f.By))
		case f.Random != nil:
			r := f.Random
			until := r.Until
			if until == 0 || until > sc.Duration {
				until = sc.Duration
			}
			field := join(index("faults", i), "random.mean_gap")
			at := l.faultNode(i)
			if r.MeanGap < MinMeanGap {
				d.errorf(at, field, "%s is too short; expected at least %s", r.MeanGap, MinMeanGap)
				continue
			}
			expected := float64(until-r.From) / float64(r.MeanGap)
			what, minGap := "", (until-r.From)/MaxRandomFaults
			if r.Swarm {
				// A swarm seed may draw up to SwarmMaxRate() times the configured rate.
				f := SwarmMaxRate()
				expected *= f
				what, minGap = fmt.Sprintf(" in a swarm seed at %g times its rate", f), time.Duration(math.Ceil(float64(minGap)*f/float64(time.Millisecond)))*time.Millisecond
			}
			if expected > MaxRandomFaults {
				d.errorf(at, field, "%s draws about %.0f faults between %s and %s%s; expected at most %d (a mean_gap of at least %s)",
					r.MeanGap, expected, r.From, until, what, MaxRandomFaults, minGap)
				continue
			}
			if slices.Contains(r.Kinds, sim.FaultClockStep) {
				step := r.MaxStep
				if step == 0 {
					step = time.Second // sim's default
				}
				steps += math.Ceil(expected) * float64(step)
			}
		}
	}
	if steps > 0 {
		total += steps
		terms = append(terms, fmt.Sprintf("clock steps %s", time.Duration(min(steps, math.MaxInt64))))
	}
	var longest model.ParamDuration
	for _, pd := range durs {
		if pd.Value > longest.Value {
			longest = pd
		}
	}
	if longest.Value > 0 {
		total += float64(longest.Value)
		terms = append(terms, fmt.Sprintf("params.%s %s", longest.Param.Name, longest.Value))
	}
	if total > float64(model.MaxDuration) {
		d.errorf(l.at("duration"), "duration", "the run's horizon %s adds up to %s; expected at most %s (FORMAT.md, Limits)",
			strings.Join(terms, " + "), fmtTotal(total), maxText)
	}
}

// checkPeriodicEvents bounds the events the protocol's periods pace over the run
// (MaxPeriodicEvents), pointing at the period that paces the most.
func (d *decoder) checkPeriodicEvents(l limitNodes, sc *Scenario, durs []model.ParamDuration) {
	nodes := float64(len(sc.Holders) + sc.Issuers)
	var total, most float64
	var parts []string
	var mostName string
	for _, pd := range durs {
		if pd.Param.Pacing == model.NotPeriod || pd.Value <= 0 {
			continue
		}
		mult, who := nodes, fmt.Sprintf("%.0f nodes", nodes)
		if pd.Param.Name == model.WriteEvery {
			if !sc.Resource {
				continue // nothing writes
			}
			mult, who = 1, "the leader"
		}
		if pd.Param.Times != "" {
			n := float64(sc.Values.Int(pd.Param.Times))
			mult *= 1 + n
			who += fmt.Sprintf(" × (1 + %s %.0f)", pd.Param.Times, n)
		}
		ev := float64(sc.Duration/pd.Value) * mult
		total += ev
		parts = append(parts, fmt.Sprintf("%s %s: %d × %s", pd.Param.Name, pd.Value, int64(sc.Duration/pd.Value), who))
		if ev > most {
			most, mostName = ev, pd.Param.Name
		}
	}
	if total > MaxPeriodicEvents {
		d.errorf(l.param(mostName), "params."+mostName, "a %s run paces about %.0f periodic events (%s); expected at most %d: a longer period, a shorter duration or fewer nodes",
			sc.Duration, total, strings.Join(parts, "; "), MaxPeriodicEvents)
	}
}

// faultNode returns the node of faults[i].
func (l limitNodes) faultNode(i int) ast.Node {
	if s, ok := l.faults.(*ast.SequenceNode); ok && i < len(s.Values) {
		return s.Values[i]
	}
	return l.at("faults")
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// fmtTotal prints a horizon that may exceed what a time.Duration holds.
func fmtTotal(ns float64) string {
	if ns < math.MaxInt64/2 {
		return time.Duration(ns).String()
	}
	return fmt.Sprintf("%.0fh", ns/float64(time.Hour))
}
