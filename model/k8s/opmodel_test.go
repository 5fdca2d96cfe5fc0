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
		{"two holders both win the same revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("B", 2*s, 3*s, "b", 1, 2, true),
			cas("C", 4*s, 5*s, "c", 1, 3, true),
		}, porcupine.Illegal},
		{"a stale read after a newer one", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("A", 2*s, 3*s, "a2", 1, 2, true),
			get("B", 4*s, 5*s, true, "a", 1),
		}, porcupine.Illegal},
		{"absent after it exists", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			get("B", 2*s, 3*s, false, "", 0),
		}, porcupine.Illegal},
		{"a lost update seen by a later read", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			{Client: "B", Method: etcd.MethodCAS, Key: leaseKey, Value: "b", Expect: 1, Call: 2 * s, Return: history.Forever},
			get("C", 4*s, 5*s, true, "b", 2),
			cas("C", 6*s, 7*s, "c", 2, 3, true),
		}, porcupine.Ok},
		{"the same revision with another value", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			get("B", 2*s, 3*s, true, "x", 1),
		}, porcupine.Illegal},
		{"concurrent updates, one wins", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("B", 2*s, 4*s, "b", 1, 2, true),
			cas("C", 2*s, 4*s, "c", 1, 0, false),
		}, porcupine.Ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ops []porcupine.Operation
			for i, o := range tc.ops {
				ret := o.Return
				if ret == history.Forever {
					ret = 100 * s
				}
				ops = append(ops, porcupine.Operation{ClientId: i, Input: o, Call: o.Call, Output: o, Return: ret})
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
