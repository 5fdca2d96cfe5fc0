package docs

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoReferencesOutsideTheRepository: nothing in the repository — code, comments,
// help texts, documentation, scenario files — points to documents that exist only
// outside it. Users get the repository; the contract must be in it (docs/).
func TestNoReferencesOutsideTheRepository(t *testing.T) {
	// Spelled in pieces so that this file does not match itself.
	forbidden := []string{"DESIGN" + " §", "DESIGN" + ".md", "../" + "shared", "shared/" + "DESIGN", "shared/" + "STYLE"}
	root := ".."
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") && name != ".ci" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".yaml", ".yml", ".json", ".sh", ".txt", ".html", "":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(b, 0) >= 0 {
			return nil // a binary (e.g. a locally built leasesim), not something we wrote
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			for _, f := range forbidden {
				if strings.Contains(line, f) {
					t.Errorf("%s:%d points outside the repository (%q): %s", path, i+1, f, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d files checked; is the walk rooted at the repository?", checked)
	}
}
