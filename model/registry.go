package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/sim"
)

// ParamKind is the type of a protocol parameter.
type ParamKind uint8

// The parameter types.
const (
	Duration ParamKind = iota // a Go duration string: "500ms", "10s"
	Bool                      // true | false
	Int                       // a decimal integer
	Enum                      // one of Param.Values
)

func (k ParamKind) String() string {
	switch k {
	case Duration:
		return "duration"
	case Bool:
		return "bool"
	case Int:
		return "int"
	case Enum:
		return "enum"
	}
	return "?"
}

// Param declares one protocol parameter: its scenario name, type, default and meaning.
type Param struct {
	Name    string
	Kind    ParamKind
	Default string
	Values  []string // Enum only
	Doc     string
	// Pacing says whether a duration parameter is the period of a repeating event (a
	// renewal, a heartbeat, a write), which bounds it from below (ParseValues).
	Pacing Pacing
	// Times names an Int parameter n when a period paces n+1 events on a node rather
	// than one (etcd's keepalive: a KeepAlive per key lease besides the election's), for
	// the bound on a run's periodic events (scenarios' MaxPeriodicEvents).
	Times string
}

// Pacing classifies a duration parameter by the events it paces.
type Pacing uint8

// The pacings of a duration parameter.
const (
	// NotPeriod: a length (a lease, a timeout, a cost), not a period.
	NotPeriod Pacing = iota
	// Period: the period of a repeating event, at least MinPeriod.
	Period
	// LeasePeriod: the period of a repeating event of the lease itself (a renewal, a
	// keepalive), at least MinPeriod and at least the lease (Protocol.LeaseParam) divided
	// by MaxPeriodsPerLease.
	LeasePeriod
)

// The bounds every duration parameter, and every duration of a scenario, is checked
// against before a run starts (scenarios/FORMAT.md "Limits").
const (
	// MaxDuration bounds every duration, and the sums a scenario forms from them (run
	// length + clock offsets + clock steps + the longest protocol duration): at most
	// 1000h keeps every sum the simulator and the protocols form from them — a deadline
	// read on a clock running up to twice true time, plus offsets, steps and delays —
	// far inside int64 nanoseconds (about 2,562,047h).
	MaxDuration = 1000 * time.Hour
	// MinPeriod is the shortest period of a repeating event.
	MinPeriod = time.Millisecond
	// MaxPeriodsPerLease bounds how many periods of a LeasePeriod parameter fit in one
	// lease: a renewal period is at least lease/1000.
	MaxPeriodsPerLease = 1000
)

// Mutant is a deliberately broken variant of a protocol.
type Mutant struct {
	Name string
	Doc  string
	// Breaks names the property its bug violates ("p1", "p2", "p3", "p4", or "liveness":
	// stuck once the faults heal, seen only in a scenario with a fault-free tail).
	Breaks string
}

// Setup is what a protocol needs to build the nodes of one run.
type Setup struct {
	Holders  []string // holder names, A, B, C, …
	Issuers  []string // Q, or Q1..Qn
	Resource string   // "R", or "" when the run has no resource
	Params   Values
	Mutant   string // "" for the correct protocol
}

// Protocol is a registered lease protocol.
type Protocol struct {
	Name string
	Doc  string
	// Params lists the protocol's own parameters; CommonParams are added to every
	// protocol.
	Params  []Param
	Mutants []Mutant
	// MaxIssuers is the largest issuer count the protocol supports (1 for a single
	// issuer).
	MaxIssuers int
	// LeaseParam names the duration parameter that is the protocol's lease length (the
	// bound of its LeasePeriod parameters), or "" when the protocol has no lease.
	LeaseParam string
	// Validate checks relations between parameter values (renew < lease, …); it may be
	// nil. ParseValues has checked every value's kind and bounds before it is called.
	Validate func(v Values) error
	// Build returns the state machine constructor of every node, by name.
	Build func(s Setup) (map[string]func() sim.Node, error)
	// MsgName names the protocol's message types in transcripts; it may be nil.
	MsgName sim.MsgNamer
	// OpModel returns the porcupine model of the protocol's client API, which checks P3
	// over the history's Ops (porcupine Input and Output are both the history.Op); nil
	// for protocols without a client API.
	OpModel func() porcupine.Model
	// PendingOpsInvisible says that OpModel treats an operation that never returned as
	// having no effect it must account for (its effects are accounted for when a later
	// answer shows them), so that the checker may leave such operations out: porcupine
	// would otherwise try every place for each of them, which is exponential when a
	// partition leaves many calls unanswered.
	PendingOpsInvisible bool
	// GuardBound returns the least safe guard, in nanoseconds, for a lease of lease ns
	// when clock rates are off true time by at most maxDriftPPM and wall clocks by at
	// most maxOffset ns, given the scenario's parameter values v (an expiry mode, say).
	// It is nil for a protocol without lease, renew and guard duration parameters;
	// `leasesim tune` searches those three for a protocol that sets it, with guards
	// around this bound.
	GuardBound func(lease int64, maxDriftPPM float64, maxOffset int64, v Values) int64
	// GuardRule says in words what GuardBound computes ("guard >= lease × ρ"), for tune's
	// recommendation; it may be empty.
	GuardRule string
}

