package etcd_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// The tests of this file kill mutants of the raft driver (raftnode.go, raftclone.go;
// scripts/mutation.sh files model/etcd raftnode.go raftclone.go; docs/mutation.md) that
// the other tests of the package let live. They look only at what the issuer nodes do
// (the raft messages they send, with their terms, and the clients' answers), not at how
// the driver is written.

const tick = 100 * int64(time.Millisecond)

// recorded runs seeds 1..n of sc with every message recorded and calls f with each run,
// from one goroutine at a time (not the test's: f reports with t.Errorf, never t.Fatal).
func recorded(t *testing.T, sc *scenarios.Scenario, n int, f func(r *runner.Run)) {
	t.Helper()
	var jobs []runner.Job
	for _, seed := range modeltest.SeedRange(1, n) {
		jobs = append(jobs, runner.Job{Seed: seed})
	}
	opt := runner.SuiteOptions{Options: runner.Options{RecordMessages: true}, OnRun: func(_ runner.Job, r *runner.Run) { f(r) }}
	if _, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, jobs, opt); err != nil {
		t.Fatal(err)
	}
}

// raftSends returns the distinct times, in order, at which node sent raft messages in
// [from, to), with the highest term (Epoch) it sent at each.
func raftSends(msgs []history.Msg, node string, from, to int64) (times []int64, terms []uint64) {
	var ms []history.Msg
	for _, m := range msgs {
		if m.From == node && m.Kind == "Raft" && m.Sent >= from && m.Sent < to {
			ms = append(ms, m)
		}
	}
	slices.SortStableFunc(ms, func(a, b history.Msg) int { return cmp.Compare(a.Sent, b.Sent) })
	for _, m := range ms {
		if n := len(times); n > 0 && times[n-1] == m.Sent {
			terms[n-1] = max(terms[n-1], m.Epoch)
			continue
		}
		times, terms = append(times, m.Sent), append(terms, m.Epoch)
	}
	return times, terms
}

// TestLoneNodeCampaignsAtDrawnTimeouts: an issuer node left alone (the other two crashed
// for good) never wins an election; it campaigns (a pre-vote to each peer) again and
// again, each time after a timeout drawn from its seeded stream uniformly among the
// whole ticks [ElectionTick/2, ElectionTick-1] = [5, 9] (heartbeat 100ms, election
// timeout 1s), and never on raft's own timer, whose timeout comes from crypto/rand. So
// the gaps between its campaigns are exactly 5 to 9 ticks, each of the five about as
// often as the others. Thresholds fixed at the top of the range (the followers of a
// crashed leader then campaign on the same tick and split their votes: a 10s gap in
// etcd-raft-leader-crash), shifted or skewed towards it, or an election of raft's own
// change these gaps.
func TestLoneNodeCampaignsAtDrawnTimeouts(t *testing.T) {
	sc := modeltest.Parse(t, `name: lone-node
protocol: etcd
issuers: 3
holders: [A]
params: {ttl: 3s, keepalive: 1s, election_timeout: 1s, heartbeat_tick: 100ms}
network: {delay: 1ms}
faults:
  - {at: 5s, crash: Q2}
  - {at: 5s, crash: Q3}
duration: 40s
`)
	count := map[int64]int{}
	total := 0
	recorded(t, sc, 20, func(r *runner.Run) {
		// By 8s Q1 has stepped down if it led (CheckQuorum: within two election
		// timeouts); from then on it sends nothing but pre-votes.
		times, _ := raftSends(r.History.Msgs, "Q1", 8*int64(time.Second), r.History.Meta.End)
		if len(times) < 20 {
			t.Errorf("seed %d: Q1 campaigned %d times alone from 8s to the end; want at least 20", r.Result.Seed, len(times))
			return
		}
		for i := 1; i < len(times); i++ {
			d := times[i] - times[i-1]
			if d%tick != 0 || d/tick < 5 || d/tick > 9 {
				t.Errorf("seed %d: Q1 campaigned at %v and again at %v: %v later; want 5 to 9 ticks of 100ms", r.Result.Seed, time.Duration(times[i-1]), time.Duration(times[i]), time.Duration(d))
				return
			}
			count[d/tick]++
			total++
		}
	})
	t.Logf("gaps between campaigns, in ticks: %v", count)
	for k := int64(5); k <= 9; k++ {
		// Uniform: 20% each; over some 1000 gaps one standard deviation is about 1.3%.
		if f := float64(count[k]) / float64(total); f < 0.12 || f > 0.28 {
			t.Errorf("%d-tick gaps between campaigns: %d of %d (%.0f%%); want 12%% to 28%% (uniform among 5 to 9 ticks): %v", k, count[k], total, 100*f, count)
		}
	}
}

