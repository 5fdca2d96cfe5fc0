package etcd

import (
	"maps"
	"slices"
	"testing"
)

// TestHolderForget: forget abandons exactly the requests sent a TTL ago or more that are
// still in flight, keeps h.latest's entry of every call whose last request is in flight,
// and sweeps h.latest of the others once it has doubled.
func TestHolderForget(t *testing.T) {
	const ttl = 10
	h := &holder{cfg: &config{ttl: ttl, keepalive: 3}, inflight: map[uint64]pending{},
		latest: map[callKey]uint64{}, latestKept: minLatestSweep}
	send := func(seq uint64, at int64, lease int64) {
		r := &request{Method: methodKeepAlive, Lease: lease}
		h.inflight[seq] = pending{sent: at, method: r.Method, req: r}
		h.latest[callKey{method: r.Method, lease: lease}] = seq
		h.sent = append(h.sent, sentReq{seq: seq, sent: at})
	}
	send(1, 0, 7)  // lease 7, superseded by 4
	send(2, 2, 8)  // lease 8, answered
	send(3, 5, 9)  // lease 9, superseded by 5
	send(4, 6, 7)  // lease 7
	send(5, 12, 9) // lease 9
	delete(h.inflight, 2)
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
		got := slices.Sorted(maps.Keys(h.inflight))
		if !slices.Equal(got, c.inflight) {
			t.Errorf("at %d: in flight %v, want %v", c.now, got, c.inflight)
		}
		for _, s := range got {
			p := h.inflight[s]
			last, ok := h.latest[callKey{method: p.method, lease: p.req.Lease}]
			if s != 1 && s != 3 && (!ok || last != s) {
				t.Errorf("at %d: request %d, its call's last, has left h.latest", c.now, s)
			}
		}
	}
	// Many calls, all answered: the sweep keeps h.latest from growing with them.
	for i := range 3 * minLatestSweep {
		send(uint64(100+i), 40, int64(1000+i))
		delete(h.inflight, uint64(100+i))
		h.forget(41)
	}
	if len(h.latest) >= 2*minLatestSweep {
		t.Errorf("h.latest holds %d calls, none in flight: not swept", len(h.latest))
	}
}
