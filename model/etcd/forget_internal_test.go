package etcd

import (
	"slices"
	"testing"

	"github.com/leasesim/leasesim/sim"
)

// inFlight returns the sequence numbers of the requests in w still in flight.
func inFlight(w *callWindow) []uint64 {
	out := []uint64{}
	for i := range w.n {
		if s := w.base + uint64(i); w.get(s) != nil {
			out = append(out, s)
		}
	}
	return out
}

// TestHolderForget: forget abandons exactly the requests sent a TTL ago or more that are
// still in flight, and an answered request is no longer in flight; the call slots keep
// the last request of every call whose request is in flight, and reuse the entries of the
// others, so they do not grow with calls answered.
func TestHolderForget(t *testing.T) {
	const ttl = 10
	h := &holder{cfg: &config{ttl: ttl, keepalive: 3}}
	h.calls.init(0, 0)
	send := func(seq uint64, at int64, lease int64) {
		r := &request{Method: methodKeepAlive, Lease: lease}
		h.sent.add(seq, pending{sent: at, method: r.Method, req: r})
		h.calls.set(callEntry{method: r.Method, lease: lease, seq: seq}, 0, 0, &h.sent)
	}
	send(1, 0, 7)  // lease 7, superseded by 4
	send(2, 2, 8)  // lease 8, answered
	send(3, 5, 9)  // lease 9, superseded by 5
	send(4, 6, 7)  // lease 7
	send(5, 12, 9) // lease 9
	h.sent.get(2).in = false
	for _, c := range []struct {
		now      int64
		inflight []uint64
	}{
		{now: 9, inflight: []uint64{1, 3, 4, 5}},
		{now: 10, inflight: []uint64{3, 4, 5}},
		{now: 15, inflight: []uint64{4, 5}},
		{now: 16, inflight: []uint64{5}},
		{now: 30, inflight: []uint64{}},
	} {
		h.forget(c.now)
		got := inFlight(&h.sent)
		if !slices.Equal(got, c.inflight) {
			t.Errorf("at %d: in flight %v, want %v", c.now, got, c.inflight)
		}
		for _, s := range got {
			p := h.sent.get(s)
			last, ok := h.calls.latest(callEntry{method: p.method, lease: p.req.Lease}, 0, 0)
			if s != 1 && s != 3 && (!ok || last != s) {
				t.Errorf("at %d: request %d, its call's last, is not its call's entry (%d, %v)", c.now, s, last, ok)
			}
		}
	}
	// Many calls, all answered: their entries are reused.
	for i := range 1000 {
		seq := uint64(100 + i)
		send(seq, 40, int64(1000+i))
		h.sent.get(seq).in = false
		h.forget(41)
	}
	if n := len(h.calls.slots[slotKeepAlive]); n > 3 { // the three leases above
		t.Errorf("the KeepAlive slot holds %d calls, none in flight: entries not reused", n)
	}
}

// TestCallSlotsKeepCallsApart: calls differing in method, lease, key or issuer node,
// or of different key leases, have their own last requests.
func TestCallSlotsKeepCallsApart(t *testing.T) {
	var c callSlots
	var w callWindow
	c.init(2, 3)
	type call struct {
		e         callEntry
		bulk, key int
	}
	calls := []call{
		{callEntry{method: methodKeepAlive, lease: 1, to: 0}, 0, 0},
		{callEntry{method: methodKeepAlive, lease: 1, to: 1}, 0, 0},
		{callEntry{method: methodKeepAlive, lease: 2, to: 0}, 0, 0},
		{callEntry{method: methodPut, key: "election/A", lease: 1}, 0, 0},
		{callEntry{method: methodFirst, key: "election/"}, 0, 0},
		{callEntry{method: methodGet, key: "a"}, 0, 0},
		{callEntry{method: methodGet, key: "b"}, 0, 0},
		{callEntry{method: methodGrant}, 0, 0},
		{callEntry{method: methodGrant}, 1, 0},
		{callEntry{method: methodGrant}, 2, 0},
		{callEntry{method: methodKeepAlive, lease: 5}, 1, 0},
		{callEntry{method: methodPut, key: "k0", lease: 5}, 1, 0},
		{callEntry{method: methodPut, key: "k1", lease: 5}, 1, 1},
		{callEntry{method: methodPut, key: "k2", lease: 6}, 2, 2},
	}
	for i, cl := range calls {
		seq := uint64(10 + i)
		w.add(seq, pending{sent: 1, req: &request{}})
		cl.e.seq = seq
		c.set(cl.e, cl.bulk, cl.key, &w)
	}
	for i, cl := range calls {
		if got, ok := c.latest(cl.e, cl.bulk, cl.key); !ok || got != uint64(10+i) {
			t.Errorf("call %d %+v (bulk %d, key %d): last request %d, %v; want %d", i, cl.e, cl.bulk, cl.key, got, ok, 10+i)
		}
	}
	if _, ok := c.latest(callEntry{method: methodKeepAlive, lease: 1, to: sim.NodeID(2)}, 0, 0); ok {
		t.Errorf("a call to another issuer node found a last request")
	}
}

// TestCallWindowRing: the window finds every request it holds by sequence number, and
// none other, as it grows and wraps around.
func TestCallWindowRing(t *testing.T) {
	var w callWindow
	next, front := uint64(1000), uint64(1000)
	add := func(k int) {
		for range k {
			w.add(next, pending{sent: int64(next)})
			next++
		}
	}
	check := func(when string) {
		for s := front - 2; s < next+2; s++ {
			p := w.get(s)
			switch {
			case s < front || s >= next:
				if p != nil {
					t.Errorf("%s: request %d found, not in the window [%d, %d)", when, s, front, next)
				}
			case p == nil || p.sent != int64(s):
				t.Errorf("%s: request %d: got %v", when, s, p)
			}
		}
	}
	add(100)
	check("grown once")
	w.forget(1049)
	front = 1050
	check("front dropped")
	add(300) // wraps, and grows while wrapped
	check("wrapped and grown")
	w.forget(1300)
	front = 1301
	add(50)
	check("wrapped again")
}
