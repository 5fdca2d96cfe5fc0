package heartbeat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model"
	_ "github.com/leasesim/leasesim/model/heartbeat"
)

// TestValidateTimeoutLongerThanHeartbeat: Q's timeout must be strictly longer than the
// heartbeat interval; a timeout equal to it is rejected, naming the parameter, since
// every holder would look dead between two heartbeats (kills the `to <= hb` → `to < hb`
// mutant of Validate).
func TestValidateTimeoutLongerThanHeartbeat(t *testing.T) {
	p, ok := model.Lookup("heartbeat")
	if !ok {
		t.Fatal("protocol heartbeat is not registered")
	}
	for _, tc := range []struct {
		heartbeat, timeout string
		wantErr            string // "" for accepted
	}{
		{"1s", "1s", "params.timeout: timeout 1s must be longer than the heartbeat interval 1s"},
		{"1s", "999ms", "params.timeout: timeout 999ms must be longer"},
		{"1s", "1.001s", ""},
	} {
		t.Run(tc.heartbeat+"/"+tc.timeout, func(t *testing.T) {
			_, err := p.ParseValues(map[string]string{"heartbeat": tc.heartbeat, "timeout": tc.timeout})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("ParseValues: %v, want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
				t.Fatalf("ParseValues: %v, want an error starting %q", err, tc.wantErr)
			}
		})
	}
}

// TestFirstLookAfterIssuerRestart: Q's first look after a restart comes hb/2 after it,
// like every later one, so a leader that died while Q was down is failed over one
// timeout after the restart (heard is reset to the restart instant), not at a first look
// pushed later. Heartbeats every hb = 1s, timeout T = 1.5s; Q is down from 4.9s to
// 5.2s and the leader crashes at 5s: Q looks at 5.2s + k·(hb/2 + 1ns) and declares the
// leader dead at the third look (5.7s, 6.2s, 6.7s), so the gap is 1.7s plus the
// promotion's acknowledgement (at most 5ms) and at most 0.2ms of clock drift (100ppm).
// With the first look at 2·hb + 1ns (the `hb/2` → `hb*2` mutant of Start) it is 7.2s: a
// 2.2s gap; with looks every hb/2 - 1ns (the `+1` → `-1` mutant of Step) the third look
// falls 3ns short of T and the leader is declared dead a look later, at 7.2s too.
func TestFirstLookAfterIssuerRestart(t *testing.T) {
	sc := modeltest.Parse(t, `
name: heartbeat-first-look-after-restart
protocol: heartbeat
holders: [A, B, C]
params: {heartbeat: 1s, timeout: 1500ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
clocks:
  default: {drift_ppm: 100}
faults:
  - {at: 4900ms, crash: Q, restart: 5200ms}
  - {at: 5s, crash: leader}
duration: 15s
seeds: 20
expect:
  p1: holds
  failover_gap_max: "<= 1.71s"
`)
	modeltest.ExpectMet(t, sc, 50)
}

// TestDeposedLeaderStepsDown: a leader Q cannot hear is deposed, and steps down at the
// first acknowledgement naming another leader once the cut heals. Q is cut from the
// leader from 5s to 10s (heartbeat 1s, timeout 3s): Q promotes another holder near 8s,
// so the two leaders overlap (P1 is violated, as heartbeats without a lease must be),
// but the old leader's next heartbeat after 10s (within 1s) brings an acknowledgement
// naming the new leader, so every overlap ends before 11.1s. Kills the negated
// `m.Subject != env.ID()` of the step-down case, a case-clause condition gremlins never
// runs: with it the old leader never steps down and the overlap lasts to the run's end.
func TestDeposedLeaderStepsDown(t *testing.T) {
	sc := modeltest.Parse(t, `
name: heartbeat-deposed-leader-steps-down
protocol: heartbeat
holders: [A, B, C]
params: {heartbeat: 1s, timeout: 3s}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults:
  - {at: 5s, cut: [[Q], [leader]], until: 10s}
duration: 20s
`)
	const limit = 11100 * int64(time.Millisecond)
	for i, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, 20)) {
		if !r.Check.Violated(checker.P1) {
			t.Errorf("seed %d: no P1 overlap; the cut should depose the leader while it still leads", i+1)
		}
		for _, f := range r.Check.Findings {
			if f.Kind == checker.P1 && f.To > limit {
				t.Errorf("seed %d: P1 overlap %v until %v; the old leader should step down by %v", i+1, f.Holders, time.Duration(f.To), time.Duration(limit))
			}
		}
	}
}
