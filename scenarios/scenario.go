package scenarios

import (
	"time"

	"github.com/leasesim/leasesim/model"
)

// Scenario is one parsed and validated scenario file (FORMAT.md). Its fields hold what
// the file said, with defaults filled in, so that Marshal prints an equivalent file.
type Scenario struct {
	// File is where the scenario came from (a path, or "builtin:NAME").
	File        string
	Name        string
	Description string
	Protocol    string
	Mutant      string
	// Issuers is the issuer count: 1 names the issuer Q, more name them Q1..Qn.
	Issuers int
	// Holders are the holder names, A, B, C… by default.
	Holders []string
	// Resource adds the resource node R that leaders write to.
	Resource bool
	// Params are the protocol parameters as written; Values has them validated, with
	// defaults.
	Params map[string]string
	Values model.Values
	// Processing maps a node name, or "default", to its processing delay.
	Processing map[string]time.Duration
	Network    Network
	// Clocks maps a node name, or "default", to its clock settings.
	Clocks   map[string]Clock
	Faults   []Fault
	Duration time.Duration
	// Tail is the fault-free stretch at the run's end (0: none): every fault heals by
	// Duration - Tail, and the liveness expectation is checked (liveness.go).
	Tail   time.Duration
	Seeds  Seeds
	Expect Expect
}

// Network is the scenario's network section.
type Network struct {
	Delay     Delay
	Loss      float64
	Duplicate float64
	Links     []LinkDelay
}

// Delay is a message-delay distribution: fixed (Value), uniform (Min, Max) or lognormal
// (Median, P99).
type Delay struct {
	Dist        string
	Value       time.Duration
	Min, Max    time.Duration
	Median, P99 time.Duration
}

// LinkDelay overrides the delay on the links from every node of From to every node of
// To.
type LinkDelay struct {
	From, To []string
	Delay    Delay
}

// Clock is one entry of the clocks section. Under "default", DriftPPM and Offset are the
// half-widths of uniform draws (each node draws its own drift in ±DriftPPM and offset in
// ±Offset); under a node name they are fixed values that replace the draw. HasDrift and
// HasOffset say which fields the file set. Periodic and Slew (clockdyn.go) are nil when
// the entry has none.
type Clock struct {
	DriftPPM  float64
	Offset    time.Duration
	HasDrift  bool
	HasOffset bool
	Periodic  *Periodic
	Slew      *Slew
}

// Seeds is the seed range From, From+1, …, From+Count-1.
type Seeds struct {
	From  uint64
	Count int
}

// SeedList returns the scenario's seeds in order.
func (s *Scenario) SeedList() []uint64 {
	out := make([]uint64, s.Seeds.Count)
	for i := range out {
		out[i] = s.Seeds.From + uint64(i)
	}
	return out
}

// SetSeedCount replaces the number of seeds (the suite's --seeds), keeping the first.
func (s *Scenario) SetSeedCount(n int) { s.Seeds.Count = n }

// The defaults of fields a file may leave out (FORMAT.md lists them).
const (
	DefaultHolders   = 3
	DefaultDuration  = time.Minute
	DefaultSeeds     = 10
	DefaultFirstSeed = 1
)

// DefaultDelay is the network delay when a file gives none: uniform between 1ms and 5ms.
var DefaultDelay = Delay{Dist: "uniform", Min: time.Millisecond, Max: 5 * time.Millisecond}
