package transcripts

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// raceMaxEvents: under -race, scenarios whose golden file records more events than this
// are left out (the race detector makes them ten times slower; the runs share nothing, so
// they have no races of their own to find). Without -race every scenario runs.
const raceMaxEvents = 50000

// nondeterministic lists the scenarios whose seed 1 does not give the same run twice,
// and why: they get no golden transcript until that is fixed (the test runs them twice
// and fails once the two runs agree, so that the list does not outlive the bug).
var nondeterministic = map[string]string{}

// TestTranscripts runs seed 1 of every built-in scenario and compares its excerpt
// (Excerpt) with testdata/NAME.txt. When a protocol's behaviour changes, the test prints
// the first lines that differ, with their line numbers in the file and in this run. After an intended change, and
// after adding or removing a scenario, rewrite every file with
//
//	go test ./internal/transcripts -update
func TestTranscripts(t *testing.T) {
	for _, file := range catalog.Names() {
		name := strings.TrimSuffix(file, ".yaml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if why, ok := nondeterministic[name]; ok {
				if !bytes.Equal(excerptOf(t, name), excerptOf(t, name)) {
					t.Skip("not deterministic: " + why)
				}
				t.Fatalf("listed as not deterministic, but two runs agree: take it off the list and rewrite with %s", Update)
			}
			path := filepath.Join("testdata", name+".txt")
			want, err := os.ReadFile(path)
			if err != nil && !*update {
				t.Fatalf("%v: a scenario without a golden transcript (rewrite with: %s)", err, Update)
			}
			if modeltest.Race() && !*update {
				if n := recordedEvents(want); n > raceMaxEvents {
					t.Skipf("%d events: too heavy under -race (it runs without)", n)
				}
			}
			got := excerptOf(t, name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if d := lineDiff(string(want), string(got)); d != "" {
				if again := excerptOf(t, name); !bytes.Equal(again, got) {
					t.Fatalf("seed 1 is not deterministic: two runs differ:\n%s", lineDiff(string(got), string(again)))
				}
				t.Errorf("%s differs from this run (- the file, + this run; `leasesim run %s --seed 1 --out DIR` writes "+
					"every event to DIR/transcript.txt; rewrite with %s if the change is intended):\n%s", path, name, Update, d)
			}
		})
	}
}

// excerptOf runs seed 1 of a built-in scenario with a transcript and returns its excerpt.
func excerptOf(t *testing.T, name string) []byte {
	t.Helper()
	sc := modeltest.Catalog(t, name)
	var tr bytes.Buffer
	run, err := runner.RunSeed(sc, 1, runner.Options{Trace: &tr})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Excerpt(sc, run, tr.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// recordedEvents reads the event count a golden file records ("2,947 events, ...", with
// thousands separators), 0 when it records none.
func recordedEvents(golden []byte) int {
	for _, l := range strings.Split(string(golden), "\n") {
		count, _, ok := strings.Cut(l, " events, ")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(strings.ReplaceAll(count, ",", "")); err == nil {
			return n
		}
	}
	return 0
}

// TestNoStaleTranscripts: every golden file belongs to a built-in scenario (-update
// removes the others).
func TestNoStaleTranscripts(t *testing.T) {
	names := map[string]bool{}
	for _, f := range catalog.Names() {
		names[strings.TrimSuffix(f, ".yaml")+".txt"] = true
	}
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if names[e.Name()] {
			continue
		}
		path := filepath.Join("testdata", e.Name())
		if *update {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s: no built-in scenario of that name (rewrite with: %s)", path, Update)
	}
}
