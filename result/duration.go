package result

import (
	"strings"
	"time"
)

// FormatDuration writes d as a Go duration without trailing zero units, as people
// write it: "2m" rather than "2m0s", "1h30m" rather than "1h30m0s"; "0s" for zero. It is
// the one definition: scenario files (scenarios), figures and tables (reports), and the
// --for budget in flags and progress lines all write durations with it.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
