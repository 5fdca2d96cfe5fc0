package bundle

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/internal/exit"
)

// TestReplayBadBundle: a path that holds no bundle is bad input (exit 2) naming it.
func TestReplayBadBundle(t *testing.T) {
	dir := t.TempDir()
	var e *exit.Error
	if err := Replay(&bytes.Buffer{}, dir); !errors.As(err, &e) || e.Code != exit.BadInput || !strings.Contains(err.Error(), dir) {
		t.Errorf("Replay of an empty directory: %v", err)
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
			WarnVersion(&w, dir)
			if got := strings.Contains(w.String(), "written by leasesim v9.9.9"); got != tt.warn {
				t.Errorf("warning %q, want one: %v", w.String(), tt.warn)
			}
		})
	}
}
