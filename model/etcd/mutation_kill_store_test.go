package etcd

import (
	"strings"
	"testing"
)

// The tests of this file kill mutants of store.go, command.go and holder.go's arithmetic
// (scripts/mutation.sh files model/etcd FILE; docs/mutation.md) that the scenario tests
// do not see: the store's revision and lease bookkeeping, step by step, as etcd's mvcc
// store and lessor keep it, and etcd-go's deadline-check grid.

// TestStoreRevisions: every change increments the revision by one; a revoke of a lease
// with no keys, a failed put and a failed compare-and-swap change nothing (etcd's write
// transaction increments the revision only when it changed a key).
func TestStoreRevisions(t *testing.T) {
	s := newStore()
	step := func(what string, wantRev int64) {
		t.Helper()
		if s.rev != wantRev {
			t.Fatalf("after %s: revision %d, want %d", what, s.rev, wantRev)
		}
	}
	a, b := s.grant(5e9, "A"), s.grant(5e9, "B")
	if a != 1 || b != 2 {
		t.Fatalf("lease ids %d, %d; want 1, 2 (etcd's lease ids are positive)", a, b)
	}
	if l := s.leases[a]; l == nil || l.ttl != 5e9 || l.owner != "A" {
		t.Fatalf("lease %d: %+v, want TTL 5s owned by A", a, l)
	}
	step("two grants", 0)
	if r, ok := s.put("election/A", "A", a); !ok || r.createRev != 1 || r.modRev != 1 {
		t.Fatalf("put on lease %d: %+v, %v; want created at revision 1", a, r, ok)
	}
	step("a put", 1)
	if _, ok := s.put("x", "v", 99); ok {
		t.Fatal("a put on a lease that does not exist succeeded")
	}
	step("a put on a missing lease", 1)
	if r, ok := s.put("plain", "v", 0); !ok || r.lease != 0 || r.createRev != 2 {
		t.Fatalf("a put bound to no lease: %+v, %v", r, ok)
	}
	step("a put bound to no lease", 2)
	if r, ok := s.put("election/A", "A2", a); !ok || r.createRev != 1 || r.modRev != 3 || r.value != "A2" {
		t.Fatalf("a second put of a key: %+v, %v; want create revision 1 kept, mod revision 3", r, ok)
	}
	step("a second put", 3)
	if !s.revoke(b) {
		t.Fatal("revoke of an existing lease failed")
	}
	step("a revoke of a lease with no keys", 3)
	if s.revoke(b) {
		t.Fatal("a second revoke of the same lease succeeded")
	}
	s.put("election/A2", "A", a)
	step("a put", 4)
	if !s.revoke(a) {
		t.Fatal("revoke failed")
	}
	step("a revoke of a lease with two keys", 5)
	if _, ok := s.kv["election/A"]; ok {
		t.Fatal("a revoked lease's key survived")
	}
	if _, ok := s.kv["election/A2"]; ok {
		t.Fatal("a revoked lease's key survived")
	}
	if _, ok := s.kv["plain"]; !ok {
		t.Fatal("a key bound to no lease was deleted by a revoke")
	}
}

// TestStoreRebind: a key put again with another lease (a restarted holder's new lease)
// leaves the old lease: revoking the old lease keeps it, revoking the new deletes it.
func TestStoreRebind(t *testing.T) {
	for _, to := range []int64{2, 0} {
		s := newStore()
		old, nw := s.grant(5e9, "A"), s.grant(5e9, "A")
		s.put("election/A", "A", old)
		s.put("election/A", "A", to)
		if s.leases[old].keys["election/A"] {
			t.Errorf("rebound to %d: the old lease still lists the key", to)
		}
		s.revoke(old)
		if _, ok := s.kv["election/A"]; !ok {
			t.Fatalf("rebound to %d: revoking the old lease deleted the key", to)
		}
		s.revoke(nw)
		_, ok := s.kv["election/A"]
		if want := to == 0; ok != want {
			t.Errorf("rebound to %d: key present after revoking the new lease: %v, want %v", to, ok, want)
		}
	}
}

// TestStoreCAS: a compare-and-swap writes only when the key's mod revision is the one
// expected (0: absent), and a failed one changes nothing.
func TestStoreCAS(t *testing.T) {
	s := newStore()
	if _, ok := s.cas("k", "v1", 5); ok {
		t.Fatal("cas expecting revision 5 of an absent key succeeded")
	}
	r, ok := s.cas("k", "v1", 0)
	if !ok || r.modRev != 1 || r.value != "v1" || s.rev != 1 {
		t.Fatalf("cas creating k: %+v, %v, revision %d", r, ok, s.rev)
	}
	if _, ok := s.cas("k", "v2", 0); ok || s.kv["k"].value != "v1" || s.rev != 1 {
		t.Fatalf("cas expecting k absent succeeded or changed the store: value %q, revision %d", s.kv["k"].value, s.rev)
	}
	if r, ok := s.cas("k", "v2", 1); !ok || r.modRev != 2 || r.createRev != 1 {
		t.Fatalf("cas at k's mod revision: %+v, %v", r, ok)
	}
	if a := s.apply(command{Kind: cmdCAS, Key: "k", Value: "v3", Rev: 1}); a.ok || a.rev != 2 {
		t.Fatalf("a stale cas through apply: %+v; want not ok at revision 2", a)
	}
}

