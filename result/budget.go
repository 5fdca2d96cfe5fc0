package result

// SeedBudget says which seeds of a scenario ran under a wall-clock budget (suite --for):
// the seeds from FirstSeed to LastSeed, in order, and no other. The scenario's results
// are those of a run of exactly those seeds (suite --seeds Seeds).
type SeedBudget struct {
	// ForNs is the budget (--for), in nanoseconds; For is the same as written ("30m").
	ForNs int64  `json:"for_ns"`
	For   string `json:"for"`
	// FirstSeed is the scenario's first seed; LastSeed the last one that ran, absent when
	// none did.
	FirstSeed uint64  `json:"first_seed"`
	LastSeed  *uint64 `json:"last_seed,omitempty"`
	// StoppedBy is "budget" when the budget ran out, "seeds" when the scenario reached
	// --seeds (the maximum) first.
	StoppedBy string `json:"stopped_by"`
	// Discarded counts runs left out because a seed before them did not run, so that the
	// seeds kept have no hole (zero unless leasesim has a bug; it is reported, not hidden).
	Discarded int `json:"discarded,omitempty"`
}

// The values of SeedBudget.StoppedBy.
const (
	StoppedByBudget = "budget"
	StoppedBySeeds  = "seeds"
)
