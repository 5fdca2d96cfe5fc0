package merge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteReport: a suite directory becomes out/report.html with its scenario; a
// directory without results is an error naming it, and no report is written.
func TestWriteReport(t *testing.T) {
	suite, empty, out := t.TempDir(), t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(suite, "results.jsonl"), []byte(`{"scenario":"s","file":"s.yaml","met":true,"seeds":1}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(suite, "runs.jsonl"), nil, 0o644)
	rep, path, err := WriteReport(out, "title", []string{suite})
	if err != nil || path != filepath.Join(out, "report.html") || len(rep.Suite) != 1 {
		t.Fatalf("WriteReport: %v, %s, %d scenarios", err, path, len(rep.Suite))
	}
	if html, err := os.ReadFile(path); err != nil || !strings.Contains(string(html), "title") {
		t.Errorf("report.html: %v", err)
	}
	out2 := t.TempDir()
	if _, _, err := WriteReport(out2, "t", []string{suite, empty}); err == nil || !strings.Contains(err.Error(), empty) {
		t.Errorf("with an empty directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out2, "report.html")); err == nil {
		t.Error("a report was written though a directory held no results")
	}
}
