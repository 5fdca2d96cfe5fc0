package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/exit"
)

// swarmYAML is a mutant that random faults expose, expected (wrongly) to hold.
const swarmYAML = `name: swarm-cli
protocol: lease
mutant: no-guard
holders: [A, B]
duration: 60s
seeds: {from: 1, count: 100}
clocks:
  default: {drift_ppm: 50000}
faults:
  - random: {kinds: [partition, crash, pause, slow, cut], mean_gap: 5s, mean_length: 2s}
expect:
  p1: holds
`

// TestSuiteSwarm: suite --swarm draws a mix per seed, and what it reports reproduces:
// the failure bundle holds the scenario with swarm: true and replays, its history's meta
// names the mix, the reproduce command carries --swarm, and run --swarm on that seed
// gives the bundle's trace.
func TestSuiteSwarm(t *testing.T) {
	dir := t.TempDir()
	file := writeScenario(t, dir, "swarm-cli", swarmYAML)
	out := filepath.Join(dir, "results")
	code, stdout, stderr := leasesim(t, "suite", file, "--swarm", "--out", out)
	if code != exit.Violated {
		t.Fatalf("suite --swarm exit %d, want %d\n%s\n%s", code, exit.Violated, stdout, stderr)
	}
	bdir := filepath.Join(out, "failures", "swarm-cli")
	sc, err := os.ReadFile(filepath.Join(bdir, "scenario.yaml"))
	if err != nil || !strings.Contains(string(sc), "swarm: true") {
		t.Fatalf("the bundle's scenario is not the one run with swarm (%v):\n%s", err, sc)
	}
	hist, err := os.ReadFile(filepath.Join(bdir, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	meta, _, _ := strings.Cut(string(hist), "\n")
	if !strings.Contains(meta, `"swarm":["faults[0]: on `) {
		t.Errorf("the history's meta does not name the seed's mix: %s", meta)
	}
	var info bundle.Info
	b, _ := os.ReadFile(filepath.Join(bdir, "bundle.json"))
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	if code, rout, _ := leasesim(t, "replay", bdir); code != exit.Violated || !strings.Contains(rout, "reproduced: seed") {
		t.Errorf("replay of a swarm bundle: exit %d\n%s", code, rout)
	}
	code, stdout, _ = leasesim(t, "suite", file, "--swarm", "--out", "")
	if code != exit.Violated || !strings.Contains(stdout, "reproduce: leasesim run "+file+" --seed ") || !strings.Contains(stdout, " --swarm\n") {
		t.Errorf("suite --swarm without --out: exit %d, reproduce command without --swarm:\n%s", code, stdout)
	}
	seed := strings.TrimSpace(strings.Fields(strings.SplitN(stdout, "--seed ", 2)[1])[0])
	_, jout, _ := leasesim(t, "run", file, "--seed", seed, "--swarm", "--json")
	var res struct {
		TraceHash string `json:"trace_hash"`
	}
	if err := json.Unmarshal([]byte(jout), &res); err != nil {
		t.Fatalf("run --json: %v\n%s", err, jout)
	}
	_, plain, _ := leasesim(t, "run", file, "--seed", seed, "--json")
	var plainRes struct {
		TraceHash string `json:"trace_hash"`
	}
	json.Unmarshal([]byte(plain), &plainRes)
	if res.TraceHash == "" || res.TraceHash == plainRes.TraceHash {
		t.Errorf("run --swarm and run without it give traces %q and %q; want two different ones", res.TraceHash, plainRes.TraceHash)
	}
	if seed != strconv.FormatUint(info.Seed, 10) || res.TraceHash != info.TraceHash {
		t.Errorf("run --swarm --seed %s: trace %s; the bundle's seed %d, trace %s", seed, res.TraceHash, info.Seed, info.TraceHash)
	}
}
