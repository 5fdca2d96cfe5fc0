package rundir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/result"
)

// overlapping is a history in which A and B both claim the lease from 4s to 5s.
func overlapping() *history.History {
	const s = int64(time.Second)
	return &history.History{
		Meta: history.Meta{Scenario: "two-leaders", Protocol: "lease", End: 10 * s, Holders: []string{"A", "B"}},
		Claims: []history.Claim{{Holder: "A", Lease: history.LeaderLease, Epoch: 1, From: 0, To: 5 * s, End: history.EndDeadline},
			{Holder: "B", Lease: history.LeaderLease, Epoch: 2, From: 4 * s, To: 10 * s, End: history.EndRunEnd}},
	}
}

// TestWrite: a run with a P1 finding gets every file of the layout; one without
// findings gets no finding timeline, porcupine view or space-time diagram.
func TestWrite(t *testing.T) {
	for _, c := range []struct {
		name     string
		h        *history.History
		want     []string
		wantNone []string
	}{
		{"finding", overlapping(),
			[]string{"result.json", "history.jsonl", "transcript.txt", "timeline.svg", "timeline.txt", "finding-timeline.svg", "porcupine-p1-1.html", "spacetime.svg"}, nil},
		{"clean", &history.History{Meta: history.Meta{Scenario: "idle", Protocol: "lease", End: int64(time.Second)}},
			[]string{"result.json", "history.jsonl", "transcript.txt", "timeline.svg", "timeline.txt"},
			[]string{"finding-timeline.svg", "porcupine-p1-1.html", "spacetime.svg"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			res := checker.Check(c.h, checker.Options{})
			r := result.RunResult{Scenario: c.h.Meta.Scenario, Verdict: res.Verdict, Findings: res.Findings}
			if err := Write(dir, c.h, r, res, Options{Transcript: []byte("t\n")}); err != nil {
				t.Fatal(err)
			}
			for _, f := range c.want {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("missing %s: %v", f, err)
				}
			}
			for _, f := range c.wantNone {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					t.Errorf("%s written for a run without findings", f)
				}
			}
			b, _ := os.ReadFile(filepath.Join(dir, "result.json"))
			if !strings.Contains(string(b), `"checks"`) || !strings.Contains(string(b), `"verdict": "`+string(res.Verdict)+`"`) {
				t.Errorf("result.json lacks the verdict or the checks:\n%s", b)
			}
		})
	}
}

// TestWriteFile: the file has its content and mode 0644, and no temporary file stays.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "f.txt")
	if err := WriteFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	st, _ := os.Stat(path)
	if err != nil || string(b) != "two" || st.Mode().Perm() != 0o644 {
		t.Errorf("content %q, mode %v, err %v; want two, 0644", b, st.Mode().Perm(), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d entries left in the directory, want 1", len(entries))
	}
}
