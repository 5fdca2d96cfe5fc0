package redlock_test

import (
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model"
)

// TestParamBoundaries: each relation Validate checks, at its exact boundary, with the
// message the user sees (kills the boundary mutants of validate and checkDur, and the
// allowance written as ttl + valid instead of ttl − valid).
func TestParamBoundaries(t *testing.T) {
	p, ok := model.Lookup("redlock")
	if !ok {
		t.Fatal("redlock is not registered")
	}
	for _, tt := range []struct {
		name string
		raw  map[string]string
		want string // the whole error, "" for accepted
	}{
		{"a duration of exactly 1000h", map[string]string{"retry_delay": "1000h"}, ""},
		{"no drift factor", map[string]string{"drift_ppm": "0"}, ""},
		{"allowance exactly the ttl", map[string]string{"ttl": "10ms", "drift_ppm": "0", "drift_min": "10ms", "renew": "1ms", "timeout": "1ms"},
			"params.drift_min: the drift allowance 10ms leaves no validity of ttl 10ms"},
		{"allowance beyond the ttl", map[string]string{"ttl": "10ms", "drift_min": "10ms", "renew": "1ms", "timeout": "1ms"},
			"params.drift_min: the drift allowance 10.1ms leaves no validity of ttl 10ms"},
		// ttl 1s, drift_ppm 10000, drift_min 2ms: validity 988ms.
		{"timeout exactly the validity", map[string]string{"ttl": "1s", "timeout": "988ms"},
			"params.timeout: timeout 988ms must be shorter than ttl − drift allowance (988ms), or no attempt can succeed"},
		{"timeout just under the validity", map[string]string{"ttl": "1s", "timeout": "987ms", "renew": "100ms"}, ""},
		{"renew exactly the validity", map[string]string{"ttl": "1s", "renew": "988ms"},
			"params.renew: renew 988ms must be shorter than ttl − drift allowance (988ms), or a holder loses its lock between extensions"},
		{"renew just under the validity", map[string]string{"ttl": "1s", "renew": "987ms"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.ParseValues(tt.raw)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("ParseValues(%v) = %v, want no error", tt.raw, err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("ParseValues(%v) = %v, want %q", tt.raw, err, tt.want)
			}
		})
	}
}

// TestOneIssuer: Redlock with a single issuer is allowed (a majority of one) and holds
// P1 (kills `n < 1` → `n <= 1` in build).
func TestOneIssuer(t *testing.T) {
	sc := modeltest.Parse(t, `
name: redlock-one-issuer
protocol: redlock
holders: [A, B]
issuers: 1
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
duration: 20s
seeds: 3
expect:
  p1: holds
`)
	for _, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, 3)) {
		if r.Check.Violated(checker.P1) || r.Check.Checks.P1.Items == 0 {
			t.Fatalf("one issuer: P1 %v, %d claims; want a lock held without overlap", r.Check.Violated(checker.P1), r.Check.Checks.P1.Items)
		}
	}
}

// redlockAvailability runs seeds 1..n of a one-holder Redlock scenario (three issuers
// Q1..Q3, one-way delays uniform in [1ms, 5ms], retry_delay 1ms so the first attempt
// leaves within 1ms) with the given faults, and returns the largest unavailable time
// and the smallest number of accepted writes over the seeds.
func redlockAvailability(t *testing.T, params, faults string, n int) (maxUnavailable int64, minWrites int) {
	t.Helper()
	sc := modeltest.Parse(t, `
name: redlock-availability
protocol: redlock
holders: [A]
issuers: 3
resource: true
params: `+params+`
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults: `+faults+`
duration: 30s
`)
	minWrites = -1
	for _, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, n)) {
		maxUnavailable = max(maxUnavailable, r.Check.Metrics.UnavailableNs)
		if w := r.Check.Checks.P2.Items; minWrites < 0 || w < minWrites {
			minWrites = w
		}
	}
	return maxUnavailable, minWrites
}