// TestIsolatedNodeCampaignsOnlyOnItsOwnTimeouts: an issuer node cut off from the other
// two, twenty times for 3s, campaigns (pre-votes) every 5 to 9 ticks of its own drawing
// while cut off, and rejoins its leader when the cut heals. Each heal makes raft a
// follower again, which draws a new election timeout of its own from crypto/rand (10 to
// 19 ticks); raft's clock must stop before the shortest of them, or raft sometimes
// campaigns on its own timer: an extra campaign off the drawn gaps, and runs of one seed
// that no longer repeat (the trace hashes of two runs of each seed must be equal).
func TestIsolatedNodeCampaignsOnlyOnItsOwnTimeouts(t *testing.T) {
	const second = int64(time.Second)
	var faults strings.Builder
	var windows [][2]int64
	for k := int64(0); k < 20; k++ {
		from := 5*second + 4*k*second
		windows = append(windows, [2]int64{from, from + 3*second})
		fmt.Fprintf(&faults, "  - {at: %dms, isolate: Q3, until: %dms}\n", from/1e6, (from+3*second)/1e6)
	}
	sc := modeltest.Parse(t, `name: isolated-node
protocol: etcd
issuers: 3
holders: [A]
params: {ttl: 3s, keepalive: 1s, election_timeout: 1s, heartbeat_tick: 100ms}
network: {delay: 1ms}
faults:
`+faults.String()+`duration: 90s
`)
	const seeds = 10
	hashes := map[uint64]string{}
	recorded(t, sc, seeds, func(r *runner.Run) {
		hashes[r.Result.Seed] = r.Result.TraceHash
		campaigns := 0
		for _, w := range windows {
			// Before the cut, Q3 sent messages at its term (answers, or heartbeats if it
			// led); its pre-votes in the cut carry a later one.
			_, before := raftSends(r.History.Msgs, "Q3", w[0]-second, w[0])
			base := uint64(0)
			for _, e := range before {
				base = max(base, e)
			}
			times, terms := raftSends(r.History.Msgs, "Q3", w[0], w[1])
			var votes []int64
			for i, at := range times {
				if terms[i] > base {
					votes = append(votes, at)
				}
			}
			for i := 1; i < len(votes); i++ {
				if d := votes[i] - votes[i-1]; d%tick != 0 || d/tick < 5 || d/tick > 9 {
					t.Errorf("seed %d: Q3, cut off from %v, campaigned at %v and again %v later; want 5 to 9 ticks of 100ms", r.Result.Seed, time.Duration(w[0]), time.Duration(votes[i-1]), time.Duration(d))
					return
				}
			}
			campaigns += len(votes)
		}
		if campaigns < 40 {
			t.Errorf("seed %d: Q3 campaigned %d times in twenty 3s cuts; want at least 40", r.Result.Seed, campaigns)
		}
	})
	for _, r := range modeltest.Run(t, sc, modeltest.SeedRange(1, seeds)) {
		if h := hashes[r.Result.Seed]; h == "" || h != r.Result.TraceHash {
			t.Errorf("seed %d: trace hash %s, then %s: the run does not repeat", r.Result.Seed, h, r.Result.TraceHash)
		}
	}
}

// TestHealthyClusterNeverCampaigns: on a network that loses nothing, the followers hear
// the raft leader's heartbeat every tick, each of which resets their election clock, so
// once a leader is elected no node campaigns again: no raft message carries a later
// term, and every node hears the leader (each answers at its term). A follower that does not count a heartbeat of its term as its leader's (or
// counts only a later term's, or resets its clock only when it is not a follower)
// campaigns every 5 to 9 ticks, dropping its leader each time.
func TestHealthyClusterNeverCampaigns(t *testing.T) {
	const second = int64(time.Second)
	sc := modeltest.Parse(t, `name: healthy-cluster
protocol: etcd
issuers: 3
holders: [A, B]
params: {ttl: 3s, keepalive: 1s, election_timeout: 1s, heartbeat_tick: 100ms}
network: {delay: {dist: uniform, min: 1ms, max: 5ms}}
duration: 30s
`)
	recorded(t, sc, 10, func(r *runner.Run) {
		var term uint64 // the leader's term, elected by 5s
		for _, m := range r.History.Msgs {
			if m.Kind == "Raft" && m.Sent >= 5*second && m.Sent < 6*second {
				term = max(term, m.Epoch)
			}
		}
		if term == 0 {
			t.Errorf("seed %d: no raft message sent from 5s to 6s", r.Result.Seed)
			return
		}
		// Every node hears the leader: each sends at its term (the followers their
		// answers to its heartbeats).
		for _, q := range []string{"Q1", "Q2", "Q3"} {
			if _, terms := raftSends(r.History.Msgs, q, 5*second, 6*second); !slices.Contains(terms, term) {
				t.Errorf("seed %d: %s sent no raft message at the leader's term %d from 5s to 6s (terms %v)", r.Result.Seed, q, term, terms)
			}
		}
		for _, m := range r.History.Msgs {
			if m.Kind == "Raft" && m.Sent >= 5*second && m.Epoch > term {
				t.Errorf("seed %d: %s sent a raft message at term %d at %v; the leader of term %d was elected before 5s and never lost", r.Result.Seed, m.From, m.Epoch, time.Duration(m.Sent), term)
				return
			}
		}
	})
}

