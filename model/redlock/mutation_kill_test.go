package redlock_test

import (
	"testing"

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
