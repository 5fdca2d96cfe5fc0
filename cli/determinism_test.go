package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// timingFields are the --json keys, at any depth, that measure the machine rather than
// the run (wall-clock durations): they are left out of the comparison. There are none
// today; a field added under one of these names is excepted by name.
var timingFields = map[string]bool{"timings": true}

// TestCatalogIsDeterministic runs every built-in scenario with `leasesim run NAME --seed S
// --json --out DIR` twice, once at GOMAXPROCS 1 and once at 4, and requires the complete
// --json output (less timingFields) and the history bytes to be identical, and so every
// other file written into DIR (transcript, timelines, porcupine visualizations, .json
// files less timingFields). Two seeds
// each; one under -race, where a run is about ten times slower.
func TestCatalogIsDeterministic(t *testing.T) {
	seeds := []uint64{1, 2}
	if modeltest.Race() {
		seeds = seeds[:1]
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	names := catalog.Names()
	if len(names) < 20 {
		t.Fatalf("catalog has %d scenarios", len(names))
	}
	dir := t.TempDir()
	for _, file := range names {
		name := strings.TrimSuffix(file, ".yaml")
		for _, seed := range seeds {
			var outs [2]run
			for i, procs := range []int{1, 4} {
				runtime.GOMAXPROCS(procs)
				outs[i] = runJSON(t, filepath.Join(dir, fmt.Sprintf("%s-%d-%d", name, seed, procs)), name, seed)
			}
			if outs[0].code != outs[1].code {
				t.Errorf("%s seed %d: exit %d at GOMAXPROCS 1, %d at 4", name, seed, outs[0].code, outs[1].code)
			}
			if outs[0].json != outs[1].json {
				t.Errorf("%s seed %d: --json differs between GOMAXPROCS 1 and 4:\n%s\n%s", name, seed, outs[0].json, outs[1].json)
			}
			if !bytes.Equal(outs[0].history, outs[1].history) {
				t.Errorf("%s seed %d: history.jsonl differs between GOMAXPROCS 1 and 4 (%d and %d bytes)", name, seed, len(outs[0].history), len(outs[1].history))
			}
			for f, b := range outs[0].files {
				if c, ok := outs[1].files[f]; !ok || !bytes.Equal(b, c) {
					t.Errorf("%s seed %d: %s differs between GOMAXPROCS 1 and 4", name, seed, f)
				}
			}
			if len(outs[0].files) != len(outs[1].files) {
				t.Errorf("%s seed %d: --out wrote %d files at GOMAXPROCS 1, %d at 4", name, seed, len(outs[0].files), len(outs[1].files))
			}
		}
	}
}

// run is what one `leasesim run` printed and wrote.
type run struct {
	code    int
	json    string            // the --json output, re-encoded without timingFields
	history []byte            // history.jsonl
	files   map[string][]byte // every file the run wrote into --out (.json ones without timingFields)
}

func runJSON(t *testing.T, out, name string, seed uint64) run {
	t.Helper()
	code, stdout, stderr := leasesim(t, "run", name, "--seed", strconv.FormatUint(seed, 10), "--json", "--out", out)
	if code != exit.OK && code != exit.Violated {
		t.Fatalf("%s seed %d: exit %d\n%s", name, seed, code, stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("%s seed %d: --json output is not one JSON value: %v\n%s", name, seed, err, stdout)
	}
	b, err := json.Marshal(withoutTimings(v))
	if err != nil {
		t.Fatal(err)
	}
	h, err := os.ReadFile(filepath.Join(out, "history.jsonl"))
	if err != nil {
		t.Fatalf("%s seed %d: %v", name, seed, err)
	}
	files := map[string][]byte{}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), ".json") {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatalf("%s seed %d: %s: %v", name, seed, e.Name(), err)
			}
			if data, err = json.Marshal(withoutTimings(v)); err != nil {
				t.Fatal(err)
			}
		}
		files[e.Name()] = data
	}
	return run{code: code, json: string(b), history: h, files: files}
}

// withoutTimings drops timingFields from a decoded JSON value, at any depth.
func withoutTimings(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if timingFields[k] {
				delete(x, k)
			} else {
				x[k] = withoutTimings(e)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = withoutTimings(e)
		}
	}
	return v
}
