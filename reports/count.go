package reports

import "github.com/leasesim/leasesim/result"

// Count is n followed by noun, in the plural unless n is 1, n with thousands separators
// as every count people read ("0 of 1,000 seeds"): "1 scenario", "0 scenarios", "1,932
// schedules". noun is a regular English noun (its plural adds an s).
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return result.Thousands(n) + " " + noun + "s"
}
