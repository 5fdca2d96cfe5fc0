package etcd

import (
	"fmt"
	"testing"

	"github.com/leasesim/leasesim/sim"
)

// Tests that kill the surviving mutants of the holder's call window and slots
// (holdercalls.go), of the lessor's lease table (leasetimes.go) and of the message
// types (messages.go); see docs/mutation.md,
// "model/etcd call window, slabs and one-node reads".

// TestCallWindowFullRingFindsOnlyItsOwn: when the window fills its ring exactly, the
// slot after its last request is its first one; a sequence number one past the last
// must still find nothing (a response to a request of a holder's earlier life, or a
// duplicate, must not be taken for the oldest request in flight), nor may one before the
// first, at every position of the ring's head.
func TestCallWindowFullRingFindsOnlyItsOwn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dropped int // requests forgotten before the ring is filled, moving its head
	}{
		{"head at 0", 0},
		{"head at 1", 1},
		{"head in the middle", 37},
		{"head at the last slot", 63},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w callWindow
			seq := uint64(500)
			for range 64 { // the first ring: 64 slots
				w.add(seq, pending{sent: int64(seq)})
				seq++
			}
			w.forget(int64(500 + tc.dropped - 1))
			for w.n < len(w.ring) {
				w.add(seq, pending{sent: int64(seq)})
				seq++
			}
			if len(w.ring) != 64 {
				t.Fatalf("the ring grew to %d slots; the test wants it full at 64", len(w.ring))
			}
			first := uint64(500 + tc.dropped)
			if w.base != first || seq != first+64 {
				t.Fatalf("window [%d, %d), want [%d, %d)", w.base, seq, first, first+64)
			}
			for _, s := range []uint64{first - 1, seq, seq + 1} {
				if p := w.get(s); p != nil {
					t.Errorf("request %d, outside the full window [%d, %d), found: the request sent at %d", s, first, seq, p.sent)
				}
			}
			for s := first; s < seq; s++ {
				if p := w.get(s); p == nil || p.sent != int64(s) {
					t.Errorf("request %d of the full window: got %v", s, p)
				}
			}
		})
	}
}

// TestLeaseTimesAtTheirLength: an id equal to the table's length (one past its last
// slot: a lease a node never learnt of, revoked or looked up) is nobody's, for get and
// for del, which must neither panic nor touch another id.
func TestLeaseTimesAtTheirLength(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  []int64 // ids set, in order (each at time 10*id)
	}{
		{"one lease", []int64{1}},       // 2 slots
		{"grown twice", []int64{1, 3}},  // 4 slots
		{"grown to fit", []int64{2, 9}}, // 10 slots
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lt leaseTimes
			for _, id := range tc.set {
				lt.set(id, 10*id)
			}
			edge := int64(len(lt.at))
			if _, ok := lt.get(edge); ok {
				t.Errorf("get(%d), the table's length, found a time", edge)
			}
			lt.del(edge)
			for _, id := range tc.set {
				if at, ok := lt.get(id); !ok || at != 10*id {
					t.Errorf("after del(%d): get(%d) = %d, %v; want %d, true", edge, id, at, ok, 10*id)
				}
			}
			n := 0
			for range lt.all() {
				n++
			}
			if n != len(tc.set) {
				t.Errorf("after del(%d): all yields %d ids, want %d", edge, n, len(tc.set))
			}
		})
	}
}

// TestLeaseTimesDeleteEveryId: deleting any one id, the store's first (1) included,
// removes its time and no other; a revoked lease left in the lessor's table would be
// revoked again at its expiry, and checkpointed, though the store no longer has it.
func TestLeaseTimesDeleteEveryId(t *testing.T) {
	const n = 5
	for del := int64(1); del <= n; del++ {
		var lt leaseTimes
		for id := int64(1); id <= n; id++ {
			lt.set(id, 100+id)
		}
		lt.del(del)
		for id := int64(1); id <= n; id++ {
			at, ok := lt.get(id)
			if id == del && ok {
				t.Errorf("del(%d): get(%d) still finds %d", del, id, at)
			}
			if id != del && (!ok || at != 100+id) {
				t.Errorf("del(%d): get(%d) = %d, %v; want %d, true", del, id, at, ok, 100+id)
			}
		}
		for id := range lt.all() {
			if id == del {
				t.Errorf("del(%d): all still yields it", del)
			}
		}
	}
}

// TestMessageTypesInTheirRange: the protocol's message types are distinct, at least
// sim.MsgUser (the kernel reserves the values below it) and below MsgFree (where a
// client protocol on the service, model/k8s, starts its own), and each is named in
// transcripts, by MsgName and by ServiceMsgName alike.
func TestMessageTypesInTheirRange(t *testing.T) {
	types := []sim.MsgType{msgRequest, msgResponse, msgTick, msgWriteTick, msgExpireTick,
		msgRaft, msgRaftTick, msgCheckpointTick, msgServe}
	seen := map[sim.MsgType]bool{}
	for _, m := range types {
		if m < sim.MsgUser || m >= MsgFree {
			t.Errorf("message type %d outside [sim.MsgUser %d, MsgFree %d)", m, sim.MsgUser, MsgFree)
		}
		if seen[m] {
			t.Errorf("message type %d used twice", m)
		}
		seen[m] = true
		name := MsgName(m)
		if name == fmt.Sprintf("msg%d", m) || ServiceMsgName(m) != name {
			t.Errorf("message type %d named %q by MsgName, %q by ServiceMsgName", m, name, ServiceMsgName(m))
		}
	}
}
