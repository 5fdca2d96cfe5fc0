package realk8s

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

// The comparisons run the k8s model (through scenarios and internal/runner, as `leasesim
// run` does) and real client-go (Run, in a bubble) on the same schedules: three
// candidates, one issuer, one-way delays uniform in [1ms, 5ms], no clock fault, seeds 1
// to n. CI runs 50 seeds; LEASESIM_LONG=1 runs 200 (the README's table).

// modelScenario is the model's side of a schedule: params, faults (YAML flow items) and
// duration.
func modelScenario(t *testing.T, name, params string, faults []string, duration time.Duration) *scenarios.Scenario {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nprotocol: k8s\nholders: [A, B, C]\nparams: %s\n", name, params)
	b.WriteString("network:\n  delay: {dist: uniform, min: 1ms, max: 5ms}\nfaults:\n")
	for _, f := range faults {
		fmt.Fprintf(&b, "  - %s\n", f)
	}
	fmt.Fprintf(&b, "duration: %s\n", duration)
	sc, err := scenarios.Parse([]byte(b.String()), name+".yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return sc
}

// modelRuns runs seeds 1..n of sc.
func modelRuns(t *testing.T, sc *scenarios.Scenario, n int) []*runner.Run {
	t.Helper()
	jobs := make([]runner.Job, n)
	for i := range jobs {
		jobs[i] = runner.Job{Seed: uint64(i + 1)}
	}
	runs, err := runner.RunJobs(context.Background(), []*scenarios.Scenario{sc}, jobs, runner.SuiteOptions{KeepHistories: true})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// outcome is what a comparison reads from one run of either side.
type outcome struct {
	h   *history.History
	res checker.Result
}

func modelOutcomes(t *testing.T, sc *scenarios.Scenario, n int) []outcome {
	var out []outcome
	for _, r := range modelRuns(t, sc, n) {
		out = append(out, outcome{r.History, r.Check})
	}
	return out
}

func realOutcomes(t *testing.T, cfg func(seed uint64) Config, n int) []outcome {
	var out []outcome
	for s := 1; s <= n; s++ {
		h, res := runReal(t, cfg(uint64(s)))
		out = append(out, outcome{h, res})
	}
	return out
}

// quantiles returns the p50, p99 and max of xs (nearest rank).
func quantiles(xs []time.Duration) (p50, p99, mx time.Duration) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return rank(0.50), rank(0.99), s[len(s)-1]
}

// gaps returns every run's failover gap (checker.Failover), failing on a run with none
// or one that never recovered.
func gaps(t *testing.T, side string, os []outcome) []time.Duration {
	t.Helper()
	var out []time.Duration
	for i, o := range os {
		if len(o.res.Metrics.Failovers) != 1 || !o.res.Metrics.Failovers[0].Recovered {
			t.Fatalf("%s seed %d: failovers %+v", side, i+1, o.res.Metrics.Failovers)
		}
		out = append(out, time.Duration(o.res.Metrics.Failovers[0].GapNs))
	}
	return out
}

// twoLeaders counts the runs with two leaders at once (a P1 finding).
func twoLeaders(os []outcome) int {
	n := 0
	for _, o := range os {
		if violated(o.res, checker.P1) {
			n++
		}
	}
	return n
}

// row is one line of the comparison table.
type row struct{ measure, model, real, verdict string }

func logTable(t *testing.T, title string, n int, rows []row) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d seeds)\n| measure | model | real client-go | |\n|---|---|---|---|\n", title, n)
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.measure, r.model, r.real, r.verdict)
	}
	t.Log("\n" + b.String())
}

func within(a, b, tol time.Duration) bool { return (a - b).Abs() <= tol }

func agree(ok bool) string {
	if ok {
		return "agree"
	}
	return "DIFFER"
}

// ksStat is the two-sample Kolmogorov–Smirnov statistic of a and b (the largest
// difference between their empirical distribution functions) and its critical value at
// the 1% level, 1.628·sqrt((n+m)/(n·m)).
func ksStat(a, b []time.Duration) (d, crit float64) {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		v := min(x[i], y[j])
		for i < len(x) && x[i] == v {
			i++
		}
		for j < len(y) && y[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/float64(len(x))-float64(j)/float64(len(y))))
	}
	n, m := float64(len(x)), float64(len(y))
	return d, 1.628 * math.Sqrt((n+m)/(n*m))
}