// TestStoreFirst: the election's leader is the key with the lowest create revision under
// the prefix, and the cached answer follows creates and deletes.
func TestStoreFirst(t *testing.T) {
	s := newStore()
	if k, r := s.first("election/"); k != "" || r != nil {
		t.Fatalf("first of an empty store: %q", k)
	}
	a, b := s.grant(5e9, "A"), s.grant(5e9, "B")
	s.put("other/Z", "Z", 0)
	s.put("election/B", "B", b)
	s.put("election/A", "A", a)
	if k, _ := s.first("election/"); k != "election/B" {
		t.Fatalf("first = %q, want election/B (lowest create revision)", k)
	}
	s.put("election/B", "B", b) // a put to an existing key keeps its create revision
	if k, _ := s.first("election/"); k != "election/B" {
		t.Fatalf("after B's second put first = %q, want election/B", k)
	}
	s.revoke(b)
	if k, _ := s.first("election/"); k != "election/A" {
		t.Fatalf("after B's lease is revoked first = %q, want election/A", k)
	}
	s.revoke(a)
	if k, r := s.first("election/"); k != "" || r != nil {
		t.Fatalf("after every election key is gone first = %q", k)
	}
	c := s.grant(5e9, "C")
	s.put("election/C", "C", c)
	if k, _ := s.first("election/"); k != "election/C" {
		t.Fatalf("after C's put first = %q, want election/C", k)
	}
}

// TestStoreApply: what applying each command answers the proposer, and a checkpoint's
// remaining TTL recorded on the lease.
func TestStoreApply(t *testing.T) {
	s := newStore()
	g := s.apply(command{Kind: cmdGrant, TTL: 3e9, Value: "A"})
	if !g.ok || g.lease != 1 || g.ttl != 3e9 {
		t.Fatalf("grant: %+v", g)
	}
	if p := s.apply(command{Kind: cmdPut, Key: "election/A", Value: "A", Lease: 1}); !p.ok || p.createRev != 1 || p.rev != 1 || p.lease != 1 {
		t.Fatalf("put: %+v", p)
	}
	if p := s.apply(command{Kind: cmdPut, Key: "k", Lease: 7}); p.ok || p.lease != 7 {
		t.Fatalf("put on a missing lease: %+v", p)
	}
	if c := s.apply(command{Kind: cmdCheckpoint, Lease: 1, TTL: 1e9}); !c.ok || s.leases[1].remaining != 1e9 {
		t.Fatalf("checkpoint: %+v, remaining %d", c, s.leases[1].remaining)
	}
	if c := s.apply(command{Kind: cmdCheckpoint, Lease: 9, TTL: 1e9}); c.ok {
		t.Fatalf("checkpoint of a missing lease: %+v", c)
	}
	if r := s.apply(command{Kind: cmdRevoke, Lease: 1}); !r.ok || r.rev != 2 {
		t.Fatalf("revoke: %+v", r)
	}
	if r := s.apply(command{Kind: cmdRevoke, Lease: 1}); r.ok {
		t.Fatalf("second revoke: %+v", r)
	}
}

// TestCommandLongFields: entries whose key or value is longer than the encoder's initial
// capacity (a Kubernetes lease record) round-trip.
func TestCommandLongFields(t *testing.T) {
	long := strings.Repeat("x", 200)
	for _, c := range []command{
		{Kind: cmdCAS, Origin: 1, Req: 2, Key: "k", Value: long, Rev: 3},
		{Kind: cmdPut, Origin: 1, Req: 2, Key: long, Value: "v", Lease: 3},
	} {
		got, err := decodeCommand(c.encode())
		if err != nil || got != c {
			t.Errorf("decode(encode(%d-byte key, %d-byte value)) = %v", len(c.Key), len(c.Value), err)
		}
	}
}

// TestCheckAfter: etcd-go's deadline checks run once a second from the holder's start
// (not from time 0: a restarted holder's grid is its own), and the first check strictly
// after a deadline is the one that notices it.
func TestCheckAfter(t *testing.T) {
	const ms, s = int64(1e6), int64(1e9)
	for _, c := range []struct{ started, d, want int64 }{
		{0, 0, s},
		{0, 2500 * ms, 3 * s},
		{0, 3 * s, 4 * s}, // a check at exactly the deadline finds it not yet passed
		{300 * ms, 2500 * ms, 3300 * ms},
		{300 * ms, 3300 * ms, 4300 * ms},
		{7700 * ms, 9 * s, 9700 * ms},
	} {
		h := &holder{started: c.started}
		if got := h.checkAfter(c.d); got != c.want {
			t.Errorf("started %v, deadline %v: the first check after it at %v, want %v", c.started, c.d, got, c.want)
		}
	}
}
