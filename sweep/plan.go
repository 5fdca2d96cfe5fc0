package sweep

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// Point is one point of a sweep: its index in the cross product, the swept values, and
// the scenario they make (with the sweep's seed range).
type Point struct {
	Index    int
	Set      map[string]string
	Key      string
	Scenario *scenarios.Scenario
}

// Plan is a sweep checked and expanded: every point's scenario parsed and valid.
type Plan struct {
	// Base is the scenario swept, with the sweep's seed range.
	Base *scenarios.Scenario
	// Sets are the --set flags, in order.
	Sets []Set
	// Swept names the parameters with values of their own, in flag order (the first
	// varies slowest); derived parameters are left out.
	Swept  []string
	Points []Point
}

// BadInput is an error in the sweep's flags or in one of the scenarios they make; the
// command exits 2 with it before anything runs.
type BadInput struct{ Msg string }

// Error returns the message.
func (e *BadInput) Error() string { return e.Msg }

func badInput(format string, args ...any) error {
	return &BadInput{Msg: fmt.Sprintf(format, args...)}
}

// maxReported bounds how many invalid points an error lists.
const maxReported = 10

// NewPlan parses the --set flags, expands them into points and applies each point to
// base, with seeds seeds per point (0: the scenario's count). Any problem is a *BadInput
// naming the flag; nothing is half-planned.
func NewPlan(base *scenarios.Scenario, flags []string, seeds int) (*Plan, error) {
	if len(flags) == 0 {
		return nil, badInput("sweep needs at least one --set NAME=VALUES")
	}
	if seeds < 0 {
		return nil, badInput("--seeds %d: expected a count >= 1 (or 0 for the scenario's count)", seeds)
	}
	b := *base
	if seeds > 0 {
		b.Seeds = scenarios.Seeds{From: base.Seeds.From, Count: seeds}
	}
	sets, err := parseSets(&b, flags)
	if err != nil {
		return nil, err
	}
	p := &Plan{Base: &b, Sets: sets}
	total := 1
	for _, s := range sets {
		if !s.Derived() {
			p.Swept = append(p.Swept, s.Name)
			total *= len(s.Values)
			if total > MaxPoints {
				return nil, badInput("--set: the cross product of %s has more than %d points; at most %d per sweep", strings.Join(flagsOf(sets), " × "), MaxPoints, MaxPoints)
			}
		}
	}
	var msgs []string
	seen := map[string]bool{}
	invalid, unlisted := 0, 0
	for i, set := range cross(sets) {
		probs := derive(sets, set)
		pt := Point{Index: i, Set: set, Key: result.SweepKey(set)}
		sc, more := Apply(&b, set)
		if probs = append(probs, more...); len(probs) > 0 {
			invalid++
			listed := false
			for _, m := range describe(sets, set, probs) {
				if !seen[m] && len(msgs) < maxReported {
					seen[m], listed = true, true
					msgs = append(msgs, m)
				}
			}
			if !listed {
				unlisted++
			}
			continue
		}
		pt.Scenario = sc
		p.Points = append(p.Points, pt)
	}
	if invalid > 0 {
		if unlisted > 0 {
			msgs = append(msgs, fmt.Sprintf("(%d invalid points of %d in all)", invalid, total))
		}
		return nil, &BadInput{Msg: strings.Join(msgs, "\n")}
	}
	return p, nil
}

