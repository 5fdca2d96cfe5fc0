package checker

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/history"
)

// formatDur writes a length of time in nanoseconds for people, with three significant
// digits in the largest fitting unit: "12ns", "4.5µs", "450ms", "1.23s", "2m5.3s".
func formatDur(ns int64) string {
	if ns == history.Forever {
		return "forever"
	}
	if ns < 0 {
		return "-" + formatDur(-ns)
	}
	switch {
	case ns < int64(time.Microsecond):
		return strconv.FormatInt(ns, 10) + "ns"
	case ns < int64(time.Millisecond):
		return sig3(float64(ns)/1e3) + "µs"
	case ns < int64(time.Second):
		return sig3(float64(ns)/1e6) + "ms"
	case ns < int64(time.Minute):
		return sig3(float64(ns)/1e9) + "s"
	}
	return time.Duration(ns).Round(100 * time.Millisecond).String()
}

// sig3 formats v (1 <= v < 1000) with three significant digits, without trailing zeros.
func sig3(v float64) string {
	prec := 0
	switch {
	case v < 10:
		prec = 2
	case v < 100:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// formatTime writes a point in true time (ns since the run's start) to the millisecond
// above one second and to the microsecond below: "30.215s", "1m0.5s", "4.5ms".
func formatTime(ns int64) string {
	if ns == history.Forever {
		return "the end of time"
	}
	d := time.Duration(ns)
	switch {
	case d >= time.Second || d <= -time.Second:
		d = d.Round(time.Millisecond)
	case d >= time.Millisecond || d <= -time.Millisecond:
		d = d.Round(time.Microsecond)
	}
	return d.String()
}

// joinAnd joins words as "A", "A and B", "A, B and C".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// epochList writes sorted distinct epochs as "epoch 3" or "epochs 3, 4".
func epochList(epochs []uint64) string {
	if len(epochs) == 1 {
		return fmt.Sprintf("epoch %d", epochs[0])
	}
	parts := make([]string, len(epochs))
	for i, e := range epochs {
		parts[i] = strconv.FormatUint(e, 10)
	}
	return "epochs " + strings.Join(parts, ", ")
}

// plural writes "1 window", "2 windows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