// WriteEvery is the common parameter that paces a leader's writes to the resource.
const WriteEvery = "write_every"

// CommonParams are the parameters every protocol has.
var CommonParams = []Param{
	{Name: WriteEvery, Kind: Duration, Default: "100ms", Pacing: Period, Doc: "how often a leader writes to the resource R (with resource: true)"},
}

// AllParams returns the protocol's parameters followed by the common ones.
func (p *Protocol) AllParams() []Param {
	out := append([]Param(nil), p.Params...)
	return append(out, CommonParams...)
}

// Param returns the parameter of the protocol named name (its own or a common one).
func (p *Protocol) Param(name string) (Param, bool) {
	for _, prm := range p.AllParams() {
		if prm.Name == name {
			return prm, true
		}
	}
	return Param{}, false
}

// Mutant returns the named mutant.
func (p *Protocol) Mutant(name string) (Mutant, bool) {
	for _, m := range p.Mutants {
		if m.Name == name {
			return m, true
		}
	}
	return Mutant{}, false
}

var registry = map[string]*Protocol{}

// Register adds a protocol to the catalog; it panics on a duplicate name (a programming
// error caught at init).
func Register(p *Protocol) {
	if _, dup := registry[p.Name]; dup {
		panic("model: protocol registered twice: " + p.Name)
	}
	if p.MaxIssuers == 0 {
		p.MaxIssuers = 1
	}
	registry[p.Name] = p
}

// Lookup returns the named protocol.
func Lookup(name string) (*Protocol, bool) {
	p, ok := registry[name]
	return p, ok
}

