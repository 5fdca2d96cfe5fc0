package k8s

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
)

const s = int64(time.Second)

func get(c string, call, ret int64, found bool, value string, rev int64) history.Op {
	return history.Op{Client: c, Method: etcd.MethodGet, Key: leaseKey, Call: call, Return: ret, Ok: true, Found: found, OutValue: value, Revision: rev}
}

func cas(c string, call, ret int64, value string, expect, rev int64, ok bool) history.Op {
	o := history.Op{Client: c, Method: etcd.MethodCAS, Key: leaseKey, Call: call, Return: ret, Value: value, Expect: expect, Ok: ok, Revision: rev}
	if !ok {
		o.Err, o.Revision = etcd.ErrConflict, 0
	}
	return o
}

func lost(c string, call int64, value string, expect int64) history.Op {
	return history.Op{Client: c, Method: etcd.MethodCAS, Key: leaseKey, Value: value, Expect: expect, Call: call, Return: history.Forever}
}

// TestOpModel checks the Lease object's model on hand-made histories, one or more per
// rule of step (the rule in the name); each illegal one was checked to pass when its rule
// is removed.
func TestOpModel(t *testing.T) {
	for _, tc := range []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		{"create then renew then read", []history.Op{
			get("A", 0, 1*s, false, "", 0),
			cas("A", 2*s, 3*s, "a1", 0, 1, true),
			cas("A", 4*s, 5*s, "a2", 1, 2, true),
			get("B", 6*s, 7*s, true, "a2", 2),
		}, porcupine.Ok},
		{"rule 1: absent after it exists", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			get("B", 2*s, 3*s, false, "", 0),
		}, porcupine.Illegal},
		{"rule 2: a stale read after a newer one", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("A", 2*s, 3*s, "a2", 1, 2, true),
			get("B", 4*s, 5*s, true, "a", 1),
		}, porcupine.Illegal},
		{"rule 2: the same revision with another value", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			get("B", 2*s, 3*s, true, "x", 1),
		}, porcupine.Illegal},
		{"rule 3: a lost update seen by a later read", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("B", 2*s, "b", 1),
			get("C", 4*s, 5*s, true, "b", 2),
			cas("C", 6*s, 7*s, "c", 2, 3, true),
		}, porcupine.Ok},
		{"rule 3: a value nobody wrote at a newer revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			get("B", 2*s, 3*s, true, "x", 7),
		}, porcupine.Illegal},
		{"rule 3: a value nobody wrote, nothing before", []history.Op{
			get("B", 2*s, 3*s, true, "x", 7),
		}, porcupine.Illegal},
		{"rule 3: a lost update that expected another revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("A", 2*s, 3*s, "a2", 1, 2, true),
			lost("B", 4*s, "b", 1),
			get("C", 6*s, 7*s, true, "b", 3),
		}, porcupine.Illegal},
		{"rule 3: a lost update called after the read returned", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			get("C", 2*s, 3*s, true, "b", 2),
			lost("B", 4*s, "b", 1),
		}, porcupine.Illegal},
		{"rule 3: a lost update takes effect once", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("B", 2*s, "b", 1),
			get("C", 4*s, 5*s, true, "b", 2),
			cas("A", 6*s, 7*s, "a2", 2, 3, true),
			get("C", 8*s, 9*s, true, "b", 4),
		}, porcupine.Illegal},
		{"rule 4: two holders both win the same revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("B", 2*s, 3*s, "b", 1, 2, true),
			cas("C", 4*s, 5*s, "c", 1, 3, true),
		}, porcupine.Illegal},
		{"rule 4: a revision that does not move on", []history.Op{
			cas("A", 0, 1*s, "a", 0, 5, true),
			cas("B", 2*s, 3*s, "b", 5, 5, true),
		}, porcupine.Illegal},
		{"rule 5: concurrent updates, one wins", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("B", 2*s, 4*s, "b", 1, 2, true),
			cas("C", 2*s, 4*s, "c", 1, 0, false),
		}, porcupine.Ok},
		{"rule 5: a conflict whose write a later read shows (a duplicated request)", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("A", 2*s, 3*s, "a2", 1, 0, false),
			get("B", 4*s, 5*s, true, "a2", 2),
		}, porcupine.Illegal},
		{"rule 5: a conflict on the expected revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("B", 2*s, 3*s, "b", 1, 0, false),
		}, porcupine.Illegal},
		{"rule 5: a conflict after the holder's own update was lost", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("A", 2*s, "a2", 1),
			cas("A", 4*s, 5*s, "a3", 1, 0, false),
			get("A", 6*s, 7*s, true, "a2", 2),
			cas("A", 8*s, 9*s, "a4", 2, 3, true),
		}, porcupine.Ok},
		{"rule 5: a conflict after a lost update, then a value nobody wrote", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("A", 2*s, "a2", 1),
			cas("A", 4*s, 5*s, "a3", 1, 0, false),
			get("A", 6*s, 7*s, true, "x", 2),
		}, porcupine.Illegal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ops []porcupine.Operation
			for i, o := range tc.ops {
				ops = append(ops, porcupine.Operation{ClientId: i, Input: o, Call: o.Call, Output: o, Return: o.Return})
			}
			if got := porcupine.CheckOperations(OpModel(), ops); got != (tc.want == porcupine.Ok) {
				t.Errorf("porcupine says linearizable=%v, want %v", got, tc.want)
			}
		})
	}
}

func TestRecordRoundTrip(t *testing.T) {
	r := record{holder: "B", durationNS: 15 * s, acquireWall: 3, renewWall: 9, transitions: 4}
	got, ok := parseRecord(r.encode())
	if !ok || got != r {
		t.Fatalf("parseRecord(%q) = %+v, %v; want %+v", r.encode(), got, ok, r)
	}
	for _, bad := range []string{"", "holder=A", "holder=A duration=x acquire=1 renew=1 transitions=0", "holder=A duration=1 acquire=1 renew=1 transitions=0 extra=1", "nonsense"} {
		if _, ok := parseRecord(bad); ok {
			t.Errorf("parseRecord(%q) accepted a malformed record", bad)
		}
	}
}
