package tune

import (
	"path/filepath"

	"github.com/leasesim/leasesim/internal/rundir"
)

// WriteFiles writes the result's scenario files into dir, each atomically:
// below-bound.yaml (a guard just below the bound) and recommended.yaml, each when the
// result has it. It returns where they are ("" for a file not written).
func (r *Result) WriteFiles(dir string) (Files, error) {
	var f Files
	if r.BelowBound != nil {
		f.BelowBound = filepath.Join(dir, "below-bound.yaml")
		if err := rundir.WriteFile(f.BelowBound, r.BelowBound.Marshal()); err != nil {
			return Files{}, err
		}
	}
	if r.RecommendedScenario != nil {
		f.Recommended = filepath.Join(dir, "recommended.yaml")
		if err := rundir.WriteFile(f.Recommended, r.RecommendedScenario.Marshal()); err != nil {
			return Files{}, err
		}
	}
	return f, nil
}
