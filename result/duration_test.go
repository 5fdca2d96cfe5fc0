package result

import (
	"testing"
	"time"
)

// TestFormatDuration: no trailing zero units, whatever the sign and size.
func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                              "0s",
		250 * time.Millisecond:         "250ms",
		90 * time.Second:               "1m30s",
		2 * time.Minute:                "2m",
		time.Hour:                      "1h",
		time.Hour + 30*time.Minute:     "1h30m",
		time.Hour + 30*time.Second:     "1h0m30s",
		-2 * time.Minute:               "-2m",
		10*time.Minute + time.Second/2: "10m0.5s",
		48 * time.Hour:                 "48h",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", d, got, want)
		}
	}
}
