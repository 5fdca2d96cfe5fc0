package etcd

import (
	"maps"
	"slices"
	"testing"
)

// TestHolderForget: forget abandons exactly the requests sent a TTL ago or more that are
// still in flight, and a call's last request leaves h.latest with it (answered or
// abandoned); a newer request of the same call stays.
func TestHolderForget(t *testing.T) {
	const ttl = 10
	h := &holder{cfg: &config{ttl: ttl, keepalive: 3}, inflight: map[uint64]pending{}, latest: map[callKey]uint64{}}
	send := func(seq uint64, at int64, lease int64) {
		r := &request{Method: methodKeepAlive, Lease: lease}
		h.inflight[seq] = pending{sent: at, method: r.Method, req: r}
		h.latest[callKey{method: r.Method, lease: lease}] = seq
		h.sent = append(h.sent, sentReq{seq: seq, sent: at})
	}
	send(1, 0, 7)  // lease 7, superseded by 4
	send(2, 2, 8)  // lease 8, answered
	send(3, 5, 9)  // lease 9
	send(4, 6, 7)  // lease 7
	send(5, 12, 9) // lease 9
	h.done(2)
	for _, c := range []struct {
		now      int64
		inflight []uint64
		latest   map[int64]uint64
	}{
		{now: 9, inflight: []uint64{1, 3, 4, 5}, latest: map[int64]uint64{7: 4, 9: 5}},
		{now: 10, inflight: []uint64{3, 4, 5}, latest: map[int64]uint64{7: 4, 9: 5}},
		{now: 15, inflight: []uint64{4, 5}, latest: map[int64]uint64{7: 4, 9: 5}},
		{now: 16, inflight: []uint64{5}, latest: map[int64]uint64{9: 5}},
		{now: 30, inflight: []uint64{}, latest: map[int64]uint64{}},
	} {
		h.forget(c.now)
		got := slices.Sorted(maps.Keys(h.inflight))
		latest := map[int64]uint64{}
		for k, s := range h.latest {
			latest[k.lease] = s
		}
		if !slices.Equal(got, c.inflight) || !maps.Equal(latest, c.latest) {
			t.Errorf("at %d: in flight %v, latest %v; want %v, %v", c.now, got, latest, c.inflight, c.latest)
		}
	}
}
