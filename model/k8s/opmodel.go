package k8s

import (
	"fmt"
	"maps"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
)

// object is a stored object as the model knows it: its value and mod revision. lost
// says that an update whose answer never came may have replaced it since (a conflict
// showed the revision moved, and no answer has shown the new one yet): the object then
// exists at a revision above rev, with a value only a later read tells.
type object struct {
	value string
	rev   int64
	lost  bool
}

// opState is the sequential specification's state: every object by key. Objects are
// never deleted here.
type opState map[string]object

// write is an update whose answer never came: it may have taken effect, once, at any
// time after its call.
type write struct {
	value  string
	expect int64
}

// withWrites is an answered operation as partition hands it to porcupine (as Output;
// Input stays the history.Op): with the unanswered updates of its key called before it
// returned, the only writes it may show besides those answered.
type withWrites struct {
	op     history.Op
	writes []write
}

// opOf returns the operation and the unanswered writes it may show from a porcupine
// Output (a withWrites, or a bare history.Op with none).
func opOf(output interface{}) (history.Op, []write) {
	if w, ok := output.(withWrites); ok {
		return w.op, w.writes
	}
	return output.(history.Op), nil
}

// step applies one operation to the state. The rules, each tested on a hand-made
// history in opmodel_test.go:
//
//  1. A read that finds nothing: the object was never written.
//  2. A read at the object's revision shows its value; one at an older revision is stale.
//  3. A read at a newer revision shows an update whose answer never came, called before
//     the read returned, that expected the current revision (or, when a conflict showed
//     the object moved, any later one): nothing else writes, so a value or a revision
//     nobody wrote is rejected.
//  4. A successful compare-and-swap found the revision it expected and made a newer one.
//  5. A conflict found another revision: the object's is not the one expected, or an
//     update whose answer never came may have moved it (then the object is lost until a
//     read shows it). A conflict has no effect: the service executes each request at
//     most once (the transport never duplicates a client request), so a "failed" write
//     that a later read shows is a violation.
func step(state, input, output interface{}) (bool, interface{}) {
	st := state.(opState)
	op, writes := opOf(output)
	if op.Return == history.Forever || op.Err == etcd.ErrNotLeader {
		// Unanswered (partition keeps those out; its write is in the later answers'
		// writes) or refused by a non-leader: no effect to account for.
		return true, st
	}
	cur, exists := st[op.Key]
	switch op.Method {
	case etcd.MethodGet:
		if !op.Ok {
			return true, st
		}
		switch {
		case !op.Found:
			return !exists, st // rule 1
		case !cur.lost && exists && op.Revision == cur.rev:
			return op.OutValue == cur.value, st // rule 2
		case op.Revision < cur.rev || (cur.lost && op.Revision == cur.rev):
			return false, st // rule 2: a stale read
		}
		// Rule 3: a newer revision, written by an update whose answer never came.
		for _, w := range writes {
			if w.value == op.OutValue && (w.expect == cur.rev || (cur.lost && w.expect > cur.rev)) {
				return true, with(st, op.Key, object{value: op.OutValue, rev: op.Revision})
			}
		}
		return false, st
	case etcd.MethodCAS:
		if op.Ok { // rule 4
			if cur.lost {
				if op.Expect <= cur.rev || op.Revision <= op.Expect {
					return false, st
				}
			} else if cur.rev != op.Expect || op.Revision <= cur.rev {
				return false, st
			}
			return true, with(st, op.Key, object{value: op.Value, rev: op.Revision})
		}
		if op.Err != etcd.ErrConflict || cur.lost || cur.rev != op.Expect {
			return true, st // rule 5: another revision (or another error: no effect)
		}
		for _, w := range writes {
			if w.expect == cur.rev {
				cur.lost = true
				return true, with(st, op.Key, cur)
			}
		}
		return false, st // rule 5: the object had the expected revision
	}
	return false, st
}

func with(st opState, key string, o object) opState {
	n := maps.Clone(st)
	n[key] = o
	return n
}

// partition splits a history by key (operations on different objects are independent)
// and takes the unanswered updates out of porcupine's search: each answered operation
// carries the unanswered updates of its key called before it returned (withWrites),
// which step lets it show. An unanswered update that takes effect does so between its
// call and the first answer that shows it, so placing it just before that answer is a
// linearization (up to the answer's place among operations that returned before the
// update was called, which this does not check); one that never shows had no effect that
// matters. Searching every place for every unanswered update instead is exponential when
// a partition leaves many of them.
func partition(ops []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[string][]porcupine.Operation{}
	pending := map[string][]porcupine.Operation{}
	var keys []string
	for _, o := range ops {
		op := o.Input.(history.Op)
		if _, ok := byKey[op.Key]; !ok {
			keys = append(keys, op.Key)
			byKey[op.Key] = []porcupine.Operation{}
		}
		if o.Return == history.Forever {
			if op.Method == etcd.MethodCAS {
				pending[op.Key] = append(pending[op.Key], o)
			}
			continue
		}
		byKey[op.Key] = append(byKey[op.Key], o)
	}
	out := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		part := byKey[k]
		for i, o := range part {
			var ws []write
			for _, p := range pending[k] {
				if p.Call < o.Return {
					in := p.Input.(history.Op)
					ws = append(ws, write{value: in.Value, expect: in.Expect})
				}
			}
			part[i].Output = withWrites{op: o.Input.(history.Op), writes: ws}
		}
		if len(part) > 0 {
			out = append(out, part)
		}
	}
	return out
}

// OpModel returns the porcupine model of the Lease object's API (P3): reads and
// compare-and-swap updates of versioned objects, Kubernetes' optimistic concurrency. It
// checks what was read and written (step's rules): a read shows the latest write or one
// whose answer never came, never a value or a revision nobody wrote, and a conflict
// wrote nothing.
func OpModel() porcupine.Model {
	return porcupine.Model{
		Init:      func() interface{} { return opState{} },
		Partition: partition,
		Step:      step,
		Equal:     func(a, b interface{}) bool { return maps.Equal(a.(opState), b.(opState)) },
		DescribeOperation: func(input, output interface{}) string {
			op, _ := opOf(output)
			switch op.Method {
			case etcd.MethodCAS:
				return fmt.Sprintf("cas(%s if rev %d) -> ok=%v rev %d %s", op.Value, op.Expect, op.Ok, op.Revision, op.Err)
			case etcd.MethodGet:
				return fmt.Sprintf("get() -> found=%v %s rev %d", op.Found, op.OutValue, op.Revision)
			}
			return etcd.DescribeUnknown(op)
		},
	}
}
