package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/lease"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, newTuneCmd)
}

// tunePoint is one candidate parameter set and what its seeds showed.
type tunePoint struct {
	Lease          string  `json:"lease"`
	Renew          string  `json:"renew"`
	Guard          string  `json:"guard"`
	GuardOverBound float64 `json:"guard_over_bound"`
	Seeds          int     `json:"seeds"`
	Violations     int     `json:"violations"`
	UnavailMean    float64 `json:"unavailable_fraction_mean"`
	UnavailP99     float64 `json:"unavailable_fraction_p99"`
	MaxGap         string  `json:"max_gap"`
	IssuerMsgsPerS float64 `json:"issuer_msgs_per_sec"`
	Safe           bool    `json:"safe"`
	lease, guard   time.Duration
}

func newTuneCmd() *cobra.Command {
	var (
		maxDrift  string
		maxOffset time.Duration
		target    float64
		seeds     int
		leases    string
		out       string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "tune SCENARIO --max-drift 200ppm --max-offset 50ms",
		Short: "Recommend lease, renew and guard: the least unavailability that stays safe",
		Long: `tune searches lease lengths (renew = lease/4) and guard bands around the analytic
bound for a scenario of the lease family, under the worst clocks the bounds allow: Q's
clock fast by --max-drift and ahead by --max-offset, every holder's slow and behind by as
much (--max-drift is raised to the worst rate the scenario's own clocks reach: drift plus
periodic amplitude plus slew bound). Every candidate runs --seeds seeds of the scenario's faults. The recommendation is
the candidate with the least mean unavailability among those that are safe on every seed
AND have a guard at or above the analytic bound (lease.MinGuard: guard >= lease·ρ, plus
the offset for timestamp expiry) — a simulation can miss a rare overlap, the bound cannot.
With --target-unavailability, the candidate with the longest renew (the least issuer load)
whose p99 unavailability meets the target is chosen instead.

Guards below the bound are simulated too, to measure the margin: tune reports the
smallest guard that was still safe and writes below-bound.yaml (the scenario with a guard
just below the bound) so that 'leasesim run' shows the violation.

Exit 0 with a recommendation, 1 when no candidate is safe (or meets the target), 2 for bad
input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := loadScenario(args[0])
			if err != nil {
				return err
			}
			proto, _ := model.Lookup(l.sc.Protocol)
			if proto == nil || (l.sc.Protocol != "lease" && l.sc.Protocol != "fencing") {
				return badInput("%s: tune searches the lease family's parameters (lease, renew, guard); protocol %s has its own", l.file, l.sc.Protocol)
			}
			ppm, err := parsePPM(maxDrift)
			if err != nil {
				return badInput("--max-drift %q: %v", maxDrift, err)
			}
			// The bound covers the worst rate the scenario's own clocks reach (drift plus
			// periodic amplitude plus slew), not only --max-drift.
			ppm = max(ppm, l.sc.WorstRatePPM())
			if maxOffset < 0 {
				return badInput("--max-offset %s: expected a duration >= 0", maxOffset)
			}
			if seeds < 1 {
				return badInput("--seeds %d: expected at least 1", seeds)
			}
			var leaseList []time.Duration
			for _, s := range strings.Split(leases, ",") {
				d, err := time.ParseDuration(strings.TrimSpace(s))
				if err != nil || d <= 0 {
					return badInput("--leases: %q is not a positive duration", s)
				}
				leaseList = append(leaseList, d)
			}
			expiry := l.sc.Values.String("expiry")
			base := worstClocks(l.sc, ppm, maxOffset)
			factors := []float64{0.5, 0.75, 1, 1.5, 2, 4}
			var variants []*scenarios.Scenario
			var points []*tunePoint
			for _, ls := range leaseList {
				bound := time.Duration(lease.MinGuard(int64(ls), ppm, int64(maxOffset), expiry))
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
					v.SetSeedCount(seeds)
					variants = append(variants, v)
					gob := 0.0
					if bound > 0 {
						gob = float64(g) / float64(bound)
					}
					points = append(points, &tunePoint{Lease: ls.String(), Renew: renew.String(), Guard: g.String(),
						GuardOverBound: gob, Seeds: seeds, lease: ls, guard: g})
				}
			}
			runs, err := runner.RunJobs(cmd.Context(), variants, runner.Jobs(variants), runner.SuiteOptions{
				OnRun: func(runner.Job, *runner.Run) {}, Options: runner.Options{}})
			if err != nil {
				return badInput("%v", err)
			}
			k := 0
			for i, p := range points {
				var fr []float64
				var gap int64
				var msgs float64
				for j := 0; j < seeds; j++ {
					r := runs[k]
					k++
					for _, f := range r.Check.Findings {
						if f.Kind == checker.P1 || f.Kind == checker.P2 || f.Kind == checker.P4 {
							p.Violations++
							break
						}
					}
					fr = append(fr, r.Check.Metrics.UnavailableFraction)
					gap = max(gap, r.Check.Metrics.MaxGapNs)
					msgs += r.Check.Metrics.IssuerMsgsPerSec
				}
				p.UnavailMean = mean(fr)
				p.UnavailP99 = percentile(fr, 0.99)
				p.MaxGap = time.Duration(gap).Round(time.Millisecond).String()
				p.IssuerMsgsPerS = msgs / float64(seeds)
				p.Safe = p.Violations == 0
				_ = i
			}
			rec := recommend(points, target)
			w := cmd.OutOrStdout()
			if out == "" {
				out = filepath.Join("out", "tune-"+l.sc.Name)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			var belowFile, recFile string
			if rec != nil {
				// The boundary file: a guard at three quarters of the bound, for the
				// lease where the simulation saw the most seeds overlap there (a short lease's
				// overlap can hide inside one network delay).
				demo := rec
				most := 0
				for _, p := range points {
					if p.GuardOverBound == 0.75 && (p.Violations > most || p.Violations == most && most > 0 && p.lease == rec.lease) {
						demo, most = p, p.Violations
					}
				}
				bound := time.Duration(lease.MinGuard(int64(demo.lease), ppm, int64(maxOffset), expiry))
				below := (bound * 3 / 4).Truncate(10 * time.Microsecond)
				if v, err := withParams(base, proto, map[string]string{"lease": demo.lease.String(), "renew": demo.Renew, "guard": below.String()}); err == nil {
					v.Name = l.sc.Name + "-below-bound"
					v.Description = fmt.Sprintf("tune: guard %s, three quarters of the analytic bound %s for lease %s at ±%v ppm: expected to overlap.", below, bound, demo.Lease, ppm)
					v.Expect = scenarios.Expect{Properties: map[string]string{"p1": scenarios.PropViolated}}
					belowFile = filepath.Join(out, "below-bound.yaml")
					if err := writeFileAtomic(belowFile, v.Marshal()); err != nil {
						return err
					}
				}
				if v, err := withParams(base, proto, map[string]string{"lease": rec.Lease, "renew": rec.Renew, "guard": rec.Guard}); err == nil {
					v.Name = l.sc.Name + "-recommended"
					v.Description = "tune: the recommended parameters under the worst clocks of the bounds."
					v.Expect = scenarios.Expect{Properties: map[string]string{"p1": scenarios.PropHolds, "p4": scenarios.PropHolds}}
					recFile = filepath.Join(out, "recommended.yaml")
					if err := writeFileAtomic(recFile, v.Marshal()); err != nil {
						return err
					}
				}
			}
			if asJSON {
				b, _ := json.Marshal(map[string]any{"scenario": l.sc.Name, "max_drift_ppm": ppm, "max_offset": maxOffset.String(),
					"points": points, "recommended": rec, "below_bound_file": belowFile, "recommended_file": recFile})
				fmt.Fprintf(w, "%s\n", b)
			} else {
				printTune(w, l.sc.Name, ppm, maxOffset, expiry, points, rec, belowFile, recFile)
			}
			if rec == nil {
				return withCode(exitViolated)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&maxDrift, "max-drift", "200ppm", "the largest clock drift to tolerate, in ppm (\"200ppm\" or \"200\")")
	f.DurationVar(&maxOffset, "max-offset", 0, "the largest wall-clock offset to tolerate (matters for timestamp expiry)")
	f.Float64Var(&target, "target-unavailability", 0, "the p99 unavailable fraction to meet with the least issuer load (0: least unavailability)")
	f.IntVar(&seeds, "seeds", 20, "seeds per candidate")
	f.StringVar(&leases, "leases", "1s,2s,3s,5s,10s,20s,30s", "lease lengths to try")
	f.StringVar(&out, "out", "", "directory for recommended.yaml and below-bound.yaml (default out/tune-NAME)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
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

// recommend picks among the safe candidates whose guard covers the analytic bound.
func recommend(points []*tunePoint, target float64) *tunePoint {
	var ok []*tunePoint
	for _, p := range points {
		if p.Safe && p.GuardOverBound >= 1 {
			ok = append(ok, p)
		}
	}
	if target > 0 {
		var meet []*tunePoint
		for _, p := range ok {
			if p.UnavailP99 <= target {
				meet = append(meet, p)
			}
		}
		sort.SliceStable(meet, func(i, j int) bool {
			if meet[i].lease != meet[j].lease {
				return meet[i].lease > meet[j].lease // longest renew, least load
			}
			return meet[i].UnavailMean < meet[j].UnavailMean
		})
		if len(meet) == 0 {
			return nil
		}
		return meet[0]
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if ok[i].UnavailMean != ok[j].UnavailMean {
			return ok[i].UnavailMean < ok[j].UnavailMean
		}
		return ok[i].lease > ok[j].lease
	})
	if len(ok) == 0 {
		return nil
	}
	return ok[0]
}

func printTune(w interface{ Write([]byte) (int, error) }, name string, ppm float64, offset time.Duration, expiry string,
	points []*tunePoint, rec *tunePoint, belowFile, recFile string) {
	fmt.Fprintf(w, "%s: worst clocks for ±%v ppm drift and ±%s offset (Q fast and ahead, holders slow and behind), expiry %s\n\n", name, ppm, offset, expiry)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "LEASE\tRENEW\tGUARD\tGUARD/BOUND\tVIOLATING SEEDS\tUNAVAIL MEAN\tUNAVAIL P99\tMAX GAP\tISSUER MSG/S")
	for _, p := range points {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%d/%d\t%.4f%%\t%.4f%%\t%s\t%.1f\n", p.Lease, p.Renew, p.Guard, p.GuardOverBound,
			p.Violations, p.Seeds, 100*p.UnavailMean, 100*p.UnavailP99, p.MaxGap, p.IssuerMsgsPerS)
	}
	tw.Flush()
	fmt.Fprintln(w)
	// The measured margin: the smallest safe guard and the largest violating one, per lease.
	byLease := map[string][]*tunePoint{}
	var order []string
	for _, p := range points {
		if _, seen := byLease[p.Lease]; !seen {
			order = append(order, p.Lease)
		}
		byLease[p.Lease] = append(byLease[p.Lease], p)
	}
	for _, ls := range order {
		var safe, unsafe []string
		for _, p := range byLease[ls] {
			if p.Safe {
				safe = append(safe, fmt.Sprintf("%s (%.2f×)", p.Guard, p.GuardOverBound))
			} else {
				unsafe = append(unsafe, fmt.Sprintf("%s (%.2f×)", p.Guard, p.GuardOverBound))
			}
		}
		fmt.Fprintf(w, "lease %s: violated at guard %s; safe at %s\n", ls, orNone(unsafe), orNone(safe))
	}
	fmt.Fprintln(w)
	if rec == nil {
		fmt.Fprintln(w, "no candidate is safe on every seed with a guard at or above the bound (or meets the target)")
		return
	}
	fmt.Fprintf(w, "recommended: lease %s, renew %s, guard %s\n", rec.Lease, rec.Renew, rec.Guard)
	fmt.Fprintf(w, "  safety condition (lease.MinGuard): guard >= lease × ρ")
	if expiry == "timestamp" {
		fmt.Fprintf(w, " + max offset")
	}
	fmt.Fprintf(w, " = %s; the recommendation is %.2f× that\n", time.Duration(float64(rec.guard)/rec.GuardOverBound).Round(time.Microsecond), rec.GuardOverBound)
	fmt.Fprintf(w, "  measured: mean unavailability %.4f%%, p99 %.4f%%, longest gap %s, issuer %.1f msg/s over %d seeds\n",
		100*rec.UnavailMean, 100*rec.UnavailP99, rec.MaxGap, rec.IssuerMsgsPerS, rec.Seeds)
	if recFile != "" {
		fmt.Fprintf(w, "  check it: leasesim suite %s --seeds 1000\n", recFile)
	}
	if belowFile != "" {
		fmt.Fprintf(w, "  below the bound: leasesim suite %s   (guard at 3/4 of the bound; expected to overlap)\n", belowFile)
	}
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// parsePPM reads "200ppm" or "200".
func parsePPM(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "ppm"), 64)
	if err != nil || v < 0 || v >= 1e6 || math.IsNaN(v) {
		return 0, fmt.Errorf("expected a drift in ppm like 200ppm")
	}
	return v, nil
}

func roundUp(d, unit time.Duration) time.Duration {
	if r := d % unit; r != 0 {
		d += unit - r
	}
	return d
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func percentile(xs []float64, p float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}
