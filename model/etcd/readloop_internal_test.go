package etcd

import (
	"slices"
	"testing"
)

// TestReadLoopBatchesRounds: one ReadIndex round is outstanding at a time; the requests
// that arrived before it started share it, and are served only once it is confirmed and
// its index applied; those that arrive during it make up the next round; a role change
// drops an unconfirmed round and the pending requests, but not a confirmed round.
func TestReadLoopBatchesRounds(t *testing.T) {
	// Steps: "add N" (expect the ReadIndex context sent, 0 for none), "confirm CTX INDEX",
	// "done APPLIED" (expect the requests served), "start" (the next round: expect its
	// context, as serveRound starts it when requests are pending), "drop".
	type step struct {
		op        string
		a, b      uint64
		wantCtx   uint64
		wantServe []uint64
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"one read, one round", []step{
			{op: "add", a: 1, wantCtx: 1},
			{op: "done", a: 100}, // not confirmed yet
			{op: "confirm", a: 1, b: 7},
			{op: "done", a: 6}, // index 7 not applied yet
			{op: "done", a: 7, wantServe: []uint64{1}},
		}},
		{"reads during a round wait for the next and share it", []step{
			{op: "add", a: 1, wantCtx: 1},
			{op: "add", a: 2},
			{op: "add", a: 3},
			{op: "confirm", a: 1, b: 5},
			{op: "add", a: 4}, // confirmed but not served: still the next round's
			{op: "done", a: 5, wantServe: []uint64{1}},
			{op: "start", wantCtx: 2},
			{op: "confirm", a: 1, b: 9}, // a stale context confirms nothing
			{op: "done", a: 9},
			{op: "confirm", a: 2, b: 9},
			{op: "done", a: 9, wantServe: []uint64{2, 3, 4}},
		}},
		{"a role change drops an unconfirmed round and the pending reads", []step{
			{op: "add", a: 1, wantCtx: 1},
			{op: "add", a: 2},
			{op: "drop"},
			{op: "confirm", a: 1, b: 3},
			{op: "done", a: 3},
			{op: "add", a: 5, wantCtx: 5},
			{op: "confirm", a: 5, b: 4},
			{op: "done", a: 4, wantServe: []uint64{5}},
		}},
		{"a confirmed round survives a role change", []step{
			{op: "add", a: 1, wantCtx: 1},
			{op: "add", a: 2},
			{op: "confirm", a: 1, b: 3},
			{op: "drop"},
			{op: "done", a: 3, wantServe: []uint64{1}},
			{op: "add", a: 6, wantCtx: 6},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var rl readLoop
			for i, s := range c.steps {
				switch s.op {
				case "add":
					if got := rl.add(s.a); got != s.wantCtx {
						t.Fatalf("step %d: add(%d) asked a ReadIndex for %d, want %d", i, s.a, got, s.wantCtx)
					}
				case "start":
					if got := rl.start(); got != s.wantCtx {
						t.Fatalf("step %d: the next round's context is %d, want %d", i, got, s.wantCtx)
					}
				case "confirm":
					rl.confirm(s.a, s.b)
				case "done":
					if got := rl.done(s.a); !slices.Equal(got, s.wantServe) {
						t.Fatalf("step %d: done(%d) served %v, want %v", i, s.a, got, s.wantServe)
					}
				case "drop":
					rl.drop()
				}
			}
		})
	}
}
