package etcd

import (
	"math/rand/v2"
	"testing"
)

// TestServeQueue: requests come out oldest first, whatever the mix of pushes and pops,
// across the queue emptying and the served front being reclaimed; an empty queue pops
// nothing.
func TestServeQueue(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ops   int
		pushP int // percent of operations that push
	}{
		{"empty", 0, 50},
		{"balanced", 10_000, 50},
		{"growing", 10_000, 70},
		{"draining often", 10_000, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(tc.pushP)))
			var q serveQueue
			var want []uint64
			next := uint64(1)
			for range tc.ops {
				if rng.IntN(100) < tc.pushP {
					q.push(clientReq{seq: next})
					want = append(want, next)
					next++
				} else {
					cr, ok := q.pop()
					switch {
					case len(want) == 0 && ok:
						t.Fatalf("pop from an empty queue returned %d", cr.seq)
					case len(want) > 0 && (!ok || cr.seq != want[0]):
						t.Fatalf("pop = %d (ok %v), want %d", cr.seq, ok, want[0])
					case len(want) > 0:
						want = want[1:]
					}
				}
				if q.len() != len(want) {
					t.Fatalf("len %d, want %d", q.len(), len(want))
				}
			}
			for len(want) > 0 {
				if cr, ok := q.pop(); !ok || cr.seq != want[0] {
					t.Fatalf("draining: pop = %d (ok %v), want %d", cr.seq, ok, want[0])
				}
				want = want[1:]
			}
			if _, ok := q.pop(); ok {
				t.Fatalf("pop from the drained queue returned a request")
			}
		})
	}
}
