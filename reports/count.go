package reports

import "strconv"

// Count is n followed by noun, in the plural unless n is 1: "1 scenario", "0 scenarios",
// "3 seeds". noun is a regular English noun (its plural adds an s).
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
