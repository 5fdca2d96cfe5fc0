package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHintsNameThisBinary: the commands seqlock-sim prints for people to run next name
// seqlock-sim, not leasesim — leasesim knows no seqlock protocol, so its name in a hint
// would point at a program that cannot replay the seed. The binary is built and run as a
// user runs it: a suite's reproduce line and failure bundle, and the command in the
// report that merges two shards.
func TestHintsNameThisBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "seqlock-sim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	scenario, err := filepath.Abs("../../scenarios/cut-broken.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run := func(wantCode int, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--quiet")...)
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != wantCode {
			t.Fatalf("seqlock-sim %s: exit %d, want %d\n%s", strings.Join(args, " "), code, wantCode, out)
		}
		return string(out)
	}
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// leasesim naming a command to run: "leasesim run", "leasesim replay", ... (the report
	// is titled "leasesim report" by its --title default, which is no command)
	leasesim := regexp.MustCompile(`leasesim (run|replay|check|suite)\b`)

	suiteOut := filepath.Join(dir, "suite")
	stdout := run(1, "suite", scenario, "--seeds", "3", "--out", suiteOut)
	bundle := read(filepath.Join(suiteOut, "failures", "seqlock-broken-cut", "bundle.json"))
	merged := filepath.Join(dir, "merged")
	for i, shard := range []string{"1/2", "2/2"} {
		run(1, "suite", scenario, "--seeds", "4", "--shard", shard, "--out", filepath.Join(dir, "shard", string(rune('a'+i))))
	}
	run(1, "report", filepath.Join(dir, "shard", "a"), filepath.Join(dir, "shard", "b"), "--out", merged)
	report := read(filepath.Join(merged, "report.html"))

	for _, c := range []struct{ what, text, want string }{
		{"suite's reproduce line", stdout, "reproduce: seqlock-sim replay " + filepath.Join(suiteOut, "failures", "seqlock-broken-cut")},
		{"failure bundle's replay", bundle, `"replay": "seqlock-sim replay `},
		{"merged report's reproduce", report, "seqlock-sim run " + scenario + " --seed "},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s lacks %q:\n%s", c.what, c.want, c.text)
		}
		if m := leasesim.FindString(c.text); m != "" {
			t.Errorf("%s names another program: %q", c.what, m)
		}
	}
}
