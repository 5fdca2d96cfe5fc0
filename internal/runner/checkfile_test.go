package runner

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCheckFile: a history written by a run and read back checks to the run's own
// result; a bad file is an error naming it.
func TestCheckFile(t *testing.T) {
	run, err := RunSeed(parse(t, overlapping), 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "history.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.History.Write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := CheckFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Result, run.Result) {
		t.Errorf("checked from the file:\n%+v\nfrom the run:\n%+v", got.Result, run.Result)
	}
	os.WriteFile(path, []byte("{\"type\": \"meta\"\n"), 0o644)
	if _, err := CheckFile(path, Options{}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a bad history: %v, want an error naming %s", err, path)
	}
}