// compareDists compares two distributions of durations: rows for their p50, p99, max and
// min, and a last row with the Kolmogorov–Smirnov test at the 1% level, which decides
// whether they agree (each quantile's row says only how far apart it is: tail quantiles
// over a few hundred seeds move by up to a second between disjoint seed sets).
func compareDists(name string, m, r []time.Duration) ([]row, bool) {
	m50, m99, mmax := quantiles(m)
	r50, r99, rmax := quantiles(r)
	var rows []row
	for _, q := range []struct {
		name string
		a, b time.Duration
	}{{"p50", m50, r50}, {"p99", m99, r99}, {"max", mmax, rmax}, {"min", slices.Min(m), slices.Min(r)}} {
		rows = append(rows, row{name + " " + q.name, q.a.Round(time.Millisecond).String(), q.b.Round(time.Millisecond).String(),
			fmt.Sprintf("%+v", (q.b - q.a).Round(time.Millisecond))})
	}
	d, crit := ksStat(m, r)
	ok := d <= crit
	rows = append(rows, row{name + " distribution", "", "", fmt.Sprintf("KS D = %.3f, 1%% critical %.3f: %s", d, crit, agree(ok))})
	return rows, ok
}

// TestCompareFailoverDefaults: the leader crashes at 30s, client-go's defaults
// (15s/10s/2s). The model's and the real code's failover gaps have the same distribution
// (Kolmogorov–Smirnov at 1%; the table shows p50, p99, max and min side by side).
func TestCompareFailoverDefaults(t *testing.T) {
	n := seeds(50, 200)
	sc := modelScenario(t, "cmp-failover-defaults", "{lease_duration: 15s, renew_deadline: 10s, retry_period: 2s}",
		[]string{"{at: 30s, crash: leader}"}, 70*time.Second)
	m := gaps(t, "model", modelOutcomes(t, sc, n))
	r := gaps(t, "real", realOutcomes(t, func(s uint64) Config {
		c := defaults(s)
		c.Duration = 70 * time.Second
		c.Faults = []Fault{{Kind: Crash, Node: Leader, At: 30 * time.Second}}
		return c
	}, n))
	rows, ok := compareDists("gap", m, r)
	logTable(t, "leader crash, 15s/10s/2s", n, rows)
	if !ok {
		t.Errorf("the failover gap distributions differ (Kolmogorov–Smirnov, 1%%)")
	}
}

// TestCompareFailoverFastRetry: the leader crashes at 5s with RetryPeriod 100ms
// (model/k8s's k8s-failover schedule, crashing at 5s instead of 5.05s, without drift).
// client-go's LeaseLock.Get returns the record's raw bytes as json.Marshal of a
// LeaderElectionRecord, whose RenewTime is a metav1.Time, marshalled at whole seconds;
// tryAcquireOrRenew resets observedTime only when those bytes change. Renewals 100ms
// apart within one wall second look identical to a candidate, so it counts
// LeaseDuration from the first renewal it saw in the leader's last second, up to 1s
// before the last one: the gap goes below LD − RP − 2·dmax = 14.89s, on both sides since
// the model compares the record at whole seconds too (it compared at nanoseconds until
// this test showed the difference).
func TestCompareFailoverFastRetry(t *testing.T) {
	n := seeds(50, 200)
	sc := modelScenario(t, "cmp-failover-fast", "{lease_duration: 15s, renew_deadline: 10s, retry_period: 100ms}",
		[]string{"{at: 5s, crash: leader}"}, 25*time.Second)
	m := gaps(t, "model", modelOutcomes(t, sc, n))
	r := gaps(t, "real", realOutcomes(t, func(s uint64) Config {
		c := defaults(s)
		c.RetryPeriod, c.Duration = 100*time.Millisecond, 25*time.Second
		c.Faults = []Fault{{Kind: Crash, Node: Leader, At: 5 * time.Second}}
		return c
	}, n))
	rows, same := compareDists("gap", m, r)
	logTable(t, "leader crash, 15s/10s/100ms", n, rows)
	if !same {
		t.Errorf("the failover gap distributions differ (Kolmogorov–Smirnov, 1%%)")
	}
	// Both go below 14.89s by up to the second the record's timestamps are rounded to.
	for _, side := range []struct {
		name string
		g    []time.Duration
	}{{"model", m}, {"real", r}} {
		if lo := slices.Min(side.g); lo > 14700*time.Millisecond || lo < 13900*time.Millisecond {
			t.Errorf("%s gap min %v: want it in [13.9s, 14.7s] (second-granular change detection)", side.name, lo)
		}
	}
}

// slowModel is the model's k8s-slow-responses schedule with answers to the leader late by.
func slowModel(t *testing.T, by time.Duration) *scenarios.Scenario {
	return modelScenario(t, "cmp-slow", "{lease_duration: 15s, renew_deadline: 10s, retry_period: 2s}",
		[]string{fmt.Sprintf("{at: 20s, slow: {from: [Q], to: [leader], by: %s}, until: 70s}", by),
			"{at: 40s, cut_oneway: {from: [leader], to: [Q]}, until: 70s}"}, 90*time.Second)
}

