package sim

import (
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestOpLog: operations come back by index and in order, an update through at shows in
// all, and the slice grows by the projection: a steady run ends with a slice close to its
// final size, an early burst grows at most eightfold at a time.
func TestOpLog(t *testing.T) {
	const end = 1_000_000
	for _, tc := range []struct {
		name string
		n    int
		when func(i, n int) int64 // the call time of operation i of n
		// maxCap bounds the final capacity, 0 for no bound.
		maxCap int
	}{
		{"none", 0, nil, 0},
		{"one", 1, func(i, n int) int64 { return 5 }, opLogFirst},
		{"steady", 90_000, func(i, n int) int64 { return int64(i) * end / int64(n) }, 90_000 * 17 / 16},
		{"steady from a warm-up", 50_000, func(i, n int) int64 { return end/4 + int64(i)*(end*3/4)/int64(n) }, 0},
		{"burst at time zero", 10_000, func(i, n int) int64 { return 0 }, 2 * 16_384},
		{"early burst", 10_000, func(i, n int) int64 { return 1 + int64(i)/1000 }, 8 * 10_000},
		{"at the end", 3_000, func(i, n int) int64 { return end }, 2 * 4_096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := opLog{end: end}
			for i := 0; i < tc.n; i++ {
				if got := l.add(history.Op{Call: tc.when(i, tc.n)}, tc.when(i, tc.n)); got != i {
					t.Fatalf("add #%d returned index %d", i, got)
				}
			}
			for i := 0; i < tc.n; i++ {
				op := l.at(i)
				if op == nil || op.Call != tc.when(i, tc.n) {
					t.Fatalf("at(%d) = %v", i, op)
				}
				op.Return = int64(i) + 1
			}
			if l.at(-1) != nil || l.at(tc.n) != nil {
				t.Fatalf("at out of range is not nil")
			}
			if tc.maxCap > 0 && cap(l.ops) > tc.maxCap {
				t.Errorf("capacity %d for %d operations, want at most %d", cap(l.ops), tc.n, tc.maxCap)
			}
			ops := l.all()
			if len(ops) != tc.n || (tc.n == 0) != (ops == nil) || cap(ops) != len(ops) {
				t.Fatalf("all has %d operations, capacity %d (nil: %v)", len(ops), cap(ops), ops == nil)
			}
			for i, op := range ops {
				if op.Call != tc.when(i, tc.n) || op.Return != int64(i)+1 {
					t.Fatalf("all()[%d] = call %d return %d", i, op.Call, op.Return)
				}
			}
		})
	}
}