// parseSets parses the flags and checks their names: known, set once, and a derived
// set divides a parameter that has values of its own.
func parseSets(base *scenarios.Scenario, flags []string) ([]Set, error) {
	proto, ok := model.Lookup(base.Protocol)
	if !ok {
		return nil, badInput("%s: unknown protocol %q", base.File, base.Protocol)
	}
	known := map[string]bool{}
	var names []string
	for _, prm := range proto.AllParams() {
		known[prm.Name] = true
		names = append(names, prm.Name)
	}
	var sets []Set
	byName := map[string]Set{}
	for _, f := range flags {
		s, err := ParseSet(f)
		if err != nil {
			return nil, &BadInput{Msg: err.Error()}
		}
		if _, knob := Knobs[s.Name]; !known[s.Name] && !knob {
			return nil, badInput("--set %s: protocol %s has no parameter %q (it has %s), and it is not one of %s", f, proto.Name, s.Name, strings.Join(names, ", "), strings.Join(KnobNames(), ", "))
		}
		if prev, dup := byName[s.Name]; dup {
			return nil, badInput("--set %s: %s is already set by --set %s; give each parameter one --set", f, s.Name, prev.Flag)
		}
		byName[s.Name] = s
		sets = append(sets, s)
	}
	for _, s := range sets {
		if !s.Derived() {
			continue
		}
		if of, ok := byName[s.Of]; !ok || of.Derived() {
			var swept []string
			for _, o := range sets {
				if !o.Derived() {
					swept = append(swept, o.Name)
				}
			}
			here := "none"
			if len(swept) > 0 {
				here = strings.Join(swept, ", ")
			}
			return nil, badInput("--set %s: %s is not swept by another --set; NAME=OTHER/N divides a parameter that has values of its own (here: %s)", s.Flag, s.Of, here)
		}
	}
	return sets, nil
}

// cross expands the sets into points, the first set varying slowest.
func cross(sets []Set) []map[string]string {
	points := []map[string]string{{}}
	for _, s := range sets {
		if s.Derived() {
			continue
		}
		next := make([]map[string]string, 0, len(points)*len(s.Values))
		for _, p := range points {
			for _, v := range s.Values {
				q := make(map[string]string, len(p)+1)
				for k, x := range p {
					q[k] = x
				}
				q[s.Name] = v
				next = append(next, q)
			}
		}
		points = next
	}
	return points
}

// derive computes the derived values of a point in place: durations divided and rounded
// to the microsecond, numbers divided.
func derive(sets []Set, point map[string]string) []Problem {
	var probs []Problem
	for _, s := range sets {
		if !s.Derived() {
			continue
		}
		v := point[s.Of]
		if d, err := time.ParseDuration(v); err == nil {
			point[s.Name] = time.Duration(float64(d) / s.Div).Round(time.Microsecond).String()
		} else if x, err := strconv.ParseFloat(v, 64); err == nil {
			point[s.Name] = strconv.FormatFloat(x/s.Div, 'g', 10, 64)
		} else {
			probs = append(probs, Problem{Param: s.Name, Msg: fmt.Sprintf("%s=%s is neither a duration nor a number, so it cannot be divided", s.Of, v)})
		}
	}
	return probs
}

// describe writes a point's problems, each naming the flag it comes from.
func describe(sets []Set, point map[string]string, probs []Problem) []string {
	var out []string
	ctx := ""
	if len(point) > 1 {
		ctx = " (at " + result.SweepKey(point) + ")"
	}
	for _, pr := range probs {
		field := ""
		if pr.Field != "" {
			field = pr.Field + ": "
		}
		var flag string
		switch s := setNamed(sets, pr.Param); {
		case s == nil:
			flag = strings.Join(pointFlags(sets, point), " ")
		case s.Derived():
			flag = fmt.Sprintf("--set %s%s", s.Flag, ctx)
		default:
			flag = fmt.Sprintf("--set %s=%s%s", s.Name, point[s.Name], ctx)
		}
		out = append(out, fmt.Sprintf("%s: %s%s", flag, field, pr.Msg))
	}
	return out
}

func setNamed(sets []Set, name string) *Set {
	for i := range sets {
		if sets[i].Name == name {
			return &sets[i]
		}
	}
	return nil
}

// pointFlags names a point as the flags that make it: --set NAME=VALUE for each swept
// parameter, the flag itself for a derived one.
func pointFlags(sets []Set, point map[string]string) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		if s.Derived() {
			out[i] = "--set " + s.Flag
		} else {
			out[i] = "--set " + s.Name + "=" + point[s.Name]
		}
	}
	return out
}

func flagsOf(sets []Set) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = "--set " + s.Flag
	}
	return out
}
