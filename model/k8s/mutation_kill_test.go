package k8s_test

import (
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios"
)

// TestLeaderWritesToTheResource: with resource: true the leader writes to R every
// write_every while it leads, and only then, each write accepted (R is unfenced). A
// Start that armed the first write tick only in runs without a resource, or a valid
// that held only after the deadline, left every run without a write and P2 with
// nothing to check (docs/mutation.md).
func TestLeaderWritesToTheResource(t *testing.T) {
	sc := modeltest.Parse(t, `name: k8s-writes
protocol: k8s
holders: [A, B]
resource: true
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms, write_every: 100ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
duration: 20s
`)
	for _, r := range runs(t, sc, 5) {
		h := r.History
		var held int64
		for _, c := range h.Claims {
			if c.Lease == history.LeaderLease {
				held += min(c.To, h.Meta.End) - c.From
			}
		}
		// One write per 100ms of leadership, give or take the first and the last.
		want := held / 100e6
		if n := int64(len(h.Writes)); n < want-2 || n > want+2 {
			t.Errorf("seed %d: %d writes to R over %dms of leadership, want about %d", r.Result.Seed, n, held/1e6, want)
		}
		for _, w := range h.Writes {
			if !w.Accepted || !claimed(h, w.Writer, w.Epoch, w.Sent) {
				t.Errorf("seed %d: write %+v not sent under a claim of its writer's epoch, or rejected", r.Result.Seed, w)
			}
		}
	}
}

// claimed reports whether holder claimed the leader lease with epoch at instant at.
func claimed(h *history.History, holder string, epoch uint64, at int64) bool {
	for _, c := range h.Claims {
		if c.Lease == history.LeaderLease && c.Holder == holder && c.Epoch == epoch && c.From <= at && at < c.To {
			return true
		}
	}
	return false
}

// leading reports whether holder claimed the leader lease at instant at.
func leading(h *history.History, holder string, at int64) bool {
	for _, c := range h.Claims {
		if c.Lease == history.LeaderLease && c.Holder == holder && c.From <= at && at < c.To {
			return true
		}
	}
	return false
}

