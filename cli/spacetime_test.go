package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRunOutWritesSpacetime: run --out records the messages into history.jsonl and
// draws spacetime.svg for a run with findings, and none for a clean run.
func TestRunOutWritesSpacetime(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	if code, _, errOut := leasesim(t, "run", "heartbeat-cut", "--seed", "1", "--out", out); code != 1 {
		t.Fatalf("exit %d, want 1 (violated): %s", code, errOut)
	}
	svg, err := os.ReadFile(filepath.Join(out, "spacetime.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Finding 1", "Q last heard from B", "Heartbeat"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("spacetime.svg lacks %q", want)
		}
	}
	hist, err := os.ReadFile(filepath.Join(out, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(hist, []byte(`{"type":"msg"`)) || !bytes.Contains(hist, []byte(`{"type":"clock"`)) {
		t.Error("history.jsonl of run --out has no msg or clock records")
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if code, _, errOut := leasesim(t, "run", "lease-cut", "--seed", "1", "--out", clean); code != 0 {
		t.Fatalf("lease-cut: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(clean, "spacetime.svg")); err == nil {
		t.Error("spacetime.svg written for a run without findings")
	}
}
