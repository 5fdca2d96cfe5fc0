package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQueueOrder drives the event queue with random pushes and pops, across both of its
// forms (sorted and wheel) and back, and checks every pop against a plain sorted list: the
// earliest time first, ties in the order of scheduling.
func TestQueueOrder(t *testing.T) {
	tests := []struct {
		name     string
		peak     int   // population the pushes build up to before draining
		timeSpan int64 // times are drawn in [now+base, now+base+timeSpan): small spans force ties
		base     int64
	}{
		{"small, never a wheel", sortedMax, 1e9, 0},
		{"just over the bound", sortedMax + 1, 1e9, 0},
		{"large, wheel and back", 10 * sortedMax, 1e9, 0},
		{"many ties", 4 * sortedMax, 3, 0},
		{"all ties", 4 * sortedMax, 1, 0},
		{"within one window", 4 * sortedMax, 1 << wheelShift, 0},
		{"beyond the wheel's span: the far heap", 20 * sortedMax, 8 * wheelSize << wheelShift, 0},
		{"far ties", 20 * sortedMax, 3, 2 * wheelSize << wheelShift},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(tt.peak)))
			var q eventQueue
			type want struct {
				at   int64
				slot int32
			}
			var ref []want // pending, in pop order
			next, now, wasWheel := int32(0), int64(0), false
			push := func() {
				at := now + tt.base + rng.Int64N(tt.timeSpan)
				q.push(at, evBody{kind: evTimer, slot: next})
				i, _ := slices.BinarySearchFunc(ref, at, func(w want, at int64) int {
					if w.at <= at {
						return -1 // equal times: after those scheduled earlier
					}
					return 1
				})
				ref = slices.Insert(ref, i, want{at, next})
				next++
			}
			pop := func() {
				if q.peekTime() != ref[0].at {
					t.Fatalf("peekTime %d, want %d", q.peekTime(), ref[0].at)
				}
				at, b := q.pop()
				if at != ref[0].at || b.slot != ref[0].slot {
					t.Fatalf("pop %d (event %d), want %d (event %d)", at, b.slot, ref[0].at, ref[0].slot)
				}
				now = at
				ref = ref[1:]
			}
			for round := 0; round < 3; round++ {
				for q.len() < tt.peak {
					push()
					if rng.IntN(3) == 0 {
						pop()
					}
					wasWheel = wasWheel || q.w != nil
				}
				for q.len() > 0 {
					pop()
					if rng.IntN(4) == 0 {
						push()
					}
				}
			}
			if wasWheel != (tt.peak > sortedMax) {
				t.Errorf("became a wheel: %v, want %v (peak %d, sortedMax %d)", wasWheel, !wasWheel, tt.peak, sortedMax)
			}
			if q.w != nil {
				t.Errorf("an empty queue is still a wheel")
			}
		})
	}
}