// runs runs seeds 1..n of sc one after the other, keeping their histories.
func runs(t *testing.T, sc *scenarios.Scenario, n int) []*runner.Run {
	t.Helper()
	var out []*runner.Run
	for _, seed := range modeltest.SeedRange(1, n) {
		r, err := runner.RunSeed(sc, seed, runner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestLeaderStepsDownAtItsRenewDeadline: a leader cut off from the issuer past its renew
// deadline stops leading there (client-go's OnStoppedLeading), even when nobody takes the
// lease over meanwhile: its claim ends, and when the cut heals it acquires the lease
// again as a candidate (reading the record first), a new grant with a new epoch (the
// record's revision). Ignoring the deadline timer (or acting on it only after the
// deadline, or arming the deadline timer for the wrong instant) kept the leader
// "leading" without a claim: it went on renewing optimistically, and after the cut it
// went on under its old epoch, as if it had never lost the lease.
func TestLeaderStepsDownAtItsRenewDeadline(t *testing.T) {
	sc := modeltest.Parse(t, `name: k8s-renew-deadline
protocol: k8s
holders: [A]
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults:
  - {at: 10s, cut: [[Q], [A]], until: 20s}
duration: 30s
`)
	const cutFrom, cutUntil = 10e9, 20e9
	for _, r := range runs(t, sc, 10) {
		var before, after []history.Claim
		for _, c := range r.History.Claims {
			switch {
			case c.Lease != history.LeaderLease:
			case c.From < cutFrom:
				before = append(before, c)
			case c.From >= cutUntil:
				after = append(after, c)
			default:
				t.Errorf("seed %d: A claimed %+v while cut off from the issuer", r.Result.Seed, c)
			}
		}
		if len(before) == 0 || len(after) == 0 {
			t.Fatalf("seed %d: claims before the cut %v, after it %v; want both", r.Result.Seed, before, after)
		}
		last, next := before[len(before)-1], after[0]
		// The claim ends at the deadline (at most RetryPeriod + RenewDeadline after the
		// last renewal, before 10s) by A's own step-down, not by the kernel when A's
		// clock passes the deadline it claimed.
		if last.To >= cutFrom+2500e6 || last.End != history.EndRelease {
			t.Errorf("seed %d: the claim before the cut ends at %dms (%s), want a release at the renew deadline, before 12.5s", r.Result.Seed, last.To/1e6, last.End)
		}
		if next.Epoch <= last.Epoch {
			t.Errorf("seed %d: A leads again after the cut with epoch %d, want a new one above %d", r.Result.Seed, next.Epoch, last.Epoch)
		}
		// Having stepped down, A is a candidate: it reads the record before it writes.
		for _, op := range r.History.Ops {
			if op.Call >= last.To && op.Call < cutUntil && op.Method != etcd.MethodGet {
				t.Errorf("seed %d: A sent %s at %dms, after its claim ended at %dms: want only reads until the cut heals", r.Result.Seed, op.Method, op.Call/1e6, last.To/1e6)
				break
			}
		}
	}
}

// TestParamBoundaries: client-go's own checks (NewLeaderElector) at their exact
// boundaries: LeaseDuration must exceed RenewDeadline, and RenewDeadline must exceed
// JitterFactor (1.2) × RetryPeriod; equal is refused, 1ms more is accepted.
func TestParamBoundaries(t *testing.T) {
	p, ok := model.Lookup("k8s")
	if !ok {
		t.Fatal("k8s is not registered")
	}
	for _, tt := range []struct {
		name string
		raw  map[string]string
		want string // the whole error, "" for accepted
	}{
		{"lease_duration equal to renew_deadline", map[string]string{"lease_duration": "10s", "renew_deadline": "10s"},
			"params.lease_duration: lease_duration 10s must be greater than renew_deadline 10s"},
		{"lease_duration just above renew_deadline", map[string]string{"lease_duration": "10001ms", "renew_deadline": "10s"}, ""},
		{"renew_deadline equal to 1.2 retry_period", map[string]string{"lease_duration": "2s", "renew_deadline": "1200ms", "retry_period": "1s"},
			"params.renew_deadline: renew_deadline 1.2s must be greater than retry_period x 1.2 (1.2s)"},
		{"renew_deadline just above 1.2 retry_period", map[string]string{"lease_duration": "2s", "renew_deadline": "1201ms", "retry_period": "1s"}, ""},
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

// TestCandidatePollsWithJitter: a candidate that finds the lease held reads the record
// again RetryPeriod plus up to 1.2 RetryPeriod of jitter later (wait.JitterUntil with
// JitterFactor 1.2), so consecutive reads of a holder that never leads start between
// RetryPeriod and 2.2 RetryPeriod apart, plus one round trip (at most 10ms here), and
// the jitter spreads them over that range. A candidate that polled RetryPeriod minus the
// jitter, or without jitter, took over sooner than LeaseDuration + 2.2 RetryPeriod allows
// for, and bunched up on the issuer.
func TestCandidatePollsWithJitter(t *testing.T) {
	sc := modeltest.Parse(t, `name: k8s-candidate-polls
protocol: k8s
holders: [A, B, C]
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
duration: 30s
`)
	const rp, rtt = 500e6, 10e6
	var lo, hi int64 = 1 << 62, 0
	for _, r := range runs(t, sc, 3) {
		h := r.History
		led := map[string]bool{}
		for _, c := range h.Claims {
			led[c.Holder] = true
		}
		last := map[string]int64{}
		for _, op := range h.Ops {
			if led[op.Client] || op.Method != etcd.MethodGet {
				continue
			}
			if prev, ok := last[op.Client]; ok {
				d := op.Call - prev
				lo, hi = min(lo, d), max(hi, d)
				if d < rp || d > rp*22/10+rtt {
					t.Errorf("seed %d: %s read the record %dms after its previous read, want between 500ms and 1.1s + a round trip", r.Result.Seed, op.Client, d/1e6)
				}
			}
			last[op.Client] = op.Call
		}
	}
	t.Logf("reads %dms to %dms apart", lo/1e6, hi/1e6)
	// Over some 200 waits, the jitter spans most of its range.
	if lo > rp+rp/10 || hi < rp*2 {
		t.Errorf("reads %dms to %dms apart, want the jitter to spread them over 500ms to 1.1s", lo/1e6, hi/1e6)
	}
}

// TestLateAnswersAreIgnored: an answer that comes after its request timed out, or after
// the leader gave up at its renew deadline, is ignored: every request carries a number
// of its own, and only the answer to the latest one is taken. Answers slowed past the
// request timeout (RenewDeadline) break P1, as they should (k8s-slow-responses), but
// never the Lease object's linearizability: were a late answer taken for a later request
// (request numbers reused after a time-out), a read would be recorded with a
// compare-and-swap's answer, or an update with a read's, and P3 would reject it.
func TestLateAnswersAreIgnored(t *testing.T) {
	sc := modeltest.Parse(t, `name: k8s-late-answers
protocol: k8s
holders: [A, B]
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults:
  - {at: 5s, slow: {from: [Q], to: [A, B], by: 3s}, until: 25s}
duration: 40s
`)
	modeltest.NoFindings(t, sc, 20, checker.P3)
}

// TestRetryPacing: what an elector does after a request fails, on a 3-node issuer whose
// nodes crash in turn. As client-go's tryAcquireOrRenew: a failed attempt waits for the
// next try (RetryPeriod for the leader, RetryPeriod plus jitter for a candidate), whether
// a read or an update timed out or was refused by a node that is not the raft leader;
// only the leader's optimistic renewal, when it fails, falls back at once to reading the
// record, at the node named. Swapping the two (retrying a read or an update at once,
// waiting after a refused renewal) hammered a crashed or non-leader node and delayed the
// leader's renewal by a RetryPeriod of its RenewDeadline.
func TestRetryPacing(t *testing.T) {
	sc := modeltest.Parse(t, `name: k8s-retry-pacing
protocol: k8s
issuers: 3
holders: [A, B, C]
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}
network:
  delay: {dist: uniform, min: 1ms, max: 5ms}
faults:
  - {at: 10s, crash: Q1, restart: 20s}
  - {at: 30s, crash: Q2, restart: 40s}
  - {at: 50s, crash: Q3, restart: 60s}
duration: 70s
`)
	const rp, rd = 500e6, 2e9
	var refusedRenewals, refusedOthers, timedOut int
	for _, r := range runs(t, sc, 5) {
		byClient := map[string][]history.Op{}
		for _, op := range r.History.Ops {
			byClient[op.Client] = append(byClient[op.Client], op)
		}
		for client, ops := range byClient {
			for i := 0; i+1 < len(ops); i++ {
				op, next := ops[i], ops[i+1]
				// An update follows the read it acts on at once; a renewal comes from a timer.
				update := op.Method == etcd.MethodCAS && i > 0 && ops[i-1].Return == op.Call
				var want string
				switch {
				case op.Return == history.Forever && leading(r.History, client, op.Call):
					// A leader's request may be abandoned before it times out, when the
					// leader steps down at its renew deadline.
				case op.Return == history.Forever && (op.Method == etcd.MethodGet || update):
					timedOut++
					if next.Call < op.Call+rd+rp {
						want = "the next try, a RetryPeriod or more after the time-out"
					}
				case op.Return == history.Forever:
					// A renewal times out at the renew deadline itself: the leader steps down.
				case op.Err == etcd.ErrNotLeader && op.Method == etcd.MethodCAS && !update:
					refusedRenewals++
					if next.Method != etcd.MethodGet || next.Call != op.Return {
						want = "a read at once"
					}
				case op.Err == etcd.ErrNotLeader:
					refusedOthers++
					if next.Call < op.Return+rp {
						want = "the next try, a RetryPeriod or more later"
					}
				}
				if want != "" {
					t.Errorf("seed %d: %s's %s called at %dms (answer %q) was followed by its %s at %dms; want %s",
						r.Result.Seed, client, op.Method, op.Call/1e6, op.Err, next.Method, next.Call/1e6, want)
				}
			}
		}
	}
	t.Logf("refused renewals %d, refused reads and updates %d, timed-out reads and updates %d", refusedRenewals, refusedOthers, timedOut)
	// (A refused renewal is rare: the leader renews at the node that answered it last.)
	if refusedOthers == 0 || timedOut == 0 {
		t.Errorf("the schedule no longer exercises every case")
	}
}

// TestDriftMargin: at the largest clock-rate ratio the guard covers (k8s-drift-margin)
// the correct elector keeps one leader, and one that leads 5% of the guard longer
// (the catalog's guard-short-5pct mutant, mutant-k8s-guard-short-5pct) gives two. So
// the guard is used exactly: applying the mutant's extra lead to the correct elector, or
// a wrong fraction of the guard in the mutant, fails here, where the catalog runs of
// model/all would be the first to notice otherwise.
func TestDriftMargin(t *testing.T) {
	for _, name := range []string{"k8s-drift-margin", "mutant-k8s-guard-short-5pct"} {
		t.Run(name, func(t *testing.T) {
			modeltest.ExpectMet(t, modeltest.Catalog(t, name), 0)
		})
	}
}

// TestFiveIssuers: the Lease object on a 5-node raft cluster, the most the protocol
// allows (MaxIssuers), builds and elects one leader.
func TestFiveIssuers(t *testing.T) {
	sc := modeltest.Parse(t, `name: k8s-five-issuers
protocol: k8s
issuers: 5
holders: [A, B]
params: {lease_duration: 4s, renew_deadline: 2s, retry_period: 500ms}
duration: 10s
`)
	for _, r := range runs(t, sc, 2) {
		if len(r.History.Claims) == 0 || r.Check.Verdict != checker.Ok {
			t.Errorf("seed %d: %d claims, verdict %v; want a leader and no finding", r.Result.Seed, len(r.History.Claims), r.Check.Verdict)
		}
	}
}
