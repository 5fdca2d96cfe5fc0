package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/scenarios"
)

// small is a quick scenario with random faults, so that points differ.
const small = `name: small-sweep
protocol: lease
holders: [A, B]
params: {lease: 2s, renew: 500ms, guard: 100ms}
network:
  loss: 0.01
faults:
  - random: {from: 0s, kinds: [crash, pause], mean_gap: 5s, mean_length: 2s}
duration: 30s
seeds: 2
`

func smallScenario(t *testing.T, text string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse([]byte(text), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

var smallSets = []string{"lease=1s,2s,4s", "renew=lease/4"}

// sweepInto runs a whole sweep into dir; cancelAfter > 0 cancels it after that many
// points are on disk.
func sweepInto(t *testing.T, dir string, sc *scenarios.Scenario, sets []string, version string, cancelAfter int) (*Result, error) {
	t.Helper()
	p, err := NewPlan(sc, sets, 0)
	if err != nil {
		t.Fatal(err)
	}
	store, err := OpenStore(dir, NewManifest(p, version))
	if err != nil {
		return nil, err
	}
	defer store.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	res, err := Run(ctx, p, store, Options{Workers: 1, Version: version, OnPoint: func(Record) {
		if n++; n == cancelAfter {
			cancel()
		}
	}})
	if err != nil || res.Interrupted {
		return res, err
	}
	return res, WriteOutputs(dir, p, store, res)
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestInterruptedSweepResumes: a cancelled sweep keeps its finished points on disk; the
// rerun computes only the rest, and the final files are byte-identical to those of a
// sweep that was never interrupted.
func TestInterruptedSweepResumes(t *testing.T) {
	sc := smallScenario(t, small)
	whole, parts := t.TempDir(), t.TempDir()
	if _, err := sweepInto(t, whole, sc, smallSets, "v1", 0); err != nil {
		t.Fatal(err)
	}
	res, err := sweepInto(t, parts, sc, smallSets, "v1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || len(res.Records) != 1 {
		t.Fatalf("interrupted %v with %d records, want 1", res.Interrupted, len(res.Records))
	}
	if lines := readLines(t, filepath.Join(parts, PointsName)); len(lines) != 1 {
		t.Fatalf("points.jsonl after the interruption has %d lines, want the 1 finished point", len(lines))
	}
	res, err = sweepInto(t, parts, sc, smallSets, "v1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reused != 1 || res.Computed != 2 {
		t.Errorf("the rerun reused %d and computed %d points, want 1 and 2", res.Reused, res.Computed)
	}
	for _, f := range []string{PointsName, "sweep.csv", "unavailability.svg", "violations.svg", "timeline.svg", "timeline.json", ManifestName} {
		a, errA := os.ReadFile(filepath.Join(whole, f))
		b, errB := os.ReadFile(filepath.Join(parts, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the uninterrupted and the resumed sweep (%v, %v)", f, errA, errB)
		}
	}
}

// TestPointsAreAppendedAsTheyFinish: when a point is reported finished, its complete
// line is already in points.jsonl.
func TestPointsAreAppendedAsTheyFinish(t *testing.T) {
	sc := smallScenario(t, small)
	dir := t.TempDir()
	p, err := NewPlan(sc, smallSets, 0)
	if err != nil {
		t.Fatal(err)
	}
	store, err := OpenStore(dir, NewManifest(p, "v1"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	seen := 0
	_, err = Run(context.Background(), p, store, Options{Workers: 1, Version: "v1", OnPoint: func(r Record) {
		seen++
		pts, err := ReadPoints(filepath.Join(dir, PointsName))
		if err != nil || len(pts) != seen || pts[seen-1].Key != r.Key {
			t.Errorf("after %d points, points.jsonl holds %d (%v)", seen, len(pts), err)
		}
	}})
	if err != nil || seen != 3 {
		t.Fatalf("%d points, %v", seen, err)
	}
}

// TestNarrowerRerunKeepsPoints: a sweep over a subset of the points reuses them and
// leaves the others in points.jsonl.
func TestNarrowerRerunKeepsPoints(t *testing.T) {
	sc := smallScenario(t, small)
	dir := t.TempDir()
	if _, err := sweepInto(t, dir, sc, smallSets, "v1", 0); err != nil {
		t.Fatal(err)
	}
	before := readLines(t, filepath.Join(dir, PointsName))
	res, err := sweepInto(t, dir, sc, []string{"lease=2s", "renew=lease/4"}, "v1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reused != 1 || res.Computed != 0 || len(res.Records) != 1 {
		t.Errorf("the narrower rerun reused %d, computed %d, returned %d points; want 1, 0, 1", res.Reused, res.Computed, len(res.Records))
	}
	if after := readLines(t, filepath.Join(dir, PointsName)); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("points.jsonl changed:\n%s\nwas\n%s", after, before)
	}
}

// TestMismatchedDirectoryIsRefused: a directory written for another scenario, seed range
// or version is refused, naming what differs; nothing in it changes.
func TestMismatchedDirectoryIsRefused(t *testing.T) {
	sc := smallScenario(t, small)
	dir := t.TempDir()
	if _, err := sweepInto(t, dir, sc, smallSets, "v1", 0); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, PointsName))
	other := smallScenario(t, strings.Replace(small, "loss: 0.01", "loss: 0.02", 1))
	moreSeeds := smallScenario(t, strings.Replace(small, "seeds: 2", "seeds: 3", 1))
	for _, c := range []struct {
		name    string
		sc      *scenarios.Scenario
		version string
		want    string
	}{
		{"another scenario", other, "v1", `the scenario differs: line 9 of its canonical form is "loss: 0.01" in the directory and "loss: 0.02" now`},
		{"another seed range", moreSeeds, "v1", "the seed range differs: the directory has 2 seeds from 1, this sweep asks for 3 seeds from 1"},
		{"another version", sc, "v2", `the leasesim version differs: the directory was written by "v1", this is "v2"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := sweepInto(t, dir, c.sc, smallSets, c.version, 0)
			var bi *BadInput
			if !errors.As(err, &bi) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "--out "+dir) {
				t.Errorf("error %v; want a *BadInput naming --out and saying %q", err, c.want)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, PointsName)); !bytes.Equal(before, after) {
				t.Error("the refused sweep changed points.jsonl")
			}
		})
	}
}

// TestPointsOfUnknownOrigin: points.jsonl without digest.json is refused.
func TestPointsOfUnknownOrigin(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, PointsName), []byte(`{"scenario":"small-sweep","key":"lease=1s"}`+"\n"), 0o644)
	_, err := sweepInto(t, dir, smallScenario(t, small), smallSets, "v1", 0)
	if err == nil || !strings.Contains(err.Error(), "no digest.json") {
		t.Errorf("error %v", err)
	}
}

// TestTornLastLineIsDropped: a line cut short by a crash mid-write is dropped and the
// point computed again; the file stays one JSON object per line.
func TestTornLastLineIsDropped(t *testing.T) {
	sc := smallScenario(t, small)
	dir := t.TempDir()
	if _, err := sweepInto(t, dir, sc, smallSets, "v1", 1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, PointsName)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"scenario":"small-sweep","set":{"lease"`)
	f.Close()
	if pts, err := ReadPoints(path); err != nil || len(pts) != 1 {
		t.Errorf("ReadPoints of a torn file: %d points, %v", len(pts), err)
	}
	res, err := sweepInto(t, dir, sc, smallSets, "v1", 0)
	if err != nil || res.Computed != 2 || res.Reused != 1 {
		t.Fatalf("rerun: %+v, %v", res, err)
	}
	if lines := readLines(t, path); len(lines) != 3 {
		t.Errorf("points.jsonl has %d lines, want 3:\n%s", len(lines), strings.Join(lines, "\n"))
	}
}

// TestShardsSplitThePoints: the shards of a sweep hold disjoint points that together
// are the whole sweep.
func TestShardsSplitThePoints(t *testing.T) {
	sc := smallScenario(t, small)
	p, err := NewPlan(sc, smallSets, 1)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for i := 1; i <= 2; i++ {
		store, err := OpenStore(t.TempDir(), NewManifest(p, "v1"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), p, store, Options{Shard: i, Shards: 2, Version: "v1"})
		store.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			seen[r.Key]++
		}
	}
	if len(seen) != 3 {
		t.Errorf("the shards hold %v, want each of the 3 points once", seen)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s in %d shards", k, n)
		}
	}
}
