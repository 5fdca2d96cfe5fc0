package main

import (
	"context"
	"fmt"

	"github.com/leasesim/leasesim/internal/runner"
	_ "github.com/leasesim/leasesim/model/all" // every protocol of the catalog
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// load parses the built-in scenario name with its seed count set to seeds, as
// `leasesim suite NAME --seeds N` does.
func load(name string, seeds int) (*scenarios.Scenario, string, error) {
	file := catalog.Prefix + name + ".yaml"
	data, err := catalog.Read(name + ".yaml")
	if err != nil {
		return nil, "", fmt.Errorf("%s: no built-in scenario of that name (see leasesim list)", name)
	}
	sc, err := scenarios.Parse(data, file)
	if err != nil {
		return nil, "", err
	}
	sc.SetSeedCount(seeds)
	return sc, file, nil
}

// measure runs every seed of the table's scenarios, workers at a time, and returns each
// scenario's results by name. The results do not depend on workers.
func measure(ctx context.Context, t table, workers int) (map[string]measured, error) {
	names := t.scenarios()
	scs := make([]*scenarios.Scenario, len(names))
	files := make([]string, len(names))
	for i, n := range names {
		sc, file, err := load(n, t.seeds)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", t.id, err)
		}
		scs[i], files[i] = sc, file
	}
	out := map[string]measured{}
	_, err := runner.RunJobs(ctx, scs, runner.Jobs(scs), runner.SuiteOptions{
		Workers: workers,
		OnScenario: func(i int, runs []*runner.Run) {
			out[names[i]] = measured{r: runner.Summarize(scs[i], files[i], runs), resource: scs[i].Resource}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", t.id, err)
	}
	for _, n := range names {
		if got := out[n].r.Seeds; got != t.seeds {
			return nil, fmt.Errorf("table %s: %s ran %d of %d seeds", t.id, n, got, t.seeds)
		}
	}
	return out, nil
}

// figKey is one measurement of figures: a scenario at a seed count.
type figKey struct {
	scenario string
	seeds    int
}

// measureFigures runs every seed of the figures' scenarios in one batch, workers at a
// time, each scenario and seed count once, and returns the results by both.
func measureFigures(ctx context.Context, figs []figure, workers int) (map[figKey]measured, error) {
	var keys []figKey
	var scs []*scenarios.Scenario
	var files []string
	seen := map[figKey]bool{}
	for _, f := range figs {
		k := figKey{f.scenario, f.seeds}
		if seen[k] {
			continue
		}
		seen[k] = true
		sc, file, err := load(f.scenario, f.seeds)
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", f.id, err)
		}
		keys, scs, files = append(keys, k), append(scs, sc), append(files, file)
	}
	out := map[figKey]measured{}
	_, err := runner.RunJobs(ctx, scs, runner.Jobs(scs), runner.SuiteOptions{
		Workers: workers,
		OnScenario: func(i int, runs []*runner.Run) {
			out[keys[i]] = measured{r: runner.Summarize(scs[i], files[i], runs), resource: scs[i].Resource}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	for _, k := range keys {
		if got := out[k].r.Seeds; got != k.seeds {
			return nil, fmt.Errorf("figures: %s ran %d of %d seeds", k.scenario, got, k.seeds)
		}
	}
	return out, nil
}
