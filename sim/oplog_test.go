package sim

import (
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestOpLog: operations come back by index and in order, across chunk boundaries, and
// an update through at shows in ops.
func TestOpLog(t *testing.T) {
	for _, n := range []int{0, 1, opChunk - 1, opChunk, opChunk + 1, 3*opChunk + 7} {
		var l opLog
		for i := 0; i < n; i++ {
			if got := l.add(history.Op{Call: int64(i)}); got != i {
				t.Fatalf("n=%d: add #%d returned index %d", n, i, got)
			}
		}
		for i := 0; i < n; i++ {
			op := l.at(i)
			if op == nil || op.Call != int64(i) {
				t.Fatalf("n=%d: at(%d) = %v", n, i, op)
			}
			op.Return = int64(i) + 1
		}
		if l.at(-1) != nil || l.at(n) != nil {
			t.Fatalf("n=%d: at out of range is not nil", n)
		}
		ops := l.ops()
		if len(ops) != n || (n == 0) != (ops == nil) {
			t.Fatalf("n=%d: ops has %d operations (nil: %v)", n, len(ops), ops == nil)
		}
		for i, op := range ops {
			if op.Call != int64(i) || op.Return != int64(i)+1 {
				t.Fatalf("n=%d: ops[%d] = call %d return %d", n, i, op.Call, op.Return)
			}
		}
	}
}
