package scenarios

import (
	"fmt"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/sim"
)

// Periodic is a clock's periodic rate component: the rate deviates from its drift by
// AmplitudePPM·sin(2π·t/Period + Phase) ppm. HasPhase says the file gave a phase; under
// "default" without one, each node draws its phase from its own clock stream.
type Periodic struct {
	AmplitudePPM float64
	Period       time.Duration
	Phase        float64
	HasPhase     bool
}

// Slew is a clock's NTP-like slew toward true time (sim.Slew): every Interval it sets
// a correction rate of −error/Interval, within ±MaxPPM.
type Slew struct {
	MaxPPM   float64
	Interval time.Duration
}

// DefaultSlewInterval is the slew's poll interval when a file gives none (ntpd's and
// chrony's shortest default poll, 64s).
const DefaultSlewInterval = 64 * time.Second

// Limits on the durations of the clock section.
const (
	minClockPeriod = time.Millisecond
	maxClockPeriod = 1000 * time.Hour
)

// clockKeys are the keys a clocks entry accepts.
var clockKeys = []string{"drift_ppm", "offset", "periodic", "slew"}

// clockDynamics decodes the periodic and slew keys of one clocks entry (field is its
// path, "clocks.A").
func (d *decoder) clockDynamics(cm *mapping, field string, c *Clock) {
	if v, ok := cm.take("periodic"); ok {
		c.Periodic = d.periodic(v, join(field, "periodic"))
	}
	if v, ok := cm.take("slew"); ok {
		c.Slew = d.slew(v, join(field, "slew"))
	}
}

func (d *decoder) ppmIn(n ast.Node, field string) (float64, bool) {
	f, ok := d.number(n, field)
	if ok && (f < 0 || f >= 1e6) {
		d.errorf(n, field, "%v is out of range; expected a rate in [0, 1000000) ppm", f)
		return 0, false
	}
	return f, ok
}

func (d *decoder) clockPeriod(n ast.Node, field string) (time.Duration, bool) {
	p, ok := d.duration(n, field, false)
	if ok && (p < minClockPeriod || p > maxClockPeriod) {
		d.errorf(n, field, "%s is out of range; expected a duration between %s and %s", p, minClockPeriod, maxClockPeriod)
		return 0, false
	}
	return p, ok
}

func (d *decoder) periodic(n ast.Node, field string) *Periodic {
	m, ok := d.mapping(n, field)
	if !ok {
		return nil
	}
	var p Periodic
	good := d.required(m, n, field, "amplitude_ppm", "the amplitude of the rate's swing in ppm, like amplitude_ppm: 500",
		func(v ast.Node, f string) (ok bool) { p.AmplitudePPM, ok = d.ppmIn(v, f); return ok })
	good = d.required(m, n, field, "period", "the swing's period, like period: 10m",
		func(v ast.Node, f string) (ok bool) { p.Period, ok = d.clockPeriod(v, f); return ok }) && good
	if v, ok := m.take("phase"); ok {
		p.Phase, p.HasPhase = d.number(v, join(field, "phase"))
		good = good && p.HasPhase
	}
	d.done(m, field, "amplitude_ppm", "period", "phase")
	if !good {
		return nil
	}
	return &p
}

func (d *decoder) slew(n ast.Node, field string) *Slew {
	m, ok := d.mapping(n, field)
	if !ok {
		return nil
	}
	s := Slew{Interval: DefaultSlewInterval}
	good := d.required(m, n, field, "max_ppm", "the largest correction rate in ppm, like max_ppm: 500",
		func(v ast.Node, f string) (ok bool) { s.MaxPPM, ok = d.ppmIn(v, f); return ok })
	if v, ok := m.take("interval"); ok {
		var iok bool
		s.Interval, iok = d.clockPeriod(v, join(field, "interval"))
		good = good && iok
	}
	d.done(m, field, "max_ppm", "interval")
	if !good {
		return nil
	}
	return &s
}

// simDynamics fills the periodic and slew parts of a node's clock spec from the default
// entry and the node's own (which replaces the default's component by component).
func simDynamics(def, own *Clock, c *sim.ClockSpec) {
	var per *Periodic
	var slew *Slew
	for _, e := range []*Clock{def, own} {
		if e == nil {
			continue
		}
		if e.Periodic != nil {
			per = e.Periodic
		}
		if e.Slew != nil {
			slew = e.Slew
		}
	}
	if per != nil {
		c.Periodic = &sim.PeriodicRate{AmplitudePPM: per.AmplitudePPM, Period: int64(per.Period), Phase: per.Phase,
			RandomPhase: !per.HasPhase && (own == nil || own.Periodic == nil)}
	}
	if slew != nil {
		c.Slew = &sim.Slew{MaxPPM: slew.MaxPPM, Interval: int64(slew.Interval)}
	}
}

// dynamicsYAML returns the periodic and slew keys of a clocks entry as flow-style YAML
// parts.
func (c Clock) dynamicsYAML() []string {
	var parts []string
	if p := c.Periodic; p != nil {
		s := fmt.Sprintf("periodic: {amplitude_ppm: %s, period: %s", num(p.AmplitudePPM), result.FormatDuration(p.Period))
		if p.HasPhase {
			s += ", phase: " + num(p.Phase)
		}
		parts = append(parts, s+"}")
	}
	if s := c.Slew; s != nil {
		parts = append(parts, fmt.Sprintf("slew: {max_ppm: %s, interval: %s}", num(s.MaxPPM), result.FormatDuration(s.Interval)))
	}
	return parts
}

// WorstRatePPM returns the largest |rate − 1| in ppm that any clock of the scenario can
// reach: drift (or its draw bound) plus periodic amplitude plus slew bound, per node.
// Guard bands must be sized by it (lease.MinGuard), not by the mean drift.
func (s *Scenario) WorstRatePPM() float64 {
	w := 0.0
	for _, n := range s.nodeNames() {
		w = max(w, s.clockSpec(n).WorstRatePPM())
	}
	return w
}

// required takes key from m (the mapping at field, node n) and decodes it with decode,
// which reports its own errors; a missing key is an error that says what is expected.
func (d *decoder) required(m *mapping, n ast.Node, field, key, expected string, decode func(v ast.Node, field string) bool) bool {
	v, ok := m.take(key)
	if !ok {
		d.errorf(n, join(field, key), "missing; expected %s", expected)
		return false
	}
	return decode(v, join(field, key))
}
