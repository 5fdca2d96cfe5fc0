package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/internal/bundle"
	"github.com/leasesim/leasesim/internal/exit"
)

func TestVersionCommand(t *testing.T) {
	code, out, _ := leasesim(t, "version")
	if code != exit.OK || !strings.HasPrefix(out, "leasesim "+buildinfo.Version()+" (go") {
		t.Errorf("exit %d: %q", code, out)
	}
}

func TestReplayWarnsOfAnotherVersion(t *testing.T) {
	tests := []struct {
		name, bundle string
		warn         bool
	}{
		{"another version", `{"leasesim_version": "v9.9.9"}`, true},
		{"this version", `{"leasesim_version": "` + buildinfo.Version() + `"}`, false},
		{"no version recorded", `{}`, false},
		{"not a bundle", `[`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "bundle.json"), []byte(tt.bundle), 0o644)
			var w bytes.Buffer
			warnVersion(&w, dir)
			if got := strings.Contains(w.String(), "written by leasesim v9.9.9"); got != tt.warn {
				t.Errorf("warning %q, want one: %v", w.String(), tt.warn)
			}
		})
	}
}

func TestBundleRecordsTheVersion(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := leasesim(t, "suite", "testdata/wrong-expectation.yaml", "--out", dir); code != exit.Violated {
		t.Fatalf("suite exit %d\n%s\n%s", code, out, errOut)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "failures", "wrong-expectation", "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info bundle.Info
	if err := json.Unmarshal(raw, &info); err != nil || info.Version != buildinfo.Version() {
		t.Errorf("bundle version %q (%v), want %q", info.Version, err, buildinfo.Version())
	}
}
