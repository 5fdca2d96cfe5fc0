package tune

import (
	"fmt"
	"time"
)

// Flags are tune's command-line values as given (tune --max-drift ...), before they are
// checked: Options checks them.
type Flags struct {
	MaxDrift  string // "200ppm" or "200"
	MaxOffset time.Duration
	Target    float64 // --target-unavailability (0: the least unavailability)
	Seeds     int
	Leases    string // a comma-separated list of lease lengths
	// MaxRate, Confidence and MaxSeeds are the violation-rate target; RateSet, ConfSet
	// and MaxSeedsSet say which were given (without --max-violation-rate, neither of
	// the others may be).
	MaxRate                       float64
	Confidence                    float64
	MaxSeeds                      int
	RateSet, ConfSet, MaxSeedsSet bool
}

// Options checks the flags and returns the search's options; an error names the flag,
// its value and what is expected.
func (f Flags) Options() (Options, error) {
	ppm, err := ParsePPM(f.MaxDrift)
	if err != nil {
		return Options{}, fmt.Errorf("--max-drift %q: %v", f.MaxDrift, err)
	}
	if f.MaxOffset < 0 {
		return Options{}, fmt.Errorf("--max-offset %s: expected a duration >= 0", f.MaxOffset)
	}
	if !(f.Target >= 0 && f.Target <= 1) {
		return Options{}, fmt.Errorf("--target-unavailability %v: expected a fraction in [0, 1] (0: the least unavailability)", f.Target)
	}
	if f.Seeds < 1 {
		return Options{}, fmt.Errorf("--seeds %d: expected at least 1", f.Seeds)
	}
	leases, err := ParseLeases(f.Leases)
	if err != nil {
		return Options{}, fmt.Errorf("--leases: %v", err)
	}
	opt := Options{MaxDriftPPM: ppm, MaxOffset: f.MaxOffset, Target: f.Target, Seeds: f.Seeds, Leases: leases}
	rate, err := f.rateTarget()
	opt.Rate = rate
	return opt, err
}

// rateTarget checks the violation-rate flags: nil without --max-violation-rate, whose
// companions are then an error rather than ignored.
func (f Flags) rateTarget() (*RateTarget, error) {
	if !f.RateSet {
		for _, c := range []struct {
			set  bool
			flag string
		}{{f.ConfSet, "--confidence"}, {f.MaxSeedsSet, "--max-seeds"}} {
			if c.set {
				return nil, fmt.Errorf("%s: only applies with --max-violation-rate (the confidence and seed cap of its bound)", c.flag)
			}
		}
		return nil, nil
	}
	if !(f.MaxRate > 0 && f.MaxRate < 1) {
		return nil, fmt.Errorf("--max-violation-rate %v: expected a fraction of seeds in (0, 1), like 1e-4", f.MaxRate)
	}
	if !(f.Confidence > 0 && f.Confidence < 1) {
		return nil, fmt.Errorf("--confidence %v: expected a probability in (0, 1), like 0.95", f.Confidence)
	}
	if f.MaxSeeds < f.Seeds {
		return nil, fmt.Errorf("--max-seeds %d: expected at least --seeds (%d), the first batch of every candidate", f.MaxSeeds, f.Seeds)
	}
	return &RateTarget{MaxRate: f.MaxRate, Confidence: f.Confidence, MaxSeeds: f.MaxSeeds}, nil
}
