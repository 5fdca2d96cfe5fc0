package k8s

import (
	"fmt"
	"maps"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
)

// object is a stored object as the model knows it: its value and mod revision.
type object struct {
	value string
	rev   int64
}

// opState is the sequential specification's state: every object by key. Objects are
// never deleted here.
type opState map[string]object

// step applies one operation. Reads must see the latest object or a newer one (a
// compare-and-swap whose answer was lost, which the model takes in when seen), never
// an older one nor "absent" once it exists; a successful compare-and-swap must have
// found exactly the revision it expected and must create a newer one. A conflict is
// always allowed: an update whose answer was lost may have moved the revision on.
func step(state, input, output interface{}) (bool, interface{}) {
	st := state.(opState)
	op := output.(history.Op)
	if op.Return == history.Forever || op.Err == etcd.ErrNotLeader || !op.Ok {
		// Unanswered, refused by a non-leader, or a conflict: no effect to account for.
		return true, st
	}
	cur, exists := st[op.Key]
	switch op.Method {
	case etcd.MethodGet:
		switch {
		case !op.Found:
			return !exists, st
		case exists && op.Revision == cur.rev:
			return op.OutValue == cur.value, st
		case op.Revision < cur.rev:
			return false, st // a stale read
		}
	case etcd.MethodCAS:
		if cur.rev != op.Expect || op.Revision <= cur.rev {
			return false, st
		}
		return true, with(st, op.Key, object{value: op.Value, rev: op.Revision})
	default:
		return false, st
	}
	return true, with(st, op.Key, object{value: op.OutValue, rev: op.Revision})
}

func with(st opState, key string, o object) opState {
	n := maps.Clone(st)
	n[key] = o
	return n
}

// partition splits a history by key: operations on different objects are independent.
func partition(ops []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[string][]porcupine.Operation{}
	var keys []string
	for _, o := range ops {
		k := o.Output.(history.Op).Key
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], o)
	}
	out := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		out = append(out, byKey[k])
	}
	return out
}

// OpModel returns the porcupine model of the Lease object's API (P3): reads and
// compare-and-swap updates of versioned objects, Kubernetes' optimistic concurrency.
func OpModel() porcupine.Model {
	return porcupine.Model{
		Init:      func() interface{} { return opState{} },
		Partition: partition,
		Step:      step,
		Equal:     func(a, b interface{}) bool { return maps.Equal(a.(opState), b.(opState)) },
		DescribeOperation: func(input, output interface{}) string {
			op := output.(history.Op)
			if op.Method == etcd.MethodCAS {
				return fmt.Sprintf("cas(%s if rev %d) -> ok=%v rev %d %s", op.Value, op.Expect, op.Ok, op.Revision, op.Err)
			}
			return fmt.Sprintf("get() -> found=%v %s rev %d", op.Found, op.OutValue, op.Revision)
		},
	}
}
