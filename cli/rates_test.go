package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/result"
)

// wantsViolation is a correct lease configuration whose file says p1 is violated in some
// of its 4 seeds: it never is, so only all 4 seeds can say the expectation failed.
const wantsViolation = `name: wants-violation
protocol: lease
holders: [A, B, C]
resource: true
params: {lease: 5s, renew: 1s, guard: 250ms}
duration: 10s
seeds: 4
expect:
  p1: violated
`

// wantsRate bounds p1's rate at 1% per run, which 3 clean seeds cannot show.
const wantsRate = `name: wants-rate
protocol: lease
holders: [A, B, C]
resource: true
params: {lease: 5s, renew: 1s, guard: 250ms}
duration: 10s
seeds: 3
expect:
  p1: {rate: "<= 1%"}
`

func writeRateScenario(t *testing.T, name, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestSuiteTooFewSeedsIsUndecided: run with fewer seeds than its file's, a wanted
// violation that did not happen is undecided (exit 3, saying which seeds would decide
// it), not failed; over all its seeds it fails. A rate that the seeds cannot show is
// undecided too, with the seeds that would decide it.
func TestSuiteTooFewSeedsIsUndecided(t *testing.T) {
	file := writeRateScenario(t, "wants-violation.yaml", wantsViolation)
	code, out, errOut := leasesim(t, "suite", file, "--seeds", "2", "--out", "")
	if code != exit.Undecided {
		t.Fatalf("suite --seeds 2: exit %d, want %d\n%s%s", code, exit.Undecided, out, errOut)
	}
	for _, want := range []string{"undecided\n", "the scenario's own 4 seeds decide it", "0 of 2 seeds: p1 ≤ 78% per run at 95%", "1 undecided"} {
		if !strings.Contains(out, want) {
			t.Errorf("suite --seeds 2 output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "the seeds that ran cannot decide") {
		t.Errorf("stderr does not say why it is undecided: %q", errOut)
	}
	if code, out, _ := leasesim(t, "suite", file, "--out", ""); code != exit.Violated || !strings.Contains(out, "NOT MET") {
		t.Errorf("suite over the file's own 4 seeds: exit %d, want %d (NOT MET)\n%s", code, exit.Violated, out)
	}

	rate := writeRateScenario(t, "wants-rate.yaml", wantsRate)
	code, out, _ = leasesim(t, "suite", rate, "--json", "--out", "")
	if code != exit.Undecided {
		t.Fatalf("rate over 3 seeds: exit %d, want %d\n%s", code, exit.Undecided, out)
	}
	var r result.ScenarioResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Expectations) == 0 || r.Expectations[0].Undecided != result.UndecidedSeeds || !strings.Contains(r.Expectations[0].Got, "about 299 seeds in all would decide it") {
		t.Errorf("rate expectation: %+v, want undecided for want of seeds, 299 of them", r.Expectations)
	}
	if p1 := r.Rates["p1"]; p1.Seeds != 3 || p1.ViolatingSeeds != 0 || p1.Confidence != 0.95 || p1.Upper < 0.63 || p1.Upper > 0.64 || p1.PerHour == nil {
		t.Errorf("rates.p1 = %+v, want 0 of 3 seeds, upper 63%% at 95%%, per hour", p1)
	}
}

// TestShardsAndTheMergedVerdict: a shard that cannot decide a wanted violation alone
// exits 0 and leaves it to report; report judges the merged counts and exits with the
// merged verdict — here all 4 seeds without the violation: 1.
func TestShardsAndTheMergedVerdict(t *testing.T) {
	file := writeRateScenario(t, "wants-violation.yaml", wantsViolation)
	base := t.TempDir()
	var dirs []string
	for _, shard := range []string{"1/2", "2/2"} {
		dir := filepath.Join(base, "results-"+shard[:1])
		dirs = append(dirs, dir)
		code, out, errOut := leasesim(t, "suite", file, "--shard", shard, "--out", dir)
		if code != exit.OK {
			t.Fatalf("shard %s: exit %d, want 0\n%s%s", shard, code, out, errOut)
		}
		if !strings.Contains(errOut, "left to the merged verdict") || !strings.Contains(out, "leasesim report merges the shards") {
			t.Errorf("shard %s does not say the verdict is the merged report's:\n%s%s", shard, out, errOut)
		}
	}
	code, out, errOut := leasesim(t, append([]string{"report"}, append(dirs, "--out", filepath.Join(base, "report"))...)...)
	if code != exit.Violated || !strings.Contains(errOut, "not met") {
		t.Errorf("report of both shards: exit %d, want %d\n%s", code, exit.Violated, errOut)
	}
	// The log names the scenario and the expectation, not only report.html.
	if !strings.Contains(out, "wants-violation (") || !strings.Contains(out, "expect p1: violated, got") {
		t.Errorf("report of both shards does not say which expectation failed:\n%s", out)
	}
	code, out, _ = leasesim(t, "report", dirs[0], "--out", filepath.Join(base, "report1"))
	if code != exit.Undecided {
		t.Errorf("report of one shard: exit %d, want %d (undecided)", code, exit.Undecided)
	}
	if !strings.Contains(out, "undecided: ") {
		t.Errorf("report of one shard does not say what is undecided and why:\n%s", out)
	}
}
