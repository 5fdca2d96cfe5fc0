package sweep

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/scenarios"
)

// Knobs are the scenario settings a sweep may vary besides protocol parameters, with
// what each sets.
var Knobs = map[string]string{
	"loss":      "network.loss, the network's loss probability",
	"mean_gap":  "the mean_gap of every random: fault entry",
	"drift_ppm": "clocks.default.drift_ppm, the default clock drift bound",
}

// KnobNames lists the knobs in order.
func KnobNames() []string {
	names := make([]string, 0, len(Knobs))
	for k := range Knobs {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Placeholders written into the canonical form where a knob's value goes. Each is a
// value no scenario plausibly holds; apply checks that it occurs exactly where expected.
const (
	lossMark  = 0.000314159265358979
	driftMark = 271828.182845904
	gapMark   = 31415926535 * time.Nanosecond
)

func paramMark(i int) string { return fmt.Sprintf("zzsweepset%dzz", i) }

// Problem is one reason a point's scenario is invalid: the swept parameter it concerns
// ("" when it concerns the point as a whole), the scenario field and the parser's
// message.
type Problem struct {
	Param string
	Field string
	Msg   string
}

// Apply returns base with a point's values applied. The values are written into the
// scenario's canonical YAML form and the text is parsed again by scenarios.Parse, so
// that a value obeys the rules of a scenario file. The problems say what is wrong, one
// per parser error.
func Apply(base *scenarios.Scenario, point map[string]string) (*scenarios.Scenario, []Problem) {
	text, probs := canonicalWith(base, point)
	if len(probs) > 0 {
		return nil, probs
	}
	sc, err := scenarios.Parse(text, "--set")
	if err != nil {
		return nil, problems(err, point)
	}
	sc.File = base.File
	return sc, nil
}

// canonicalWith marshals base with a placeholder at every swept field and replaces each
// placeholder by the point's value, as YAML text.
func canonicalWith(base *scenarios.Scenario, point map[string]string) ([]byte, []Problem) {
	c := *base
	c.Params = map[string]string{}
	for k, v := range base.Params {
		c.Params[k] = v
	}
	names := sortedNames(point)
	type repl struct {
		param, needle, with string
		count               int
	}
	var rs []repl
	for i, k := range names {
		v := point[k]
		switch k {
		case "loss":
			c.Network.Loss = lossMark
			rs = append(rs, repl{k, "loss: " + num(lossMark), "loss: " + plain(v), 1})
		case "drift_ppm":
			c.Clocks = map[string]scenarios.Clock{}
			for n, cl := range base.Clocks {
				c.Clocks[n] = cl
			}
			def := c.Clocks["default"]
			def.DriftPPM, def.HasDrift = driftMark, true
			c.Clocks["default"] = def
			rs = append(rs, repl{k, "drift_ppm: " + num(driftMark), "drift_ppm: " + plain(v), 1})
		case "mean_gap":
			n := 0
			c.Faults = append([]scenarios.Fault(nil), base.Faults...)
			for j := range c.Faults {
				if c.Faults[j].Random != nil {
					r := *c.Faults[j].Random
					r.MeanGap = gapMark
					c.Faults[j].Random = &r
					n++
				}
			}
			if n == 0 {
				return nil, []Problem{{Param: k, Field: "faults", Msg: "the scenario has no random: fault entry whose mean_gap could be set"}}
			}
			rs = append(rs, repl{k, "mean_gap: " + gapMark.String(), "mean_gap: " + plain(v), n})
		default:
			// A parameter is text to its protocol: quoted, it reaches the protocol's
			// checks exactly as written, as a quoted value in a file would.
			c.Params[k] = paramMark(i)
			rs = append(rs, repl{k, ": " + paramMark(i), ": " + strconv.Quote(v), 1})
		}
	}
	text := string(c.Marshal())
	for _, r := range rs {
		if got := strings.Count(text, r.needle); got != r.count {
			return nil, []Problem{{Param: r.param, Msg: fmt.Sprintf("cannot place the value in the scenario (its placeholder %q occurs %d times, expected %d); please report this", r.needle, got, r.count)}}
		}
		text = strings.ReplaceAll(text, r.needle, r.with)
	}
	return []byte(text), nil
}

// plainRE matches values that are one plain YAML scalar in a flow mapping: numbers,
// durations, words.
var plainRE = regexp.MustCompile(`^([A-Za-z0-9_.µ]|[+-][0-9.])[A-Za-z0-9_.+µ-]*$`)

// plain writes a knob's value as a file would hold it: unquoted when it is one plain
// scalar (so that YAML types it, 0.5 a number and 2s a string), else double-quoted (and
// the parser then says what it expected).
func plain(v string) string {
	if plainRE.MatchString(v) {
		return v
	}
	return strconv.Quote(v)
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// problems turns the parser's errors into problems attributed to swept parameters.
func problems(err error, point map[string]string) []Problem {
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		var one *scenarios.Error
		if !errors.As(err, &one) {
			return []Problem{{Msg: err.Error()}}
		}
		list = scenarios.ErrorList{one}
	}
	out := make([]Problem, 0, len(list))
	for _, e := range list {
		out = append(out, Problem{Param: paramOf(e.Field, point), Field: e.Field, Msg: e.Msg})
	}
	return out
}

// paramOf returns the swept parameter a scenario field belongs to, or "".
func paramOf(field string, point map[string]string) string {
	var p string
	switch {
	case strings.HasPrefix(field, "params."):
		p = strings.TrimPrefix(field, "params.")
	case field == "network.loss":
		p = "loss"
	case field == "clocks.default.drift_ppm":
		p = "drift_ppm"
	case strings.HasPrefix(field, "faults[") && strings.HasSuffix(field, ".random.mean_gap"):
		p = "mean_gap"
	}
	if _, ok := point[p]; ok {
		return p
	}
	return ""
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
