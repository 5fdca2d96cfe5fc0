package live

// Live trials against an embedded etcd on loopback. Each takes a few seconds of real
// time (about 40 s in all); they are skipped with -short. One that cannot start its etcd
// fails, unless this machine has no loopback to listen on (see onClusterStart); with
// LEASESIM_LIVE_REQUIRED=1 none of them skips for any reason (see required_test.go).

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// logWriter sends progress lines to the test log.
type logWriter struct {
	t  *testing.T
	mu sync.Mutex
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// runLive runs trials with holders re-executed from this test binary, fails the test
// when its embedded etcd cannot start (unless the reason is environmental, see
// onClusterStart), and checks that nothing is left behind afterwards.
func runLive(t *testing.T, ctx context.Context, cfg Config) ([]TrialResult, error) {
	t.Helper()
	skipShort(t)
	cfg.HolderCommand, cfg.HolderEnv = testHolderCommand(t)
	cfg.Out = &logWriter{t: t}
	res, err := RunTrials(ctx, cfg)
	onClusterStart(t, err)
	var ports, pids []int
	for _, r := range res {
		ports = append(ports, r.Ports...)
		pids = append(pids, r.PIDs...)
	}
	assertNothingLeft(t, ports, pids)
	return res, err
}

// claimAt returns the claim of holder that covers time at, if any.
func claimAt(h *history.History, holder string, at int64) (history.Claim, bool) {
	for _, c := range h.Claims {
		if c.Holder == holder && c.From <= at && at < c.To {
			return c, true
		}
	}
	return history.Claim{}, false
}

// checkWritesBelongToClaims: every accepted write was sent by a holder under an epoch
// it claimed, after that claim started.
func checkWritesBelongToClaims(t *testing.T, h *history.History) {
	t.Helper()
	for _, w := range h.Writes {
		if !w.Accepted {
			continue
		}
		found := false
		for _, c := range h.Claims {
			if c.Holder == w.Writer && c.Epoch == w.Epoch && w.Sent >= c.From {
				found = true
			}
		}
		if !found {
			t.Errorf("accepted write %+v matches no claim of %s under epoch %d", w, w.Writer, w.Epoch)
		}
	}
}

// victimAndSuccessor finds the holder the only fault hit, its claim when the fault
// started, and the first claim of another holder with a newer epoch after that.
func victimAndSuccessor(t *testing.T, h *history.History) (victim history.Claim, next history.Claim) {
	t.Helper()
	if len(h.Faults) != 1 || len(h.Faults[0].Nodes) != 1 {
		t.Fatalf("want exactly one applied fault on one holder, got %+v", h.Faults)
	}
	f := h.Faults[0]
	victim, ok := claimAt(h, f.Nodes[0], f.From)
	if !ok {
		t.Fatalf("the fault hit %s, which held no claim at %v: %+v", f.Nodes[0], time.Duration(f.From), h.Claims)
	}
	for _, c := range h.Claims {
		if c.Holder != victim.Holder && c.Epoch > victim.Epoch && c.From > f.From {
			return victim, c
		}
	}
	t.Fatalf("no other holder took over after the fault on %s at %v: %+v", victim.Holder, time.Duration(f.From), h.Claims)
	return
}

func TestLivePartitionOfLeader(t *testing.T) {
	const trials = 2
	plan, err := PlanFromSim([]sim.Fault{
		{Kind: sim.FaultIsolate, Node: sim.TargetLeader, At: int64(1500 * time.Millisecond), Until: int64(4500 * time.Millisecond)},
	}, DefaultHolders)
	if err != nil {
		t.Fatal(err)
	}
	res, err := runLive(t, context.Background(), Config{
		Plan: plan, TTL: 2 * time.Second, Duration: 6500 * time.Millisecond,
		Trials: trials, Seed: 1, Scenario: "isolate-leader",
	})
	if err != nil {
		t.Fatalf("RunTrials: %v", err)
	}
	if len(res) != trials {
		t.Fatalf("%d results, want %d", len(res), trials)
	}
	for i, r := range res {
		h := r.History
		if !h.Meta.Live || h.Meta.Protocol != Protocol || h.Meta.Seed != uint64(1+i) || h.Meta.Scenario != "isolate-leader" {
			t.Errorf("trial %d meta: %+v", i, h.Meta)
		}
		if h.Faults[0].Kind != string(sim.FaultIsolate) {
			t.Errorf("trial %d: fault recorded as %q, want the scenario's kind", i, h.Faults[0].Kind)
		}
		victim, next := victimAndSuccessor(t, h)
		if victim.End != history.EndDeadline {
			t.Errorf("trial %d: the isolated leader's claim ended by %q, want it to notice its session ended (%q)", i, victim.End, history.EndDeadline)
		}
		checkWritesBelongToClaims(t, h)
		if r.Verdict != VerdictOK || len(r.EffectiveOverlaps) > 0 {
			t.Errorf("trial %d: fenced writes overlapped effectively: %+v", i, r.EffectiveOverlaps)
		}
		if r.AcceptedWrites == 0 {
			t.Errorf("trial %d: no write accepted", i)
		}
		t.Logf("trial %d: %s (epoch %d) isolated, %s took over (epoch %d) at %v; belief overlaps: %+v",
			i, victim.Holder, victim.Epoch, next.Holder, next.Epoch, time.Duration(next.From), r.BeliefOverlaps)
	}
}

// A leader whose requests are delayed past its lease keeps writing; its writes land
// after its successor's. Fenced, etcd refuses them; unfenced, they land: an effective
// overlap, which the checker must find.
func TestLiveStaleWritesFencedAndUnfenced(t *testing.T) {
	plan := Plan{Faults: []Fault{{Kind: Delay, Target: TargetLeader, Dir: ToServer, Delay: 3 * time.Second,
		At: 1500 * time.Millisecond, Until: 5 * time.Second}}}
	for _, unfenced := range []bool{false, true} {
		name := map[bool]string{false: "fenced", true: "unfenced"}[unfenced]
		t.Run(name, func(t *testing.T) {
			res, err := runLive(t, context.Background(), Config{
				Plan: plan, TTL: 2 * time.Second, Duration: 7 * time.Second, Unfenced: unfenced, Seed: 3,
			})
			if err != nil {
				t.Fatalf("RunTrials: %v", err)
			}
			r := res[0]
			victim, next := victimAndSuccessor(t, r.History)
			checkWritesBelongToClaims(t, r.History)
			if got := r.History.Meta.Params["fenced"]; got != map[bool]string{false: "true", true: "false"}[unfenced] {
				t.Errorf("params fenced = %q", got)
			}
			t.Logf("%s: %s (epoch %d) slowed, %s took over (epoch %d); effective overlaps %+v",
				name, victim.Holder, victim.Epoch, next.Holder, next.Epoch, r.EffectiveOverlaps)
			if !unfenced {
				if r.Verdict != VerdictOK || len(r.EffectiveOverlaps) > 0 {
					t.Fatalf("fenced writes overlapped effectively: %+v", r.EffectiveOverlaps)
				}
				return
			}
			if r.Verdict != VerdictViolated || len(r.EffectiveOverlaps) == 0 {
				t.Fatalf("unfenced stale writes were not found: verdict %s, writes %+v", r.Verdict, r.History.Writes)
			}
			w := r.EffectiveOverlaps[0]
			if w.Kind != checker.P2 || w.Holders[0] != victim.Holder {
				t.Fatalf("effective overlap %+v; want the slowed leader %s (epoch %d) as the stale writer", w, victim.Holder, victim.Epoch)
			}
			for _, wr := range r.History.Writes {
				if wr.Accepted && wr.Writer == victim.Holder && wr.At == w.From && wr.Epoch != victim.Epoch {
					t.Fatalf("effective overlap %+v starts at a write of epoch %d, want the slowed leader's epoch %d", w, wr.Epoch, victim.Epoch)
				}
			}
		})
	}
}

// Every process and port is gone after a trial that ends with a holder stopped by
// SIGSTOP, one crashed and restarted, and connections reset.
func TestLiveCleanupAfterProcessFaults(t *testing.T) {
	plan := Plan{Faults: []Fault{
		{Kind: Pause, Target: "A", At: time.Second},
		{Kind: Crash, Target: "B", At: 1200 * time.Millisecond, Until: 2 * time.Second},
		{Kind: Reset, Target: "C", At: 1500 * time.Millisecond},
	}}
	res, err := runLive(t, context.Background(), Config{Plan: plan, Duration: 3 * time.Second})
	if err != nil {
		t.Fatalf("RunTrials: %v", err)
	}
	r := res[0]
	if len(r.PIDs) != 4 {
		t.Errorf("PIDs %v; want 4 holder processes (A, B, C and B restarted)", r.PIDs)
	}
	var upsB int
	for _, u := range r.History.Up {
		if u.Holder == "B" {
			upsB++
		}
	}
	if upsB != 2 {
		t.Errorf("B has %d up intervals, want 2 (before the crash and after the restart): %+v", upsB, r.History.Up)
	}
	kinds := map[string]history.Fault{}
	for _, f := range r.History.Faults {
		kinds[f.Kind] = f
	}
	if f := kinds["pause"]; f.To != r.History.Meta.End {
		t.Errorf("pause without end recorded as %+v, want it to last to the end %d", f, r.History.Meta.End)
	}
	if f := kinds["crash"]; f.To <= f.From {
		t.Errorf("crash with restart recorded as %+v", f)
	}
	if f, ok := kinds["reset"]; !ok || f.To != f.From {
		t.Errorf("reset recorded as %+v, want an instant", f)
	}
}

func TestLiveCancelCleansUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(1500*time.Millisecond, cancel)
	plan := Plan{Faults: []Fault{{Kind: Pause, Target: "A", At: 500 * time.Millisecond}}}
	res, err := runLive(t, ctx, Config{Plan: plan, Duration: time.Minute, Trials: 3})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RunTrials = %v, want context.Canceled", err)
	}
	if len(res) != 0 {
		t.Fatalf("%d results from a cancelled first trial", len(res))
	}
}