// TestNotLeaderNamesTheLeader: a follower answers a client "not leader" naming the raft
// leader, whichever node it is, and the holder sends its call again to that node at
// once (the instant the answer arrives). The raft leader is crashed (each node in turn),
// so that holders land on followers, and over ten seeds each of the three nodes is
// named. A node that cannot name one of them (the last, say) leaves its holders to find
// the leader a keepalive period later, by trying the next node.
func TestNotLeaderNamesTheLeader(t *testing.T) {
	sc := modeltest.Parse(t, `name: not-leader-names
protocol: etcd
issuers: 3
holders: [A, B, C]
params: {ttl: 3s, keepalive: 500ms}
network: {delay: {dist: uniform, min: 1ms, max: 3ms}}
faults:
  - {at: 5s, crash: Q1, restart: 8s}
  - {at: 12s, crash: Q2, restart: 15s}
  - {at: 19s, crash: Q3, restart: 22s}
duration: 25s
`)
	named := map[string]int{}
	recorded(t, sc, 10, func(r *runner.Run) {
		type arrival struct {
			holder string
			at     int64
		}
		answeredBy := map[arrival]string{} // an answer's sender, by holder and arrival
		for _, m := range r.History.Msgs {
			if m.Kind == "Response" && m.Dropped == "" {
				answeredBy[arrival{m.To, m.At}] = m.From
			}
		}
		for _, m := range r.History.Msgs {
			if m.Kind != "Request" {
				continue
			}
			// A request sent the instant an answer from another node arrived is the
			// retry of a call answered "not leader" at the leader the answer named.
			if from, ok := answeredBy[arrival{m.From, m.Sent}]; ok && from != m.To {
				named[m.To]++
			}
		}
	})
	for _, q := range []string{"Q1", "Q2", "Q3"} {
		if named[q] == 0 {
			t.Errorf("no call answered \"not leader\" was sent again at once to %s: no answer named it (retries at once, by the node they went to: %v)", q, named)
		}
	}
	t.Logf("retries at once, by the node they went to: %v", named)
}

// TestRestartedNodeRemembersItsTerm: raft's term (with its vote and commit index) is on
// the node's disk, written before the messages of the same Ready leave, so a node that
// crashes and restarts cut off from the others campaigns at a later term than any it
// sent before the crash, never an earlier one. A node that forgets its term could also
// vote twice in one term.
func TestRestartedNodeRemembersItsTerm(t *testing.T) {
	const second = int64(time.Second)
	sc := modeltest.Parse(t, `name: restart-remembers-term
protocol: etcd
issuers: 3
holders: [A]
params: {ttl: 3s, keepalive: 1s, election_timeout: 1s, heartbeat_tick: 100ms}
network: {delay: 1ms}
faults:
  - {at: 5s, crash: Q3, restart: 6s}
  - {at: 5s, isolate: Q3, until: 10s}
duration: 12s
`)
	recorded(t, sc, 10, func(r *runner.Run) {
		_, before := raftSends(r.History.Msgs, "Q3", 4*second, 5*second)
		_, after := raftSends(r.History.Msgs, "Q3", 6*second, 10*second)
		if len(before) == 0 || len(after) == 0 {
			t.Errorf("seed %d: Q3 sent raft messages at terms %v before its crash and %v after its restart; want some of each", r.Result.Seed, before, after)
			return
		}
		last := slices.Max(before)
		if first := slices.Min(after); first <= last {
			t.Errorf("seed %d: Q3 sent raft messages at term %d before its crash and campaigned at term %d after its restart; want a later term", r.Result.Seed, last, first)
		}
	})
}
