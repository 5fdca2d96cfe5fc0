package k8s

import (
	"testing"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
)

// TestOpModelLostObject: rule 3 once a conflict has shown that an unanswered update may
// have moved the object (the object is "lost"): a read at a newer revision may show any
// unanswered update that expected the last known revision or a later one (it may have
// followed another lost update), never one that expected an earlier revision, which no
// service could have applied; and rule 4 then: an update succeeds only on a revision
// later than the last known one. (docs/mutation.md: `w.expect > cur.rev` negated,
// `op.Expect <= cur.rev` and
// `op.Revision <= op.Expect` made `<` or negated.)
func TestOpModelLostObject(t *testing.T) {
	for _, tc := range []struct {
		name string
		ops  []history.Op
		want bool
	}{
		{"a read shows a lost update that expected a later revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("B", 2*s, "b", 1),
			cas("A", 4*s, 5*s, "a2", 1, 0, false), // conflict: B's update may have landed (rev 2)
			lost("C", 6*s, "c", 2),
			get("D", 8*s, 9*s, true, "c", 3),
		}, true},
		{"a read shows a lost update that expected an earlier revision", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			cas("A", 2*s, 3*s, "a2", 1, 2, true),
			lost("B", 4*s, "b", 1), // expects 1: the object is at 2 already
			lost("A", 4*s, "a3", 2),
			cas("A", 6*s, 7*s, "a4", 2, 0, false), // conflict: A's own a3 may have landed
			get("D", 8*s, 9*s, true, "b", 4),
		}, false},
		{"an update succeeds on the revision a lost update made", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("B", 2*s, "b", 1),
			cas("C", 4*s, 5*s, "c", 1, 0, false), // conflict: B's update landed (rev 2)
			cas("D", 6*s, 7*s, "d", 2, 3, true),
		}, true},
		{"an update succeeds on the revision a conflict showed was gone", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("B", 2*s, "b", 1),
			cas("C", 4*s, 5*s, "c", 1, 0, false), // conflict: the object is past rev 1
			cas("D", 6*s, 7*s, "d", 1, 2, true),
		}, false},
		{"an update after a conflict whose revision does not move on", []history.Op{
			cas("A", 0, 1*s, "a", 0, 1, true),
			lost("B", 2*s, "b", 1),
			cas("C", 4*s, 5*s, "c", 1, 0, false),
			cas("D", 6*s, 7*s, "d", 2, 2, true),
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ops []porcupine.Operation
			for i, o := range tc.ops {
				ops = append(ops, porcupine.Operation{ClientId: i, Input: o, Call: o.Call, Output: o, Return: o.Return})
			}
			if got := porcupine.CheckOperations(OpModel(), ops); got != tc.want {
				t.Errorf("porcupine says linearizable=%v, want %v", got, tc.want)
			}
		})
	}
}

// TestOpModelWriteCalledAsTheReadReturns: an unanswered update called at the very
// instant a read returned (the elector sends its update in the same step that takes the
// read's answer) is not concurrent with that read, which cannot show it (partition's
// `p.Call < o.Return`).
func TestOpModelWriteCalledAsTheReadReturns(t *testing.T) {
	hist := []history.Op{
		cas("A", 0, 1*s, "a", 0, 1, true),
		get("C", 2*s, 3*s, true, "b", 2),
		lost("B", 3*s, "b", 1),
	}
	var ops []porcupine.Operation
	for i, o := range hist {
		ops = append(ops, porcupine.Operation{ClientId: i, Input: o, Call: o.Call, Output: o, Return: o.Return})
	}
	if porcupine.CheckOperations(OpModel(), ops) {
		t.Error("a read showed an update called at the instant it returned, and porcupine says linearizable")
	}
}

// TestOpModelDescribe: how a P3 finding writes a compare-and-swap, a read and an
// operation of an unknown method.
func TestOpModelDescribe(t *testing.T) {
	m := OpModel()
	c := cas("A", 0, 1*s, "a", 3, 4, true)
	g := get("B", 0, 1*s, true, "a", 4)
	refused := history.Op{Method: etcd.MethodGet, Key: leaseKey, Err: etcd.ErrNotLeader}
	for _, tc := range []struct {
		op   history.Op
		want string
	}{
		{c, "cas(a if rev 3) -> ok=true rev 4 "},
		{g, "get() -> found=true a rev 4"},
		{refused, "get() -> found=false  rev 0"},
		// A method the model does not know is named as given, not written as a read.
		{history.Op{Method: "delete", Key: leaseKey, Ok: true}, `unknown method "delete"(key "` + leaseKey + `") -> ok=true`},
	} {
		if got := m.DescribeOperation(tc.op, tc.op); got != tc.want {
			t.Errorf("DescribeOperation(%+v) = %q, want %q", tc.op, got, tc.want)
		}
	}
}