// TestDecideOnLastReply: an attempt is decided when the last issuer replies, not at its
// timeout. With every issuer up, the lone holder's first lock comes within 1ms + two
// delays (11ms) of the start and is extended without a gap, so the run is unavailable
// for at most 11ms; deciding only at the 50ms timeout (the `replies++` → `--` mutant)
// makes it at least 50ms.
func TestDecideOnLastReply(t *testing.T) {
	const limit = 11 * int64(time.Millisecond)
	if u, _ := redlockAvailability(t, "{retry_delay: 1ms}", "[]", 10); u > limit {
		t.Errorf("unavailable for %v, want at most %v", time.Duration(u), time.Duration(limit))
	}
}

// TestExtendWithAnIssuerDown: with Q3 down from the start, each attempt hears two of three
// issuers and is decided at its timeout: a majority, so the holder keeps its lock and,
// fenced, its commits reach a majority and its writes go on. Kills the decide tick
// ignored for its own attempt (`m.Seq == h.try.seq` negated: the extension never
// decides and the lock runs out) and commits needing every issuer (`granted >=
// majority` → `>`: no write is ever committed).
func TestExtendWithAnIssuerDown(t *testing.T) {
	const limit = 52 * int64(time.Millisecond) // the first attempt, within 1ms, decided at its 50ms timeout
	u, w := redlockAvailability(t, "{retry_delay: 1ms, fenced: true}", "[{at: 0s, crash: Q3}]", 10)
	if u > limit {
		t.Errorf("unavailable for %v with Q3 down, want at most %v", time.Duration(u), time.Duration(limit))
	}
	if w < 100 {
		t.Errorf("%d writes accepted with Q3 down, want the holder to keep writing", w)
	}
}

// TestRestartedIssuersRefuse: an issuer restarted without its keys refuses every grant
// for ttl (antirez's delayed restart). Q1 and Q2 crash at 5s and restart at 5.5s,
// forgetting the holder's key: granting at once would give the other holder (retrying
// every 200ms at most) a majority of two while the first still holds its lock. Kills
// the negated `env.Mono() < q.refuseUntil` and `refuseUntil = now - ttl` (a restart
// branch the catalog scenarios never reach; the random-fault sweeps did not catch them).
func TestRestartedIssuersRefuse(t *testing.T) {
	sc := modeltest.Parse(t, `
name: redlock-restarted-issuers-refuse
protocol: redlock
holders: [A, B]
issuers: 3
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults:
  - {at: 5s, crash: Q1, restart: 5500ms}
  - {at: 5s, crash: Q2, restart: 5500ms}
duration: 30s
`)
	modeltest.NoFindings(t, sc, 20, checker.P1)
}

// TestCommitRetriedAfterLoss: a commit round that gets neither a majority nor every
// reply (Q3 down, 20% of messages lost) closes at its timeout, and the next extension
// starts a new one, so a fenced holder that keeps its lock keeps writing. Over seeds 1-10
// (some of which lose the lock for long stretches, as Redlock does with two live issuers
// under loss), every seed in which A holds the lock for 99% of the minute accepts writes.
// Kills the commit round's timeout tick ignored (`m.Seq == h.commit.seq` negated): the
// round then stays open, no new commit starts, and the holder never writes again (0
// writes in 5 of these seeds).
func TestCommitRetriedAfterLoss(t *testing.T) {
	sc := modeltest.Parse(t, `
name: redlock-commit-retried-after-loss
protocol: redlock
holders: [A]
issuers: 3
resource: true
params: {retry_delay: 1ms, fenced: true}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
  loss: 0.2
faults: [{at: 0s, crash: Q3}]
duration: 60s
`)
	held := 0
	for i, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, 10)) {
		if r.Check.Metrics.UnavailableFraction > 0.01 {
			continue
		}
		held++
		if r.Check.Checks.P2.Items == 0 {
			t.Errorf("seed %d: A held the lock for %.1f%% of the run but no write was accepted", i+1, 100*(1-r.Check.Metrics.UnavailableFraction))
		}
	}
	if held < 5 {
		t.Errorf("A held the lock through only %d of 10 seeds; the test needs seeds where it does", held)
	}
}
