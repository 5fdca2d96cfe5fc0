package etcd

import "testing"

// TestStoreLeaseIDs: the store's lease table, a slice by id, finds exactly the leases
// granted and not revoked, and answers any other id, out of range or not, as none.
func TestStoreLeaseIDs(t *testing.T) {
	s := newStore()
	for range 3 {
		s.grant(5e9, "A")
	}
	if !s.revoke(2) {
		t.Fatal("revoke 2 failed")
	}
	for _, tc := range []struct {
		id     int64
		exists bool
	}{{-1, false}, {0, false}, {1, true}, {2, false}, {3, true}, {4, false}, {1 << 40, false}} {
		if got := s.lease(tc.id) != nil; got != tc.exists {
			t.Errorf("lease(%d) exists: %v, want %v", tc.id, got, tc.exists)
		}
		// Lease 0 binds a put to no lease, which always succeeds.
		if _, ok := s.put("k", "v", tc.id); ok != (tc.exists || tc.id == 0) {
			t.Errorf("put bound to lease %d: ok %v, want %v", tc.id, ok, tc.exists)
		}
		if c := s.apply(command{Kind: cmdCheckpoint, Lease: tc.id, TTL: 1e9}); c.ok != tc.exists {
			t.Errorf("checkpoint of lease %d: ok %v, want %v", tc.id, c.ok, tc.exists)
		}
	}
	if s.revoke(2) || s.revoke(-1) || s.revoke(1<<40) {
		t.Error("revoking a lease that does not exist succeeded")
	}
	if id := s.grant(5e9, "B"); id != 4 || s.lease(4) == nil || s.lease(4).owner != "B" {
		t.Errorf("grant after a revoke: id %d, lease %+v", id, s.lease(4))
	}
}
