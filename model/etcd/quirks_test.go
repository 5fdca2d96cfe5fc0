package etcd_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// TestMinTTLFailoverGap: a holder that asks for a 1s lease gets etcd's minimum, 2s with
// the default raft timing, so after it crashes the others wait about 2s, not 1s: the
// scenario's failover_gap_min (>= 1.39s: the granted 2s less two keepalive periods and
// drift) and failover_gap_max hold over more seeds.
func TestMinTTLFailoverGap(t *testing.T) {
	modeltest.ExpectMet(t, modeltest.Catalog(t, "etcd-min-ttl"), modeltest.Seeds(100, 1000))
}

// TestEtcdGoClientBeliefOverlap: under the same schedule (the answers to the leader slowed
// by 300ms, then the leader isolated), etcd's Go client (client: etcd-go) counts its
// deadline from the answer's arrival and checks it once a second, so the cut-off leader
// still believes it leads after the next holder is elected — a P1 window in most seeds —
// while the careful holder never overlaps. The windows are bounded by how late the
// client counts: the slowed answer (300ms plus the delays) and one deadline check (1s):
// under 1.4s. Fencing keeps the stale leader's writes out (no P2) with either client.
func TestEtcdGoClientBeliefOverlap(t *testing.T) {
	const bound = 1400 * time.Millisecond
	n := modeltest.Seeds(100, 1000)
	for _, c := range []struct {
		name         string
		minOverlaps  int // seeds with a P1 window, at least
		maxOverlaps  int // at most
		wantP4Always bool
	}{
		{"etcd-client-etcd-go", n / 2, n, true},
		{"etcd-client-careful", 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := modeltest.Catalog(t, c.name)
			var jobs []runner.Job
			for _, seed := range modeltest.SeedRange(1, n) {
				jobs = append(jobs, runner.Job{Seed: seed})
			}
			overlapping, p4 := 0, 0
			var widest time.Duration
			onRun := func(j runner.Job, r *runner.Run) {
				seenP1, seenP4 := false, false
				for _, f := range r.Check.Findings {
					switch f.Kind {
					case checker.P1:
						seenP1 = true
						w := time.Duration(f.To - f.From)
						widest = max(widest, w)
						if w > bound {
							t.Errorf("seed %d: a belief overlap of %v, wider than %v: %s", j.Seed, w, bound, f.Detail)
						}
					case checker.P2:
						t.Errorf("seed %d: a stale write landed despite fencing: %s", j.Seed, f.Detail)
					case checker.P4:
						seenP4 = true
					}
				}
				if seenP1 {
					overlapping++
				}
				if seenP4 {
					p4++
				}
			}
			if _, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{OnRun: onRun}); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d/%d seeds with a belief overlap, the widest %v; %d with P4", overlapping, n, widest, p4)
			if overlapping < c.minOverlaps || overlapping > c.maxOverlaps {
				t.Errorf("%d/%d seeds with a belief overlap; want %d to %d", overlapping, n, c.minOverlaps, c.maxOverlaps)
			}
			if c.wantP4Always && p4 != n {
				t.Errorf("%d/%d seeds with a P4 finding; want every seed (the client believes past the issuer's expiry)", p4, n)
			}
		})
	}
}

// TestTTLWholeSeconds: etcd's LeaseGrant takes its TTL in seconds, so a TTL that is not
// a whole number of seconds is bad input, named with its line and field.
func TestTTLWholeSeconds(t *testing.T) {
	for _, c := range []struct {
		ttl, want string
	}{
		{"1500ms", "params.ttl: 1.5s; expected a whole number of seconds, at least 1s"},
		{"500ms", "params.ttl: 500ms; expected a whole number of seconds, at least 1s"},
		{"2s", ""},
	} {
		src := "name: x\nprotocol: etcd\nholders: [A, B]\nparams: {ttl: " + c.ttl + ", keepalive: 300ms}\n"
		_, err := scenarios.Parse([]byte(src), "f.yaml")
		switch {
		case c.want == "" && err != nil:
			t.Errorf("ttl %s: %v", c.ttl, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "f.yaml:4:")):
			t.Errorf("ttl %s: err = %v; want f.yaml:4:... %q", c.ttl, err, c.want)
		}
	}
}
