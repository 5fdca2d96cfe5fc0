package merge

import (
	"bytes"
	"path/filepath"

	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/reports"
)

// WriteReport reads and merges the directories dirs (Read) and writes the merged
// report, titled title, as out/report.html; it returns the report and the file's path.
// out must exist; a directory that holds no results is an error naming it.
func WriteReport(out, title string, dirs []string) (reports.Report, string, error) {
	var in Inputs
	for _, dir := range dirs {
		if err := in.Read(dir, out); err != nil {
			return reports.Report{}, "", err
		}
	}
	rep := in.Report(title, dirs)
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, rep); err != nil {
		return rep, "", err
	}
	path := filepath.Join(out, "report.html")
	return rep, path, rundir.WriteFile(path, b.Bytes())
}
