package tune

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
)

func TestWriteFiles(t *testing.T) {
	sc := modeltest.Catalog(t, "lease-cut")
	for _, c := range []struct {
		name              string
		r                 Result
		below, recommends bool
	}{
		{"none", Result{}, false, false},
		{"below bound only", Result{BelowBound: sc}, true, false},
		{"both", Result{BelowBound: sc, RecommendedScenario: sc}, true, true},
	} {
		dir := t.TempDir()
		f, err := c.r.WriteFiles(dir)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, w := range []struct {
			got, file string
			want      bool
		}{{f.BelowBound, "below-bound.yaml", c.below}, {f.Recommended, "recommended.yaml", c.recommends}} {
			path := filepath.Join(dir, w.file)
			if (w.got != "") != w.want || (w.want && w.got != path) {
				t.Errorf("%s: file %q, want %s written: %v", c.name, w.got, w.file, w.want)
			}
			b, err := os.ReadFile(path)
			if (err == nil) != w.want || (w.want && !bytes.Equal(b, sc.Marshal())) {
				t.Errorf("%s: %s on disk: %v (%d bytes), want written: %v with the scenario", c.name, w.file, err, len(b), w.want)
			}
		}
	}
}
