package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/sweep"
)

// TestSweepBadSetExits2: a bad --set value is refused with exit 2 and a message naming
// the flag, before anything runs: no points are written (so none are cached).
func TestSweepBadSetExits2(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"drift_ppm=2000000"}, "--set drift_ppm=2000000: clocks.default.drift_ppm: 2e+06 is out of range"},
		{[]string{"drift_ppm=1e12"}, "--set drift_ppm=1e12: clocks.default.drift_ppm: "},
		{[]string{"lease=1s,abc"}, `--set lease=abc: params.lease: "abc" is not a duration`},
		{[]string{"loss=2"}, "--set loss=2: network.loss: 2 is outside [0, 1]"},
		{[]string{"lease=1s", "renew=nonexist/3"}, "--set renew=nonexist/3: nonexist is not swept by another --set"},
		{[]string{"lease=1s:10s"}, "--set lease=1s:10s: a range is FROM:TO:STEP"},
		{[]string{"lease=1s:1000h:1ms"}, "--set lease=1s:1000h:1ms: 3599999001 values; at most 10000 per --set"},
		{[]string{"lease=1s,10s", "guard=2s"}, "--set guard=2s (at guard=2s,lease=1s): params.guard: guard 2s must be shorter than lease 1s"},
	} {
		t.Run(strings.Join(c.set, " "), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			args := []string{"sweep", "sweep-lease-length", "--seeds", "1", "--out", dir}
			for _, s := range c.set {
				args = append(args, "--set", s)
			}
			done := make(chan struct{})
			var code int
			var errOut string
			go func() {
				defer close(done)
				code, _, errOut = leasesim(t, args...)
			}()
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("%v still runs after 2 minutes", c.set)
			}
			if code != exit.BadInput || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, errOut, exit.BadInput, c.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "points.jsonl")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a refused sweep wrote points.jsonl (%v)", err)
			}
		})
	}
}

// writeVariant writes the built-in sweep scenario with one string replaced.
func writeVariant(t *testing.T, from, to string) string {
	t.Helper()
	l, err := loadScenario("sweep-lease-length")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(l.Data), from, to, 1)
	if text == string(l.Data) {
		t.Fatalf("%q not in the scenario", from)
	}
	path := filepath.Join(t.TempDir(), "variant.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSweepRefusesAnotherScenario: an --out written for one scenario is not reused for
// another with the same --set values; the message says what differs.
func TestSweepRefusesAnotherScenario(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--set", "lease=2s,5s", "--seeds", "2", "--out", dir, "--json"}
	code, first, errOut := leasesim(t, append([]string{"sweep", "sweep-lease-length"}, args...)...)
	if code != exit.OK {
		t.Fatalf("sweep exit %d\n%s", code, errOut)
	}
	other := writeVariant(t, "loss: 0.01", "loss: 0.2")
	code, second, errOut := leasesim(t, append([]string{"sweep", other}, args...)...)
	if code != exit.BadInput || second == first || !strings.Contains(errOut, "the scenario differs") || !strings.Contains(errOut, `"loss: 0.2" now`) {
		t.Errorf("the same --out for another scenario: exit %d, stdout %q, stderr:\n%s", code, second, errOut)
	}
	code, _, errOut = leasesim(t, "sweep", "sweep-lease-length", "--set", "lease=2s,5s", "--seeds", "3", "--out", dir)
	if code != exit.BadInput || !strings.Contains(errOut, "the seed range differs") {
		t.Errorf("the same --out with other seeds: exit %d, stderr:\n%s", code, errOut)
	}
}

// TestSweepNarrowerRerunKeepsPoints: a rerun over fewer points keeps the others on disk
// and recomputes nothing.
func TestSweepNarrowerRerunKeepsPoints(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := leasesim(t, "sweep", "sweep-lease-length", "--set", "lease=2s,5s,10s", "--seeds", "2", "--out", dir); code != exit.OK {
		t.Fatalf("sweep exit %d\n%s", code, errOut)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "points.jsonl"))
	code, out, errOut := leasesim(t, "sweep", "sweep-lease-length", "--set", "lease=2s", "--seeds", "2", "--out", dir, "--json")
	if code != exit.OK || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "1 point reused") {
		t.Errorf("narrower rerun: exit %d\n%s%s", code, out, errOut)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "points.jsonl"))
	if !bytes.Equal(before, after) || strings.Count(string(after), "\n") != 3 {
		t.Errorf("points.jsonl after a narrower rerun:\n%s\nwas:\n%s", after, before)
	}
}

