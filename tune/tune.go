package tune

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/stats"
)

// Options say what to search and under which bounds.
type Options struct {
	// MaxDriftPPM and MaxOffset are the clock bounds to tolerate.
	MaxDriftPPM float64
	MaxOffset   time.Duration
	// Target, when > 0, is the p99 unavailable fraction to meet with the least issuer
	// load; 0 picks the least mean unavailability.
	Target float64
	// Seeds is the number of seeds per candidate (the first batch, under Rate).
	Seeds int
	// Rate, when set, is a violation-rate target: candidates are decided in the order
	// of preference by adding seeds until the target decides them, and the first that
	// qualifies is recommended (RateTarget). Nil recommends from Seeds seeds, safe on
	// every one.
	Rate *RateTarget
	// Leases are the lease lengths to try (renew = lease/4 each).
	Leases []time.Duration
	// Workers is the number of runs in parallel; 0 means GOMAXPROCS.
	Workers int
}

// Point is one candidate parameter set and what its seeds showed.
type Point struct {
	Lease          string  `json:"lease"`
	Renew          string  `json:"renew"`
	Guard          string  `json:"guard"`
	GuardOverBound float64 `json:"guard_over_bound"`
	Seeds          int     `json:"seeds"`
	Violations     int     `json:"violations"`
	UnavailMean    float64 `json:"unavailable_fraction_mean"`
	UnavailP99     float64 `json:"unavailable_fraction_p99"`
	// MaxGapNs is the longest unavailable stretch over the candidate's seeds, in ns.
	MaxGapNs       int64   `json:"max_gap_ns"`
	IssuerMsgsPerS float64 `json:"issuer_msgs_per_sec"`
	Safe           bool    `json:"safe"`
	// Rate is the candidate's verdict under a rate target (nil without one).
	Rate         *RateVerdict `json:"rate,omitempty"`
	lease, guard time.Duration
	samples      []sample
}

// sample is what one seed of a candidate showed.
type sample struct {
	violated bool
	unavail  float64
	gap      int64
	msgs     float64
}

// Result is a finished search.
type Result struct {
	Scenario    string
	MaxDriftPPM float64
	MaxOffset   time.Duration
	// Expiry is the scenario's expiry mode, for a protocol that has one ("" otherwise).
	Expiry string
	// GuardRule is the protocol's GuardRule: what its guard bound computes.
	GuardRule string
	// guardBound is the protocol's GuardBound over the scenario's parameter values.
	guardBound func(lease int64, maxDriftPPM float64, maxOffset int64) int64
	Points     []*Point
	// Recommended is nil when no candidate is safe (or meets the target).
	Recommended *Point
	// Rate is the violation-rate target (nil without one). Without a recommendation,
	// Undecided says that some eligible candidate was still undecided at the cap, and
	// Closest is the candidate nearest to qualifying (the least upper bound).
	Rate      *RateTarget
	Undecided bool
	Closest   *Point
	// FirstSeeds is the first batch every candidate ran (Options.Seeds): the seeds they
	// are ranked on.
	FirstSeeds int
	// RecommendedScenario and BelowBound are the scenario files to write (nil without a
	// recommendation).
	RecommendedScenario *scenarios.Scenario
	BelowBound          *scenarios.Scenario
}

// factors are the guards tried, as multiples of the analytic bound.
var factors = []float64{0.5, 0.75, 1, 1.5, 2, 4}

// CheckFamily says whether tune can search the scenario's protocol: one that declares
// lease, renew and guard duration parameters and a GuardBound (the built-in lease and
// fencing, or a protocol of the user's registered with one).
func CheckFamily(sc *scenarios.Scenario) error {
	proto, ok := model.Lookup(sc.Protocol)
	if !ok || proto.GuardBound == nil {
		return fmt.Errorf("%s: tune searches a protocol's lease, renew and guard around its analytic guard bound; protocol %s declares no GuardBound", sc.File, sc.Protocol)
	}
	for _, name := range []string{"lease", "renew", "guard"} {
		p, ok := proto.Param(name)
		if !ok || p.Kind != model.Duration {
			return fmt.Errorf("%s: tune searches the parameters lease, renew and guard; protocol %s has no duration parameter %q", sc.File, sc.Protocol, name)
		}
	}
	return nil
}

