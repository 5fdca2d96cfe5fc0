package live

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// TrialResult is the outcome of one live trial.
type TrialResult struct {
	Trial int    `json:"trial"`
	Seed  uint64 `json:"seed"`
	// Scenario is Config.Scenario.
	Scenario string `json:"scenario"`
	// Verdict is the checker's verdict on the trial's history with belief overlaps
	// expected (see Judge): VerdictOK, VerdictViolated or VerdictUnknown.
	Verdict string `json:"verdict"`
	// BeliefOverlaps are the checker's P1 findings, the windows when two holders both
	// believed they led (expected under partitions and pauses); EffectiveOverlaps its P2
	// findings, etcd accepting a stale leader's write after a newer leader's (a real
	// bug); OtherFindings any other finding, judged like an effective overlap.
	BeliefOverlaps    []Window `json:"belief_overlaps"`
	EffectiveOverlaps []Window `json:"effective_overlaps"`
	OtherFindings     []Window `json:"other_findings,omitempty"`
	// Check is checker.Check's whole result on History, from which the fields above are
	// taken.
	Check checker.Result `json:"check"`
	// MaxBeliefOverlapMS is the longest belief overlap in ms, 0 when none.
	MaxBeliefOverlapMS float64 `json:"max_belief_overlap_ms"`
	// LeaderChanges counts claims after the first.
	LeaderChanges int `json:"leader_changes"`
	// AcceptedWrites and RejectedWrites count the resource writes etcd accepted and the
	// fenced writes it refused.
	AcceptedWrites int `json:"accepted_writes"`
	RejectedWrites int `json:"rejected_writes"`
	// Notes are things worth knowing: faults that did nothing (no leader to target),
	// holders that died on their own, with their last stderr.
	Notes []string `json:"notes,omitempty"`
	// Ports are the loopback ports this trial listened on (embedded etcd and proxies) and
	// PIDs its holder processes: after RunTrials returns, none is left.
	Ports []int `json:"ports"`
	PIDs  []int `json:"pids"`
	// History is the trial's history (Meta.Live, Meta.Protocol "etcd-live"), for the
	// checker and the reports.
	History *history.History `json:"-"`
}

// RunTrials runs cfg.Trials live trials one after the other against one etcd (the
// embedded one it starts, or cfg.Endpoints). Each trial gets its own keys, proxies and
// holder processes, applies cfg.Plan, and ends by killing its holders and closing its
// proxies; the embedded etcd stops before RunTrials returns. This holds on every path:
// success, error and ctx cancellation. It returns the results of the trials that
// completed, and an error when one could not run or ctx ended (then the results are
// those finished before). A failure to start the embedded etcd wraps ErrClusterStart (and
// ErrNoLoopback when the machine has no usable loopback); given endpoints are checked
// first, within seconds, and one that does not answer is an *EndpointError.
func RunTrials(ctx context.Context, cfg Config) ([]TrialResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	endpoints, clusterPorts := cfg.Endpoints, []int(nil)
	var cluster *Cluster
	if len(endpoints) > 0 {
		if err := checkEndpoints(ctx, endpoints); err != nil {
			return nil, err
		}
	} else {
		c, err := StartClusterN(ctx, cfg.Members)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		cluster = c
		endpoints, clusterPorts = c.Endpoints(), c.Ports()
		progress(cfg.Out, "embedded etcd, %d member(s) on %s (tick %dms, election %dms)", cfg.Members, strings.Join(endpoints, ","), clusterTickMs, clusterElectionMs)
	}
	runID := fmt.Sprintf("%d-%x", os.Getpid(), time.Now().UnixNano())
	var results []TrialResult
	for i := range cfg.Trials {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		if err := cluster.restartStopped(); err != nil {
			return results, fmt.Errorf("before trial %d: %w", i, err)
		}
		t := newTrial(&cfg, i, endpoints, runID)
		t.cluster = cluster
		r, err := t.run(ctx)
		if err != nil {
			return results, fmt.Errorf("trial %d (seed %d): %w", i, t.seed, err)
		}
		r.Ports = append(append([]int(nil), clusterPorts...), r.Ports...)
		results = append(results, r)
		if cfg.OnTrial != nil {
			cfg.OnTrial(r)
		}
	}
	return results, nil
}

// progress writes one progress line to w, when w is set.
func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}