// TestSweepUnwritableOut: an --out that cannot be written is refused at once, naming the
// flag.
func TestSweepUnwritableOut(t *testing.T) {
	if st, err := os.Stat("/proc/self"); err != nil || !st.IsDir() {
		t.Skip("needs /proc, a directory nobody can create files in")
	}
	code, _, errOut := leasesim(t, "sweep", "sweep-lease-length", "--set", "lease=2s,5s", "--seeds", "2", "--out", "/proc")
	if code != exit.BadInput || !strings.Contains(errOut, "--out /proc: the directory is not writable") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

// childArgs is where TestSweepChild finds its command line.
const childArgs = "LEASESIM_TEST_CHILD_ARGS"

// TestSweepChild is not a test: TestSweepInterrupted runs the test binary with it to
// have a leasesim process to interrupt.
func TestSweepChild(t *testing.T) {
	args := os.Getenv(childArgs)
	if args == "" {
		t.Skip("the child process of TestSweepInterrupted")
	}
	os.Exit(Execute(strings.Split(args, "\n"), os.Stdout, os.Stderr))
}

// TestSweepInterrupted: SIGINT stops a sweep with exit 130 and the finished points in
// points.jsonl; the rerun computes only the rest, and its files are byte-identical to
// those of an uninterrupted sweep.
func TestSweepInterrupted(t *testing.T) {
	whole, parts := t.TempDir(), t.TempDir()
	sweepArgs := func(out string) []string {
		return []string{"sweep", "sweep-lease-length", "--set", "lease=1s,2s,3s,4s,5s,6s,7s,8s", "--set", "renew=lease/4",
			"--seeds", "3", "--workers", "1", "--out", out}
	}
	child := exec.Command(os.Args[0], "-test.run=^TestSweepChild$")
	child.Env = append(os.Environ(), childArgs+"="+strings.Join(sweepArgs(parts), "\n"))
	var childErr bytes.Buffer
	child.Stderr = &childErr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	points := filepath.Join(parts, "points.jsonl")
	var err error
wait:
	for {
		select {
		case err = <-exited:
			t.Fatalf("the sweep ended (%v) before any point was on disk; points.jsonl was written only at the end\n%s", err, childErr.String())
		case <-time.After(2 * time.Millisecond):
			if b, _ := os.ReadFile(points); bytes.Contains(b, []byte("\n")) {
				child.Process.Signal(os.Interrupt)
				err = <-exited
				break wait
			}
		}
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exit.Interrupted {
		t.Fatalf("interrupted sweep: %v, want exit %d\n%s", err, exit.Interrupted, childErr.String())
	}
	kept, _ := os.ReadFile(points)
	n := strings.Count(string(kept), "\n")
	if n < 1 || n >= 8 || !bytes.HasSuffix(kept, []byte("\n")) {
		t.Fatalf("points.jsonl after the interruption holds %d lines, want some of the 8:\n%s", n, kept)
	}
	t.Logf("%d of 8 points finished before the interruption", n)
	code, _, errOut := leasesim(t, sweepArgs(parts)...)
	if code != exit.OK || !strings.Contains(errOut, fmt.Sprintf("leasesim: %d point", n)) || !strings.Contains(errOut, " reused from ") {
		t.Fatalf("rerun exit %d\n%s", code, errOut)
	}
	if code, _, errOut := leasesim(t, sweepArgs(whole)...); code != exit.OK {
		t.Fatalf("uninterrupted sweep exit %d\n%s", code, errOut)
	}
	for _, f := range []string{"points.jsonl", "sweep.csv", "unavailability.svg", "violations.svg", "timeline.svg", "timeline.json"} {
		a, errA := os.ReadFile(filepath.Join(whole, f))
		b, errB := os.ReadFile(filepath.Join(parts, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the uninterrupted and the resumed sweep (%v, %v)", f, errA, errB)
		}
	}
}

// TestSweepFor: --for runs seeds in order on every point and says which ran; --seeds is
// then the most per point. A bad --for, or --for with --shard, exits 2 naming the flag.
func TestSweepFor(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := leasesim(t, "sweep", "sweep-lease-length", "--set", "lease=2s,5s", "--seeds", "3", "--for", "1h", "--out", dir)
	if code != exit.OK || !strings.Contains(out, "--for 1h: every point ran seeds 1–3 (3 seeds; all of --seeds 3, before the budget ran out)") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// The table bounds each point's rate: 0 of 3 seeds, at most 1−0.05^(1/3) = 63.16% at 95%,
	// printed rounded up to two significant digits, as the suite prints bounds.
	if !strings.Contains(out, "rate ≤ (95%)") || strings.Count(out, "  64%  ") != 2 {
		t.Errorf("the table lacks the rate bound:\n%s", out)
	}
	pts, err := sweep.ReadPoints(filepath.Join(dir, "points.jsonl"))
	if err != nil || len(pts) != 2 || pts[0].Seeds != 3 || pts[1].Seeds != 3 {
		t.Errorf("points %+v, %v; want 2 points of 3 seeds", pts, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--for", "0s"}, `invalid argument "0s" for "--for" flag: expected a duration above zero`},
		{[]string{"--for", "-1m"}, `invalid argument "-1m" for "--for" flag: expected a duration above zero`},
		{[]string{"--for", "soon"}, `invalid argument "soon" for "--for" flag: expected a duration with a unit`},
		{[]string{"--for", "1m", "--seeds", "1", "--shard", "1/2"}, "--for with --shard 1/2"},
	} {
		args := append([]string{"sweep", "sweep-lease-length", "--set", "lease=2s", "--out", t.TempDir()}, c.args...)
		if code, _, errOut := leasesim(t, args...); code != exit.BadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", c.args, code, errOut, exit.BadInput, c.want)
		}
	}
}