// Search runs every candidate over opt.Seeds seeds of the scenario's faults under the
// worst clocks, and recommends one. A cancelled ctx ends it with ctx's error.
func Search(ctx context.Context, sc *scenarios.Scenario, opt Options) (*Result, error) {
	if err := CheckFamily(sc); err != nil {
		return nil, err
	}
	proto, _ := model.Lookup(sc.Protocol)
	// The bound covers the worst rate the scenario's own clocks reach (drift plus
	// periodic amplitude plus slew), not only MaxDriftPPM.
	opt.MaxDriftPPM = max(opt.MaxDriftPPM, sc.WorstRatePPM())
	res := &Result{Scenario: sc.Name, MaxDriftPPM: opt.MaxDriftPPM, MaxOffset: opt.MaxOffset, Rate: opt.Rate, FirstSeeds: opt.Seeds, GuardRule: proto.GuardRule}
	if p, ok := proto.Param("expiry"); ok && p.Kind == model.Enum {
		res.Expiry = sc.Values.String("expiry")
	}
	values := sc.Values
	res.guardBound = func(lease int64, maxDriftPPM float64, maxOffset int64) int64 {
		return proto.GuardBound(lease, maxDriftPPM, maxOffset, values)
	}
	base := worstClocks(sc, opt.MaxDriftPPM, opt.MaxOffset)
	var variants []*scenarios.Scenario
	for _, ls := range opt.Leases {
		bound := res.bound(ls)
		for _, f := range factors {
			g := roundUp(time.Duration(math.Ceil(float64(bound)*f)), 10*time.Microsecond)
			if f >= 1 {
				g = max(g, bound)
			}
			renew := ls / 4
			v, err := withParams(base, proto, map[string]string{"lease": ls.String(), "renew": renew.String(), "guard": g.String()})
			if err != nil {
				continue // not a valid combination (guard too long for this lease)
			}
			v.SetSeedCount(opt.Seeds)
			variants = append(variants, v)
			gob := 0.0
			if bound > 0 {
				gob = float64(g) / float64(bound)
			}
			res.Points = append(res.Points, &Point{Lease: ls.String(), Renew: renew.String(), Guard: g.String(),
				GuardOverBound: gob, lease: ls, guard: g})
		}
	}
	runs, err := runner.RunJobs(ctx, variants, runner.Jobs(variants), runner.SuiteOptions{Workers: opt.Workers})
	if err != nil {
		return nil, err
	}
	for i, p := range res.Points {
		p.add(samples(runs[i*opt.Seeds : (i+1)*opt.Seeds]))
	}
	if opt.Rate == nil {
		res.Recommended = recommend(res.Points, opt.Target)
	} else {
		more := func(ctx context.Context, i, count int) ([]sample, error) {
			v := *variants[i]
			v.Seeds = scenarios.Seeds{From: variants[i].Seeds.From + uint64(res.Points[i].Seeds), Count: count}
			vs := []*scenarios.Scenario{&v}
			runs, err := runner.RunJobs(ctx, vs, runner.Jobs(vs), runner.SuiteOptions{Workers: opt.Workers})
			if err != nil {
				return nil, err
			}
			return samples(runs), nil
		}
		if res.Recommended, err = opt.Rate.decideAll(ctx, res.Points, opt.Target, more); err != nil {
			return nil, err
		}
		if res.Recommended == nil {
			res.Undecided, res.Closest = undecided(res.Points), closest(res.Points)
		}
	}
	res.files(base, proto)
	return res, nil
}

// bound is the analytic minimum guard for a lease under the result's clock bounds.
func (r *Result) bound(ls time.Duration) time.Duration {
	return time.Duration(r.guardBound(int64(ls), r.MaxDriftPPM, int64(r.MaxOffset)))
}

// samples turns a candidate's runs (one per seed, in seed order) into what each seed
// showed: a violation of P1, P2 or P4, and the metrics tune weighs.
func samples(runs []*runner.Run) []sample {
	out := make([]sample, 0, len(runs))
	for _, r := range runs {
		s := sample{unavail: r.Check.Metrics.UnavailableFraction, gap: r.Check.Metrics.MaxGapNs, msgs: r.Check.Metrics.IssuerMsgsPerSec}
		for _, f := range r.Check.Findings {
			if f.Kind == checker.P1 || f.Kind == checker.P2 || f.Kind == checker.P4 {
				s.violated = true
				break
			}
		}
		out = append(out, s)
	}
	return out
}

// add takes more seeds' samples into a candidate and measures it again over all its
// seeds.
func (p *Point) add(more []sample) {
	p.samples = append(p.samples, more...)
	fr := make([]float64, 0, len(p.samples))
	var gap int64
	var msgs float64
	p.Violations = 0
	for _, s := range p.samples {
		if s.violated {
			p.Violations++
		}
		fr = append(fr, s.unavail)
		gap = max(gap, s.gap)
		msgs += s.msgs
	}
	p.Seeds = len(p.samples)
	p.UnavailMean = stats.Mean(fr)
	p.UnavailP99 = stats.Percentile(fr, 99)
	p.MaxGapNs = gap
	p.IssuerMsgsPerS = msgs / float64(len(p.samples))
	p.Safe = p.Violations == 0
}

