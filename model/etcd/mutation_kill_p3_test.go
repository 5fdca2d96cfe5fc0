package etcd

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// unanswered is c's call of method on key=value (lease) whose answer never came.
func unanswered(c, method, key, value string, call, lease int64) history.Op {
	return op(c, method, call, history.Forever, func(o *history.Op) { o.Key, o.Value, o.Lease = key, value, lease })
}

// TestOpModelMutants: hand-made histories that kill the surviving mutants of the P3
// model (opmodel.go, partition.go; docs/mutation.md, model/etcd P3 model). Each was
// checked to fail with its mutant applied by hand and to pass without it.
func TestOpModelMutants(t *testing.T) {
	ms := int64(time.Millisecond)
	bound := 3*s - 30*ms // a 3s lease refreshed at 0 may be gone from here on (TTL less 1%)
	tests := []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		// opmodel.go expirable's `ret >=` → `>`
		{"a lease may be gone exactly at its TTL less 1%", []history.Op{grant("A", 0, ms, 1), keepalive("A", bound-ms, bound, 1, false)}, porcupine.Ok},
		{"a lease cannot be gone a nanosecond before", []history.Op{grant("A", 0, ms, 1), keepalive("A", bound-ms, bound-1, 1, false)}, porcupine.Illegal},
		// observe's rule that a read's new incarnation needs the old lease expirable (no test
		// read one through an unanswered put)
		{"a read shows a new incarnation of a key whose lease lives", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			grant("B", 4*ms, 5*ms, 2), put("B", "k", 6*ms, history.Forever, 2, 0), get("C", "k", 8*ms, 9*ms, "B", 2, 9)}, porcupine.Illegal},
		{"a read shows a new incarnation once the old lease may have expired", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			grant("B", 4*s, 4*s+ms, 2), put("B", "k", 4*s+2*ms, history.Forever, 2, 0), get("C", "k", 5*s, 5*s+ms, "B", 2, 9)}, porcupine.Ok},
		// newer's `d.createRev >= createRev` → `>`
		{"a key created again at the create revision of a deleted incarnation", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 5),
			keepalive("A", 4*s, 4*s+ms, 1, false), grant("A", 5*s, 5*s+ms, 2), put("A", "election/A", 6*s, 6*s+ms, 2, 5)}, porcupine.Illegal},
		// step's `op.Method != methodRevoke` negated: an unanswered Revoke never took effect
		{"an unanswered revoke may have deleted the lease's keys", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			op("A", methodRevoke, 4*ms, history.Forever, func(o *history.Op) { o.Lease = 1 }), get("B", "k", 10*ms, 11*ms, "", 0, 0)}, porcupine.Ok},
		// KeepAlive's `l.ttl == 0` negated: the TTL of a lease an unanswered grant that
		// carried none made
		{"a keepalive teaches the TTL of a lease an unanswered grant made", []history.Op{op("A", methodGrant, 0, history.Forever, func(*history.Op) {}), keepalive("A", s, s+ms, 7, true),
			keepalive("A", 2*s, 2*s+ms, 7, false)}, porcupine.Illegal},
		// partition.go: a read links the key with the lease it shows (Get: `op.OutLease != 0`)
		{"a get links its key with the lease it shows", []history.Op{grant("A", 0, ms, 7), put("A", "k", 2*ms, history.Forever, 7, 0),
			get("B", "k", 10*ms, 11*ms, "A", 7, 1), get("B", "k", 20*ms, 21*ms, "", 0, 0)}, porcupine.Illegal},
		// (First: `op.OutLease != 0`)
		{"a first links its key with the lease it shows", []history.Op{grant("A", 0, ms, 7), put("A", "election/A", 2*ms, history.Forever, 7, 0),
			first("B", 10*ms, 11*ms, "election/A", 7, 1), first("B", 20*ms, 21*ms, "", 0, 0)}, porcupine.Illegal},
		// pending's `op.Method == methodCAS` negated: an unanswered compare-and-swap's write
		{"a read shows an unanswered compare-and-swap's value", []history.Op{unanswered("A", methodCAS, "k", "v1", 0, 0),
			get("B", "k", 2*ms, 3*ms, "v1", 0, 1)}, porcupine.Ok},
		// grantable's `g.Call < o.Return` → `<=` (now partition's lostGrant at `op.Call + 1`
		// → `op.Call`: an operation that returned as the Grant was called precedes it)
		{"an unanswered grant called as the keepalive returned", []history.Op{keepalive("A", s, s+ms, 7, true), grantLost("B", s+ms, 0)}, porcupine.Illegal},
		// annotate's `p.Call < o.Return` → `<=`
		{"an unanswered put called as the get returned", []history.Op{grant("A", 0, ms, 1), get("C", "k", 6*ms, 7*ms, "B", 1, 1),
			put("B", "k", 7*ms, history.Forever, 1, 0)}, porcupine.Illegal},
		// opstate.go compareKeys' `c != 0` (lease) negated: a key incarnation of a re-granted id
		{"a key bound again to a lease id granted again", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			keepalive("A", 4*s, 4*s+ms, 1, false), grant("A", 5*s, 5*s+ms, 1), put("A", "k", 6*s, 6*s+ms, 1, 9), get("B", "k", 7*s, 7*s+ms, "A", 1, 9)}, porcupine.Ok},
		// bind's `lease != 0` negated, and the bug it showed (bind brought back a lease seen gone,
		// and did not use up the lost grant that made it; makeLease does now)
		{"a put with a lease seen gone", []history.Op{grant("A", 0, ms, 1), keepalive("A", 4*s, 4*s+ms, 1, false), put("A", "k", 5*s, 5*s+ms, 1, 1)}, porcupine.Illegal},
		{"a read of a key bound to a lease seen gone", []history.Op{grant("A", 0, ms, 1), keepalive("A", 4*s, 4*s+ms, 1, false),
			put("A", "k", 5*s, history.Forever, 1, 0), get("B", "k", 6*s, 6*s+ms, "A", 1, 1)}, porcupine.Illegal},
		{"a lease a put showed an unanswered grant made is made once", []history.Op{grantLost("A", 0, 0), put("A", "k", s, s+ms, 7, 1),
			keepalive("A", 2*s, 2*s+ms, 7, true), keepalive("A", 6*s, 6*s+ms, 7, false), keepalive("A", 7*s, 7*s+ms, 7, true)}, porcupine.Illegal},
		{"a put with the lease an unanswered grant made", []history.Op{grantLost("A", 0, 0), put("A", "k", s, s+ms, 7, 1),
			keepalive("A", 2*s, 2*s+ms, 7, true)}, porcupine.Ok},
	}
	for _, tt := range tests {
		if got := check(tt.ops); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
