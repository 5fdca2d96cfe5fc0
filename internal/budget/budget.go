package budget

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Clock reads the wall clock. System is the real one; tests pass a StepClock.
type Clock interface {
	Now() time.Time
}

// System is the real wall clock.
var System Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Budget is a wall-clock budget that started at a given time.
type Budget struct {
	d        time.Duration
	clock    Clock
	deadline time.Time
}

// Start starts a budget of d (which must be positive) on clock, now.
func Start(d time.Duration, clock Clock) *Budget {
	return &Budget{d: d, clock: clock, deadline: clock.Now().Add(d)}
}

// Spent reports whether the budget has run out: no new seed may start. It reads the
// clock once per call; a nil *Budget is never spent (no --for).
func (b *Budget) Spent() bool {
	if b == nil {
		return false
	}
	return !b.clock.Now().Before(b.deadline)
}

// For is the budget's length, as given.
func (b *Budget) For() time.Duration {
	if b == nil {
		return 0
	}
	return b.d
}

// Left is the time left until the budget runs out (0 once spent).
func (b *Budget) Left() time.Duration {
	if b == nil {
		return 0
	}
	return max(0, b.deadline.Sub(b.clock.Now()))
}

// Parse parses a --for value: a Go duration with a unit ("30m", "1h30m", "90s") that
// is positive. The error says what is expected; the caller names the flag and value
// (pflag does: invalid argument "0" for "--for" flag: ...).
func Parse(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("expected a duration with a unit, like 30m, 1h30m or 90s")
	}
	if d <= 0 {
		return 0, fmt.Errorf("expected a duration above zero, like 30m (leave the flag out to run a fixed number of seeds)")
	}
	return d, nil
}

// StepClock is a fake Clock for tests: it starts at Start and every reading advances it
// by Step. Start reads it once, so a budget of n·Step then answers Spent false n-1 times
// and true after: a fixed number of seeds start, whatever the machine's speed. It is
// safe for concurrent use.
type StepClock struct {
	mu    sync.Mutex
	Start time.Time
	Step  time.Duration
	n     int64
}

// Now returns Start + k·Step on the k-th reading (from 0).
func (c *StepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.Start.Add(time.Duration(c.n) * c.Step)
	c.n++
	return t
}
