package etcd

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// TestOpModelMutantsP3b: hand-made histories that kill the surviving mutants of the P3
// model's second mutation run, after the lost-Grant rules (opmodel.go, opstate.go,
// partition.go; docs/mutation.md, model/etcd P3 model). Each was checked to fail with its
// mutant applied by hand and to pass without it.
func TestOpModelMutantsP3b(t *testing.T) {
	ms := int64(time.Millisecond)
	tests := []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		// opmodel.go goneMark's `createRev: -2` → 2 (INVERT_NEGATIVES, ARITHMETIC_BASE): the
		// mark of a gone lease then reads as a deleted incarnation of the empty key at
		// revision 2, so a put of that key at a revision up to 2 on the lease granted again
		// is taken for a key created again at an older revision. (Real etcd refuses an empty
		// key, but a history file may hold one, and nothing else in the model forbids it.)
		{"the empty key put on a lease granted again after it was gone", []history.Op{grant("A", 0, ms, 1),
			keepalive("A", 4*s, 4*s+ms, 1, false), grant("A", 5*s, 5*s+ms, 1), put("A", "", 6*s, 6*s+ms, 1, 1)}, porcupine.Ok},
		// partition.go: an answered call of a method the model does not know goes into a
		// part of its own, where step rejects it. It was left out of every part, and so
		// ignored, whenever the history had another part; alone (no parts) it was rejected
		// (the no-parts branch's `o.Return != history.Forever` negated showed it).
		{"an answered call of an unknown method", []history.Op{op("A", "delete", 0, ms, func(o *history.Op) { o.Key, o.Ok = "k", true })}, porcupine.Illegal},
		{"an answered call of an unknown method next to a grant", []history.Op{grant("A", 0, ms, 1),
			op("A", "delete", 2*ms, 3*ms, func(o *history.Op) { o.Key, o.Ok = "k", true })}, porcupine.Illegal},
		{"an unanswered call of an unknown method", []history.Op{grant("A", 0, ms, 1),
			op("A", "delete", 2*ms, history.Forever, func(o *history.Op) { o.Key = "k" })}, porcupine.Ok},
	}
	for _, tt := range tests {
		if got := check(tt.ops); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
