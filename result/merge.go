package result

import (
	"sort"
	"strconv"
)

// MergeSuite merges the per-scenario results of several shards of one suite with the
// runs they wrote. A scenario seen once is kept as its shard wrote it (its bundle is
// real). One seen in several shards gets its runs merged (one per seed, in seed order),
// its statistics recomputed and its expectations evaluated again with expectOf(file)
// — nothing its shards decided survives: a merged scenario that now passes, or fails
// on another seed, shows no stale failing seed, command or bundle. When expectOf fails
// the merged scenario is not met and its Error says why.
func MergeSuite(scenarios []ScenarioResult, runs []RunResult, expectOf func(file string) (Expect, error)) []ScenarioResult {
	count := map[string]int{}
	for _, r := range scenarios {
		count[r.Scenario]++
	}
	bySeed := map[string]map[uint64]RunResult{}
	for _, r := range runs {
		if bySeed[r.Scenario] == nil {
			bySeed[r.Scenario] = map[uint64]RunResult{}
		}
		bySeed[r.Scenario][r.Seed] = r
	}
	var out []ScenarioResult
	done := map[string]bool{}
	for _, r := range scenarios {
		if count[r.Scenario] == 1 {
			out = append(out, r)
			continue
		}
		if done[r.Scenario] {
			continue
		}
		done[r.Scenario] = true
		out = append(out, mergeScenario(r, bySeed[r.Scenario], expectOf))
	}
	return out
}

// mergeScenario is r over the given runs, evaluated again.
func mergeScenario(r ScenarioResult, bySeed map[uint64]RunResult, expectOf func(string) (Expect, error)) ScenarioResult {
	seeds := make([]uint64, 0, len(bySeed))
	for s := range bySeed {
		seeds = append(seeds, s)
	}
	sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
	m := r
	m.Runs = nil
	m.Budget = nil // the merged seeds are not one budget's prefix
	for _, s := range seeds {
		m.Runs = append(m.Runs, bySeed[s])
	}
	e, err := expectOf(r.File)
	if err != nil {
		m.Summarize()
		m.Rates = nil // the confidence of each rate is the file's
		m.Expectations, m.FailingSeed, m.Reproduce, m.Bundle = nil, nil, "", ""
		m.Met = false
		m.Error = "cannot evaluate the merged expectations: " + err.Error()
		return m
	}
	m.Evaluate(e)
	if m.FailingSeed != nil {
		m.Reproduce = Command("run", r.File, "--seed", strconv.FormatUint(*m.FailingSeed, 10))
		if m.Swarm {
			m.Reproduce += " --swarm" // the seed's faults are those of the swarm mix it drew
		}
	}
	return m
}