// bisect returns the smallest late-answer delay (within step) at which some of the
// seeds give two leaders, between lo (none) and hi (some), checked first.
func bisect(t *testing.T, lo, hi, step time.Duration, broken func(time.Duration) bool) (time.Duration, time.Duration) {
	t.Helper()
	if broken(lo) || !broken(hi) {
		t.Fatalf("the threshold is not between %v and %v", lo, hi)
	}
	for hi-lo > step {
		mid := (lo + hi) / 2
		if broken(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo, hi
}

// TestCompareSlowAnswerThreshold: from 20s the answers to the leader are late by D,
// from 40s its requests are lost; the threshold on D above which some seed gives two
// leaders, bisected to 25ms on both sides. Both find it above LeaseDuration −
// RenewDeadline − RetryPeriod = 3s, the margin the leader's late learning eats. The
// excess over 3s is the smallest lag, over the seeds, between the commit of the leader's
// last renewal and a candidate seeing it plus between the lease's expiry and that
// candidate's next poll; it shrinks, and spreads less, as seeds are added. Over 200
// seeds both must be at most 3.6s and within 300ms of each other (real runs have given
// 3.12s to 3.30s, the model 3.21s); over 50, at most 4s and within 500ms (real 3.28s to
// 3.59s in six runs, the model 3.21s).
func TestCompareSlowAnswerThreshold(t *testing.T) {
	n := seeds(50, 200)
	step := 25 * time.Millisecond
	mlo, mhi := bisect(t, 0, 6*time.Second, step, func(d time.Duration) bool {
		return twoLeaders(modelOutcomes(t, slowModel(t, d), n)) > 0
	})
	rlo, rhi := bisect(t, 0, 6*time.Second, step, func(d time.Duration) bool {
		return twoLeaders(realOutcomes(t, func(s uint64) Config { return slowAnswers(s, d) }, n)) > 0
	})
	// The excess over 3s is a minimum over the seeds, so it spreads more with fewer; and
	// real client-go's side is not repeatable (its jitter comes from math/rand's global
	// source; see doc.go). At 50 seeds, seven runs on 2026-12-07 gave the real threshold
	// 3.28s–3.82s against the model's 3.21s, so the 50-seed tolerance is 750ms.
	upper, apart := 3600*time.Millisecond, 300*time.Millisecond
	if n < 200 {
		upper, apart = 4*time.Second, 750*time.Millisecond
	}
	ok := within(mhi, rhi, apart) && mlo >= 3*time.Second && rlo >= 3*time.Second && mhi <= upper && rhi <= upper
	logTable(t, "slow answers to the leader, 15s/10s/2s", n, []row{
		{"two leaders from", fmt.Sprintf("%v (none at %v)", mhi, mlo), fmt.Sprintf("%v (none at %v)", rhi, rlo), agree(ok)}})
	if !ok {
		t.Errorf("thresholds: model (%v, %v], real (%v, %v]; want both in [3s, %v] and within %v of each other", mlo, mhi, rlo, rhi, upper, apart)
	}
}

// stepdown returns, for a run whose leader was cut off at at, how long after at its
// claim ended and how long after at another holder began one (-1 for never).
func stepdown(h *history.History, at int64) (ended, taken time.Duration) {
	leader := ""
	ended, taken = -1, -1
	for _, c := range h.Claims {
		if c.From <= at && at < c.To {
			leader, ended = c.Holder, time.Duration(c.To-at)
		}
	}
	for _, c := range h.Claims {
		if c.From >= at && c.Holder != leader {
			taken = time.Duration(c.From - at)
			break
		}
	}
	return ended, taken
}

// TestComparePartitionLeader: the leader is cut off from the issuer from 30s to 60s,
// client-go's defaults. Neither side gives two leaders; the leader steps down within
// RetryPeriod + RenewDeadline = 12s of the partition and another takes over; the
// distributions of both times agree (Kolmogorov–Smirnov at 1%).
func TestComparePartitionLeader(t *testing.T) {
	n := seeds(50, 200)
	const at = 30 * time.Second
	sc := modelScenario(t, "cmp-partition", "{lease_duration: 15s, renew_deadline: 10s, retry_period: 2s}",
		[]string{"{at: 30s, isolate: leader, until: 60s}"}, 90*time.Second)
	mo := modelOutcomes(t, sc, n)
	ro := realOutcomes(t, func(s uint64) Config {
		c := defaults(s)
		c.Faults = []Fault{{Kind: Partition, Node: Leader, At: at, Until: 60 * time.Second}}
		return c
	}, n)
	split := func(os []outcome) (ends, takes []time.Duration) {
		for i, o := range os {
			e, k := stepdown(o.h, int64(at))
			if e < 0 || k < 0 {
				t.Fatalf("seed %d: no leader at the partition (%v) or no takeover (%v)", i+1, e, k)
			}
			ends, takes = append(ends, e), append(takes, k)
		}
		return ends, takes
	}
	me, mt := split(mo)
	re, rt := split(ro)
	var rows []row
	all := true
	for _, c := range []struct {
		name string
		m, r []time.Duration
	}{{"leader's claim ends after", me, re}, {"another leads after", mt, rt}} {
		rs, ok := compareDists(c.name, c.m, c.r)
		rows, all = append(rows, rs...), all && ok
	}
	for _, e := range [][]time.Duration{me, re} {
		if mx := slices.Max(e); mx > 12*time.Second+100*time.Millisecond {
			t.Errorf("a leader led %v into the partition, more than RetryPeriod + RenewDeadline", mx)
		}
	}
	rows = append(rows, row{"runs with two leaders", fmt.Sprint(twoLeaders(mo)), fmt.Sprint(twoLeaders(ro)), agree(twoLeaders(mo) == 0 && twoLeaders(ro) == 0)})
	logTable(t, "leader partitioned 30s-60s, 15s/10s/2s", n, rows)
	if !all || twoLeaders(mo)+twoLeaders(ro) > 0 {
		t.Errorf("the model and the real code disagree")
	}
}

// TestCompareSubSecondMargin: the leader is cut off from 30s to 65s with LeaseDuration
// 15s, RenewDeadline 14.5s, RetryPeriod 100ms, a configuration client-go accepts
// (LeaseDuration > RenewDeadline > 1.2·RetryPeriod) whose margin LeaseDuration −
// RenewDeadline − RetryPeriod is 400ms. Both sides find two leaders in every run (the
// cut comes as a wall second ends, right after the leader's last renewal of that second,
// the worst case), with no clock fault and no slow answer: a candidate sees the record
// change only when its RenewTime's whole second does (see TestCompareFailoverFastRetry),
// so it counts LeaseDuration from the first renewal of the leader's last second, which
// can be up to 900ms before the leader's last one, and more than the 400ms margin. (The
// model, comparing the record at nanoseconds until this test, found none.)
func TestCompareSubSecondMargin(t *testing.T) {
	n := seeds(50, 200)
	sc := modelScenario(t, "cmp-subsecond", "{lease_duration: 15s, renew_deadline: 14500ms, retry_period: 100ms}",
		[]string{"{at: 30s, isolate: leader, until: 65s}"}, 70*time.Second)
	mo := modelOutcomes(t, sc, n)
	ro := realOutcomes(t, func(s uint64) Config {
		c := defaults(s)
		c.RenewDeadline, c.RetryPeriod, c.Duration = 14500*time.Millisecond, 100*time.Millisecond, 70*time.Second
		c.Faults = []Fault{{Kind: Partition, Node: Leader, At: 30 * time.Second, Until: 65 * time.Second}}
		return c
	}, n)
	m, r := twoLeaders(mo), twoLeaders(ro)
	logTable(t, "leader partitioned 30s-65s, 15s/14.5s/100ms", n, []row{{"runs with two leaders", fmt.Sprint(m), fmt.Sprint(r), agree(m == n && r == n)}})
	if m != n || r != n {
		t.Errorf("two leaders: model %d, real %d, want %d on both", m, r, n)
	}
}

// TestCompareIsLeader: an application that believes it leads while IsLeader says so
// (the model's ignores-renew-deadline mutant; Config.ClaimByIsLeader in real code), the
// leader cut off from 20s to 50s, client-go's defaults: two leaders in every run on both
// sides, since the cut-off leader's elector stops reading and its last record names it.
func TestCompareIsLeader(t *testing.T) {
	n := seeds(50, 200)
	sc := modelScenario(t, "cmp-isleader", "{lease_duration: 15s, renew_deadline: 10s, retry_period: 2s}",
		[]string{"{at: 20s, cut: [[leader], [Q]], until: 50s}"}, 60*time.Second)
	sc.Mutant = "ignores-renew-deadline"
	mo := modelOutcomes(t, sc, n)
	ro := realOutcomes(t, func(s uint64) Config {
		c := defaults(s)
		c.ClaimByIsLeader, c.Duration = true, 60*time.Second
		c.Faults = []Fault{{Kind: Partition, Node: Leader, At: 20 * time.Second, Until: 50 * time.Second}}
		return c
	}, n)
	m, r := twoLeaders(mo), twoLeaders(ro)
	logTable(t, "IsLeader application, leader cut off 20s-50s, 15s/10s/2s", n, []row{{"runs with two leaders", fmt.Sprint(m), fmt.Sprint(r), agree(m == n && r == n)}})
	if m != n || r != n {
		t.Errorf("two leaders: model %d, real %d, want %d on both", m, r, n)
	}
}
