package cli

import (
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
