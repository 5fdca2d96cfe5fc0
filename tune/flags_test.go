package tune

import (
	"strings"
	"testing"
)

// TestFlagsOptions: each bad value is an error naming its flag; good values make the
// options, with a rate target only under --max-violation-rate.
func TestFlagsOptions(t *testing.T) {
	good := Flags{MaxDrift: "200ppm", Target: 0, Seeds: 20, Leases: "1s,2s", Confidence: 0.95, MaxSeeds: 100}
	for _, c := range []struct {
		name string
		edit func(*Flags)
		want string // "" for no error
	}{
		{"good", func(*Flags) {}, ""},
		{"drift", func(f *Flags) { f.MaxDrift = "fast" }, "--max-drift"},
		{"offset", func(f *Flags) { f.MaxOffset = -1 }, "--max-offset"},
		{"target", func(f *Flags) { f.Target = 2 }, "--target-unavailability"},
		{"seeds", func(f *Flags) { f.Seeds = 0 }, "--seeds 0"},
		{"leases", func(f *Flags) { f.Leases = "x" }, "--leases"},
		{"confidence alone", func(f *Flags) { f.ConfSet = true }, "--confidence: only applies with --max-violation-rate"},
		{"max-seeds alone", func(f *Flags) { f.MaxSeedsSet = true }, "--max-seeds: only applies"},
		{"rate", func(f *Flags) { f.RateSet, f.MaxRate = true, 1 }, "--max-violation-rate 1"},
		{"rate confidence", func(f *Flags) { f.RateSet, f.MaxRate, f.Confidence = true, 1e-3, 1 }, "--confidence 1"},
		{"rate max-seeds", func(f *Flags) { f.RateSet, f.MaxRate, f.MaxSeeds = true, 1e-3, 10 }, "--max-seeds 10: expected at least --seeds (20)"},
		{"rate good", func(f *Flags) { f.RateSet, f.MaxRate = true, 1e-3 }, ""},
	} {
		f := good
		c.edit(&f)
		opt, err := f.Options()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		case c.want == "" && (opt.Rate != nil) != f.RateSet:
			t.Errorf("%s: rate target %+v with --max-violation-rate given %v", c.name, opt.Rate, f.RateSet)
		}
	}
}
