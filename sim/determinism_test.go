package sim

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// richConfig exercises every part of the kernel: drifting clocks, lossy duplicating
// lognormal links, a processing delay, and a random schedule of every fault kind.
func richConfig(seed uint64) Config {
	cfg := pingConfig(seed, 4, 120*sec)
	cfg.Network.Duplicate = 0.01
	cfg.Nodes[1].ProcessingDelay = 3e6
	cfg.Nodes[2].Clock = ClockSpec{DriftPPM: -50, Offset: 80e6, OffsetRange: 20e6}
	cfg.Faults = []Fault{
		{Kind: FaultCut, Groups: [][]string{{"Q"}, {"A"}}, At: 10 * sec, Until: 20 * sec},
		{Kind: FaultRandom, Random: &RandomFaults{From: 0, Until: 120 * sec,
			Kinds: []FaultKind{FaultPartition, FaultCrash, FaultPause, FaultClockStep, FaultDrift,
				FaultSlow, FaultLossy, FaultReorder, FaultIsolate, FaultCut, FaultCutOneway, FaultIssuerCrash},
			MeanGap: 4 * sec, MeanLength: 3 * sec}},
	}
	return cfg
}

func traceHash(t testing.TB, cfg Config) string {
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := h.Write(&b); err != nil {
		t.Fatal(err)
	}
	// The history must be as reproducible as the trace.
	return h.Meta.TraceHash + fmt.Sprintf("/%x", b.Len()) + "/" + fmt.Sprint(len(h.Claims))
}

func TestSameSeedSameTrace(t *testing.T) {
	first := traceHash(t, richConfig(42))
	for i := 0; i < 20; i++ {
		if got := traceHash(t, richConfig(42)); got != first {
			t.Fatalf("run %d: trace %s, first run %s", i, got, first)
		}
	}
	if other := traceHash(t, richConfig(43)); other == first {
		t.Fatalf("seeds 42 and 43 gave the same trace %s: the hash does not see the run", first)
	}
}

// TestTraceIndependentOfGOMAXPROCSAndConcurrency runs the same seeds with GOMAXPROCS 1
// and 8, and concurrently from several goroutines (runs share nothing).
func TestTraceIndependentOfGOMAXPROCSAndConcurrency(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	want := map[uint64]string{}
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	for _, s := range seeds {
		want[s] = traceHash(t, richConfig(s))
	}
	runtime.GOMAXPROCS(8)
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[uint64]string{}
	for _, s := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := traceHash(t, richConfig(s))
			mu.Lock()
			got[s] = h
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, s := range seeds {
		if got[s] != want[s] {
			t.Errorf("seed %d: GOMAXPROCS=8 concurrent %s, GOMAXPROCS=1 %s", s, got[s], want[s])
		}
	}
}

// TestTranscriptDoesNotChangeTheTrace: writing a transcript is observation only.
func TestTranscriptDoesNotChangeTheTrace(t *testing.T) {
	cfg := richConfig(9)
	plain := traceHash(t, cfg)
	var b bytes.Buffer
	cfg.Trace = &b
	if traced := traceHash(t, cfg); traced != plain {
		t.Fatalf("with a transcript %s, without %s", traced, plain)
	}
	if b.Len() == 0 {
		t.Fatal("no transcript written")
	}
}

// TestGoldenTraceHashes pins the trace hashes of fixed seeds, so that any change of
// behaviour — including under -race, another GOMAXPROCS, or another machine of the same
// architecture — shows up as a diff. Rewrite with -update after an intended change.
func TestGoldenTraceHashes(t *testing.T) {
	var b strings.Builder
	for _, s := range []uint64{1, 2, 3, 100, 1 << 40} {
		fmt.Fprintf(&b, "seed %d: %s\n", s, traceHash(t, richConfig(s)))
	}
	golden(t, "trace_hashes.golden", b.String())
}

// TestGoldenTranscript pins a readable transcript of a short run with a cut, a pause and
// a crash: what the kernel did, event by event.
func TestGoldenTranscript(t *testing.T) {
	cfg := pingConfig(1, 2, 6*sec)
	cfg.Network.Loss = 0.05
	cfg.Nodes[1].ProcessingDelay = 2e6
	cfg.MsgName = func(m MsgType) string {
		return map[MsgType]string{msgPing: "Ping", msgPong: "Pong", msgTick: "Tick"}[m]
	}
	cfg.Faults = []Fault{
		{Kind: FaultCut, Groups: [][]string{{"Q"}, {"A"}}, At: 1500e6, Until: 2500e6},
		{Kind: FaultPause, Node: "B", At: 2900e6, Until: 3200e6},
		{Kind: FaultCrash, Node: "A", At: 4 * sec, Until: 4500e6},
		{Kind: FaultClockStep, Node: "B", At: 5 * sec, By: -1 * sec},
	}
	var b bytes.Buffer
	cfg.Trace = &b
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("\nhistory:\n")
	if err := h.Write(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "ping_transcript.golden", b.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from the golden file (run with -update if the change is intended):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
