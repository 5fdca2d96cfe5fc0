package etcd

import (
	"reflect"
	"slices"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// deepCopy copies s's slices, so that a later change to s's shows.
func deepCopy(s opState) opState {
	lost := slices.Clone(s.lostGrants())
	return opState{leases: slices.Clone(s.leases), kv: slices.Clone(s.kv), dead: slices.Clone(s.dead), lost: &lost}
}

// sameState reports whether a and b hold the same leases, keys and dead keys.
func sameState(a, b opState) bool {
	return reflect.DeepEqual(slices.Clip(a.leases), slices.Clip(b.leases)) && reflect.DeepEqual(slices.Clip(a.kv), slices.Clip(b.kv)) &&
		reflect.DeepEqual(slices.Clip(a.dead), slices.Clip(b.dead)) && reflect.DeepEqual(slices.Clip(a.lostGrants()), slices.Clip(b.lostGrants()))
}

// TestStepLeavesItsStateAlone: step shares the slices of the state it starts from and
// copies them only to change them, so no step changes a state porcupine holds. Every
// operation of a history exercising every change (grant, keepalive, put, expiry by a
// failed keepalive or put or a read, revoke, compare-and-swap, lost grants and the leases
// they make) is stepped from every state reached before it; each of those states must be
// as it was.
func TestStepLeavesItsStateAlone(t *testing.T) {
	ms := int64(1e6)
	ops := []history.Op{
		grant("A", 0, ms, 1), grant("B", 0, ms, 2), grant("C", 0, ms, 3),
		put("A", "election/A", 2*ms, 3*ms, 1, 1), put("B", "election/B", 2*ms, 3*ms, 2, 2), put("C", "k", 2*ms, 3*ms, 3, 3),
		put("C", "k2", 2*ms, 3*ms, 3, 4),
		keepalive("A", 4*ms, 5*ms, 1, true), first("B", 6*ms, 7*ms, "election/A", 1, 1), get("B", "k", 6*ms, 7*ms, "C", 3, 3),
		cas("A", "c", "v1", 8*ms, 9*ms, 0, 5, true), cas("A", "c", "v2", 8*ms, 9*ms, 4, 0, false),
		revoke("C", 10*ms, 11*ms, 3),
		keepalive("B", 4*s, 4*s+ms, 2, false), putFailed("A", "election/A", 5*s, 5*s+ms, 1),
		first("B", 6*s, 6*s+ms, "", 0, 0), get("B", "k", 6*s, 6*s+ms, "", 0, 0),
		grant("A", 7*s, 7*s+ms, 4), put("A", "election/A", 7*s, 7*s+ms, 4, 9),
		grantLost("D", 8*s, 0), grantLost("D", 8*s, 6), grantLost("D", 8*s, 0), grantLost("D", 8*s, 0), keepalive("D", 9*s, 9*s+ms, 5, true),
		put("D", "d", 9*s, 9*s+ms, 6, 10), revoke("D", 9*s, 9*s+ms, 6), get("B", "e", 9*s, 9*s+ms, "D", 7, 11),
	}
	outs := make([]interface{}, len(ops))
	for i, o := range ops {
		switch {
		case o.Return == history.Forever:
			outs[i] = lostGrant{op: o}
		case o.Lease == 5:
			outs[i] = freshLease{op: o}
		case o.OutLease == 7:
			outs[i] = withWrites{op: o, writes: []write{{key: "e", value: "D", lease: 7}}, fresh: true}
		default:
			outs[i] = o
		}
	}
	states := []opState{{}}
	boxed := []interface{}{opState{}}
	for i, o := range ops {
		for j := range states {
			before := deepCopy(states[j])
			ok, next := step(boxed[j], o, outs[i])
			if !sameState(states[j], before) {
				t.Fatalf("op %d (%s) stepped from state %d changed it: %+v, was %+v", i, o.Method, j, states[j], before)
			}
			if j == len(states)-1 && ok {
				states = append(states, next.(opState))
				boxed = append(boxed, next)
			}
		}
	}
	if len(states) != len(ops)+1 {
		t.Fatalf("%d of %d operations were legal in order", len(states)-1, len(ops))
	}
}