// files builds the recommended scenario and the boundary scenario: a guard at three
// quarters of the bound, for the lease where the simulation saw the most seeds overlap
// there (a short lease's overlap can hide inside one network delay).
func (r *Result) files(base *scenarios.Scenario, proto *model.Protocol) {
	rec := r.Recommended
	if rec == nil {
		return
	}
	demo, most := rec, 0
	for _, p := range r.Points {
		if p.GuardOverBound == 0.75 && (p.Violations > most || p.Violations == most && most > 0 && p.lease == rec.lease) {
			demo, most = p, p.Violations
		}
	}
	bound := r.bound(demo.lease)
	below := (bound * 3 / 4).Truncate(10 * time.Microsecond)
	if v, err := withParams(base, proto, map[string]string{"lease": demo.lease.String(), "renew": demo.Renew, "guard": below.String()}); err == nil {
		v.Name = base.Name + "-below-bound"
		v.Description = fmt.Sprintf("tune: guard %s, three quarters of the analytic bound %s for lease %s at ±%v ppm: expected to overlap.", below, bound, demo.Lease, r.MaxDriftPPM)
		v.Expect = result.Expect{Properties: map[string]string{"p1": result.PropViolated}}
		r.BelowBound = v
	}
	if v, err := withParams(base, proto, map[string]string{"lease": rec.Lease, "renew": rec.Renew, "guard": rec.Guard}); err == nil {
		v.Name = base.Name + "-recommended"
		v.Description = "tune: the recommended parameters under the worst clocks of the bounds."
		v.Expect = result.Expect{Properties: map[string]string{"p1": result.PropHolds, "p4": result.PropHolds}}
		if r.Rate != nil && rec.Rate != nil {
			// Under a rate target the file states the target itself, each property on
			// its own, over the seeds that showed it: its own seed count decides it.
			v.Expect = result.Expect{Rates: map[string]result.RateBound{}}
			text := strconv.FormatFloat(100*r.Rate.MaxRate, 'g', -1, 64) + "%"
			for _, p := range []string{"p1", "p2", "p4"} {
				v.Expect.Rates[p] = result.RateBound{Property: p, Op: "<=", Value: r.Rate.MaxRate, Text: text, Confidence: r.Rate.Confidence}
			}
			v.Seeds = scenarios.Seeds{From: v.Seeds.From, Count: rec.Rate.Seeds}
			v.Description += fmt.Sprintf(" Each of p1, p2 and p4 at most %s per run at %s, over the %d seeds tune ran.", text, result.Percent(r.Rate.Confidence), rec.Rate.Seeds)
		}
		r.RecommendedScenario = v
	}
}

// worstClocks returns a copy of sc with the clocks the bounds make worst for a lease:
// Q fast and ahead, every holder slow and behind (its lease lasts longest in true time
// while Q's lasts shortest).
func worstClocks(sc *scenarios.Scenario, ppm float64, offset time.Duration) *scenarios.Scenario {
	c := *sc
	c.Clocks = map[string]scenarios.Clock{}
	for _, q := range scenarios.IssuerNames(sc.Issuers) {
		c.Clocks[q] = scenarios.Clock{DriftPPM: ppm, Offset: offset, HasDrift: true, HasOffset: true}
	}
	for _, h := range sc.Holders {
		c.Clocks[h] = scenarios.Clock{DriftPPM: -ppm, Offset: -offset, HasDrift: true, HasOffset: true}
	}
	return &c
}

// withParams returns a copy of sc with some parameters replaced, validated by the
// protocol.
func withParams(sc *scenarios.Scenario, proto *model.Protocol, set map[string]string) (*scenarios.Scenario, error) {
	c := *sc
	c.Params = map[string]string{}
	for k, v := range sc.Params {
		c.Params[k] = v
	}
	for k, v := range set {
		c.Params[k] = v
	}
	v, err := proto.ParseValues(c.Params)
	if err != nil {
		return nil, err
	}
	c.Values = v
	return &c, nil
}

// ParsePPM reads a drift bound: "200ppm" or "200", in [0, 1000000).
func ParsePPM(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "ppm"), 64)
	if err != nil || v < 0 || v >= 1e6 || math.IsNaN(v) {
		return 0, fmt.Errorf("expected a drift in ppm like 200ppm")
	}
	return v, nil
}

// ParseLeases reads a comma-separated list of positive durations.
func ParseLeases(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, part := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%q is not a positive duration", part)
		}
		out = append(out, d)
	}
	return out, nil
}
