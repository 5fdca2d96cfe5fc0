package sweep

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxValues bounds the values one --set may expand to: a range that would give more is
// an error, never cut short.
const MaxValues = 10000

// MaxPoints bounds the points of a sweep (the product of the --set value counts).
const MaxPoints = 100000

// Set is one --set flag: a parameter and its values, or a value derived from another
// swept parameter ("renew=lease/4").
type Set struct {
	// Flag is the flag's text as given ("lease=1s,2s").
	Flag string
	// Name is the parameter (a protocol parameter, or loss, mean_gap, drift_ppm).
	Name string
	// Values are the values in order; empty for a derived set.
	Values []string
	// Of and Div make a derived set: Name = Of / Div at every point.
	Of  string
	Div float64
}

// Derived says whether the set divides another swept parameter.
func (s Set) Derived() bool { return s.Of != "" }

var (
	nameRE    = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	derivedRE = regexp.MustCompile(`^([a-z_][a-z0-9_]*)/(.+)$`)
)

// ParseSet reads NAME=v1,v2,…, NAME=FROM:TO:STEP (durations or numbers) or NAME=OTHER/N.
// Errors name the flag.
func ParseSet(flag string) (Set, error) {
	name, val, ok := strings.Cut(flag, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return Set{}, fmt.Errorf("--set %s: expected NAME=v1,v2,… or NAME=FROM:TO:STEP or NAME=OTHER/N", flag)
	}
	if !nameRE.MatchString(name) {
		return Set{}, fmt.Errorf("--set %s: %q is not a parameter name; expected lower-case letters, digits and _", flag, name)
	}
	set := Set{Flag: flag, Name: name}
	if m := derivedRE.FindStringSubmatch(val); m != nil {
		d, err := strconv.ParseFloat(m[2], 64)
		if err != nil || !(d > 0) || math.IsInf(d, 0) {
			return Set{}, fmt.Errorf("--set %s: %q is not a positive divisor; expected NAME=OTHER/N like renew=lease/4", flag, m[2])
		}
		set.Of, set.Div = m[1], d
		return set, nil
	}
	if strings.Contains(val, ":") {
		vals, err := parseRange(val)
		if err != nil {
			return Set{}, fmt.Errorf("--set %s: %v", flag, err)
		}
		set.Values = vals
		return set, nil
	}
	for _, v := range strings.Split(val, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return Set{}, fmt.Errorf("--set %s: an empty value in the list; expected NAME=v1,v2,…", flag)
		}
		set.Values = append(set.Values, v)
	}
	if len(set.Values) > MaxValues {
		return Set{}, fmt.Errorf("--set %s: %d values; at most %d per --set", flag, len(set.Values), MaxValues)
	}
	return set, nil
}

// parseRange expands FROM:TO:STEP: three durations or three numbers, FROM <= TO,
// STEP > 0, at most MaxValues values.
func parseRange(val string) ([]string, error) {
	parts := strings.Split(val, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("a range is FROM:TO:STEP (three parts, like 1s:10s:1s); got %d part(s)", len(parts))
	}
	from, e1 := time.ParseDuration(parts[0])
	to, e2 := time.ParseDuration(parts[1])
	step, e3 := time.ParseDuration(parts[2])
	if e1 == nil && e2 == nil && e3 == nil {
		span := to - from
		if step <= 0 || to < from || span < 0 {
			return nil, fmt.Errorf("expected FROM <= TO and STEP > 0")
		}
		n := span/step + 1
		if n > MaxValues {
			return nil, fmt.Errorf("%d values; at most %d per --set (a longer STEP or a shorter range)", n, MaxValues)
		}
		out := make([]string, n)
		for i := range out {
			out[i] = (from + time.Duration(i)*step).String()
		}
		return out, nil
	}
	a, e1 := strconv.ParseFloat(parts[0], 64)
	b, e2 := strconv.ParseFloat(parts[1], 64)
	st, e3 := strconv.ParseFloat(parts[2], 64)
	finite := !math.IsInf(a, 0) && !math.IsInf(b, 0) && !math.IsInf(st, 0) && !math.IsNaN(a) && !math.IsNaN(b) && !math.IsNaN(st)
	if e1 != nil || e2 != nil || e3 != nil || !finite || !(st > 0) || b < a {
		return nil, fmt.Errorf("FROM:TO:STEP must be three durations or three numbers, FROM <= TO, STEP > 0")
	}
	var out []string
	for x := a; x <= b+st/1e9; x += st {
		if len(out) == MaxValues {
			return nil, fmt.Errorf("more than %d values; at most %d per --set (a larger STEP or a shorter range)", MaxValues, MaxValues)
		}
		out = append(out, strconv.FormatFloat(x, 'g', 10, 64))
	}
	return out, nil
}
