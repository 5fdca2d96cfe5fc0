package etcd_test

import (
	"context"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios"
)

// advPauseIssuer is a reviewer's adversarial scenario: a 3-node raft cluster whose nodes
// are paused in turn, with duplicates, reordering, clock steps and random faults.
const advPauseIssuer = `name: adv-raft-keys-pause-issuer
protocol: etcd
issuers: 3
holders: [A, B, C]
resource: true
params: {ttl: 2s, keepalive: 1s, election_timeout: 1s, heartbeat_tick: 100ms, keys: 40, key_leases: 8, request_cost: 1ms}
network:
  delay: {dist: lognormal, median: 5ms, p99: 300ms}
  loss: 0.03
  duplicate: 0.05
clocks:
  default: {drift_ppm: 1500, periodic: {amplitude_ppm: 400, period: 20s}, slew: {max_ppm: 100, interval: 8s}}
faults:
  - {at: 8s, pause: Q1, until: 11s}
  - {at: 12s, pause: Q2, until: 15.5s}
  - {at: 16s, reorder: {window: 200ms}, until: 40s}
  - {at: 18s, pause: Q3, until: 21s}
  - {at: 22s, clock_step: {node: A, by: -2s}}
  - {at: 23s, clock_step: {node: Q1, by: 3s}}
  - {at: 25s, isolate: Q1, until: 29s}
  - {at: 26s, slow: {from: [Q1, Q2, Q3], to: [A], by: 400ms}, until: 33s}
  - {at: 33s, cut: [[A], [Q1, Q2, Q3]], until: 37s}
  - {at: 38s, crash: Q1, restart: 39s}
  - {at: 39s, crash: Q2, restart: 41s}
  - random: {from: 42s, until: 75s, kinds: [pause, isolate, issuer_crash, clock_step, drift, lossy, slow, crash], mean_gap: 2s, mean_length: 3s, max_drift_ppm: 2000, max_step: 5s}
duration: 80s
`

// TestDeposedLeaderDeclaresNothingLate replays seed 55 of advPauseIssuer. Q1, leading,
// proposes the expiry revoke of B's lease at about 7.9s and a majority stores it; Q1 is
// paused from 8s to 11s. Q3 is elected, commits and applies the revoke (B's KeepAlive
// gets "lease not found" at 10.50s) and grants B a new lease (10.89s), on which B claims
// liveness again. At 11s Q1 resumes, still believing it leads, handles the acks queued
// while it was paused and applies its revoke — with a store that has not seen B's new
// lease. Declaring B failed there is late and about a lease B has replaced (P4 flagged
// B's new claim). A leader that applies its own expiry revoke later than
// max(1, ElectionTick/2)−1 ticks after proposing it declares only once a ReadIndex it
// asks then confirms it still leads (declare.go); Q1 is deposed first and declares
// nothing. Q3 had freed B's election key already, and P4 holds.
func TestDeposedLeaderDeclaresNothingLate(t *testing.T) {
	sc := modeltest.Parse(t, advPauseIssuer)
	runs, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, []runner.Job{{Seed: 55}}, runner.SuiteOptions{KeepHistories: true})
	if err != nil {
		t.Fatal(err)
	}
	run := runs[0]
	for _, f := range run.Check.Findings {
		t.Errorf("seed 55: %s %v: %s", f.Kind, f.Holders, f.Detail)
	}
	for _, s := range run.History.Statuses {
		if s.Kind == history.StatusDeclaredFailed && s.Issuer == "Q1" && s.Node == "B" && s.At == 11e9 {
			t.Errorf("Q1 declared B failed at 11s, on resuming from its pause")
		}
	}
}

// TestSlowRevokeDeclaredOnceConfirmed: a leader whose expiry revoke took longer than
// firstToApply's window to commit (slow or lossy links, its follower paused) but that
// still leads declares the holder failed once raft confirms its leadership, so P4 keeps
// checking those decisions; over seeds of advPauseIssuer some are made that way, and P4
// holds.
func TestSlowRevokeDeclaredOnceConfirmed(t *testing.T) {
	sc := modeltest.Parse(t, advPauseIssuer)
	before := etcd.DeclaredConfirmed()
	runs := modeltest.Run(t, sc, modeltest.SeedRange(1, 10))
	for _, r := range runs {
		for _, f := range r.Check.Findings {
			t.Errorf("seed %d: %s %v: %s", r.Result.Seed, f.Kind, f.Holders, f.Detail)
		}
	}
	if n := etcd.DeclaredConfirmed() - before; n == 0 {
		t.Errorf("no declaration waited for a confirmed ReadIndex over 10 seeds")
	}
}