func TestLiveHolderCommandFails(t *testing.T) {
	skipShort(t)
	res, err := RunTrials(context.Background(), Config{HolderCommand: []string{"/nonexistent/leasesim-holder"}})
	onClusterStart(t, err)
	if err == nil || !strings.Contains(err.Error(), "start holder A") {
		t.Fatalf("RunTrials = %v; want an error about starting holder A", err)
	}
	if len(res) != 0 {
		t.Fatalf("results from a failed trial: %+v", res)
	}
	assertNothingLeft(t, nil, nil)
}

// Given endpoints where no etcd answers are an error within seconds, naming the
// endpoint, before any trial: refused, and accepted but silent.
func TestLiveUnreachableEndpoints(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		skipLive(t, "cannot listen on 127.0.0.1: %v", err)
	}
	defer silent.Close()
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		skipLive(t, "cannot listen on 127.0.0.1: %v", err)
	}
	refusedAddr := refused.Addr().String()
	refused.Close()
	tests := []struct {
		name, endpoint, want string
		short                bool
	}{
		{"refused", refusedAddr, "connection refused", true},
		{"silent", "http://" + silent.Addr().String(), "gave no etcd status", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.short {
				skipShort(t)
			}
			start := time.Now()
			res, err := RunTrials(context.Background(), Config{Endpoints: []string{tt.endpoint}, HolderCommand: []string{"/nonexistent/leasesim-holder"}})
			took := time.Since(start)
			var epErr *EndpointError
			if !errors.As(err, &epErr) || epErr.Endpoint != strings.TrimPrefix(tt.endpoint, "http://") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("RunTrials = %v; want an *EndpointError for %s saying %q", err, tt.endpoint, tt.want)
			}
			if took > 10*time.Second {
				t.Errorf("took %v to report an unreachable endpoint, want at most 10s", took)
			}
			if len(res) != 0 {
				t.Errorf("results without etcd: %+v", res)
			}
		})
	}
}