// Protocols returns every registered protocol, sorted by name.
func Protocols() []*Protocol {
	out := make([]*Protocol, 0, len(registry))
	for _, p := range registry {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the registered protocol names, sorted.
func Names() []string {
	var out []string
	for _, p := range Protocols() {
		out = append(out, p.Name)
	}
	return out
}

// Values are a protocol's parameter values after validation: every declared parameter is
// present (given or defaulted) and parses as its kind.
type Values struct {
	raw   map[string]string
	kinds map[string]ParamKind
}

// ParamError is an invalid parameter value; Param names the parameter so that a caller
// can point at its position in a file.
type ParamError struct {
	Param string
	Msg   string
}

func (e *ParamError) Error() string { return fmt.Sprintf("params.%s: %s", e.Param, e.Msg) }

// ParseValues checks raw values against the protocol's parameters and fills in defaults.
// Unknown names, unparsable values, durations outside [0, MaxDuration], periods below
// MinPeriod (or, for a LeasePeriod, below the lease / MaxPeriodsPerLease) and the
// protocol's own relations (Validate) are ParamErrors.
func (p *Protocol) ParseValues(raw map[string]string) (Values, error) {
	v := Values{raw: map[string]string{}, kinds: map[string]ParamKind{}}
	decl := map[string]Param{}
	var names []string
	for _, prm := range p.AllParams() {
		decl[prm.Name] = prm
		names = append(names, prm.Name)
		v.raw[prm.Name] = prm.Default
		v.kinds[prm.Name] = prm.Kind
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		prm, ok := decl[k]
		if !ok {
			return Values{}, &ParamError{Param: k, Msg: fmt.Sprintf("protocol %s has no parameter %q; it has %s", p.Name, k, strings.Join(names, ", "))}
		}
		if err := checkKind(prm, raw[k]); err != nil {
			return Values{}, &ParamError{Param: k, Msg: err.Error()}
		}
		v.raw[k] = raw[k]
	}
	// Bounds, defaults included (a default is checked against the lease a file set).
	for _, prm := range p.AllParams() {
		if err := p.checkBounds(prm, v); err != nil {
			if _, given := raw[prm.Name]; !given {
				err.Msg += fmt.Sprintf(" (%s is the default; set params.%s)", prm.Default, prm.Name)
			}
			return Values{}, err
		}
	}
	if p.Validate != nil {
		if err := p.Validate(v); err != nil {
			return Values{}, err
		}
	}
	return v, nil
}

// checkBounds checks a duration parameter against MaxDuration and, for a period,
// against MinPeriod and the lease.
func (p *Protocol) checkBounds(prm Param, v Values) *ParamError {
	if prm.Kind != Duration {
		return nil
	}
	d := time.Duration(v.Duration(prm.Name))
	if d > MaxDuration {
		return &ParamError{Param: prm.Name, Msg: fmt.Sprintf("%s is too long; expected at most %s", d, fmtHours(MaxDuration))}
	}
	if prm.Pacing == NotPeriod {
		return nil
	}
	if d < MinPeriod {
		return &ParamError{Param: prm.Name, Msg: fmt.Sprintf("%s is the period of a repeating event; expected at least %s", d, MinPeriod)}
	}
	if prm.Pacing == LeasePeriod && p.LeaseParam != "" {
		lease := time.Duration(v.Duration(p.LeaseParam))
		if least := lease / MaxPeriodsPerLease; d < least {
			return &ParamError{Param: prm.Name, Msg: fmt.Sprintf("%s is too short for %s %s; expected at least %s/%d = %s", d, p.LeaseParam, lease, p.LeaseParam, MaxPeriodsPerLease, least)}
		}
	}
	return nil
}

// fmtHours prints a whole number of hours as "1000h" rather than "1000h0m0s".
func fmtHours(d time.Duration) string {
	if d%time.Hour == 0 {
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return d.String()
}

// Durations returns the protocol's duration parameters in v, in declaration order, for
// bounds that involve the whole scenario (the longest protocol duration, the shortest
// period).
func (p *Protocol) Durations(v Values) []ParamDuration {
	var out []ParamDuration
	for _, prm := range p.AllParams() {
		if prm.Kind == Duration {
			out = append(out, ParamDuration{Param: prm, Value: time.Duration(v.Duration(prm.Name))})
		}
	}
	return out
}

// ParamDuration is a duration parameter's value.
type ParamDuration struct {
	Param Param
	Value time.Duration
}

func checkKind(p Param, s string) error {
	switch p.Kind {
	case Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%q is not a duration; expected a Go duration like 500ms or 10s", s)
		}
		if d < 0 {
			return fmt.Errorf("%s is negative; expected a duration >= 0", s)
		}
	case Bool:
		if _, err := strconv.ParseBool(s); err != nil {
			return fmt.Errorf("%q is not a bool; expected true or false", s)
		}
	case Int:
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return fmt.Errorf("%q is not an integer", s)
		}
	case Enum:
		for _, ok := range p.Values {
			if s == ok {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", s, strings.Join(p.Values, ", "))
	}
	return nil
}

// Duration returns a duration parameter in nanoseconds. It panics if the name is not a
// declared duration parameter (a programming error in the protocol).
func (v Values) Duration(name string) int64 {
	d, err := time.ParseDuration(v.get(name, Duration))
	if err != nil {
		panic("model: parameter " + name + ": " + err.Error())
	}
	return int64(d)
}

// Bool returns a bool parameter.
func (v Values) Bool(name string) bool {
	b, _ := strconv.ParseBool(v.get(name, Bool))
	return b
}

// Int returns an integer parameter.
func (v Values) Int(name string) int64 {
	n, _ := strconv.ParseInt(v.get(name, Int), 10, 64)
	return n
}

// String returns an enum parameter.
func (v Values) String(name string) string { return v.get(name, Enum) }

// Map returns every value as text, for the history's Meta.Params.
func (v Values) Map() map[string]string {
	out := make(map[string]string, len(v.raw))
	for k, s := range v.raw {
		out[k] = s
	}
	return out
}

func (v Values) get(name string, kind ParamKind) string {
	k, ok := v.kinds[name]
	if !ok || k != kind {
		panic(fmt.Sprintf("model: parameter %q is not a declared %s parameter", name, kind))
	}
	return v.raw[name]
}
