package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
)

// TestFindingTimelineZooms: heartbeat-cut's first finding is a P4 that lasts from 22.5s
// to the run's end; the zoomed timeline shows the overlap's onset instead, so it is not
// the whole-run timeline again.
func TestFindingTimelineZooms(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := leasesim(t, "run", "heartbeat-cut", "--out", dir); code != exit.Violated {
		t.Fatalf("exit %d, want %d (heartbeat-cut violates P1); stderr %s", code, exit.Violated, stderr)
	}
	full, err := os.ReadFile(filepath.Join(dir, "timeline.svg"))
	if err != nil {
		t.Fatal(err)
	}
	zoom, err := os.ReadFile(filepath.Join(dir, "finding-timeline.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(full, zoom) {
		t.Error("finding-timeline.svg is the whole-run timeline.svg byte for byte; want a zoom on the overlap")
	}
}
