package etcd

import "strings"

// store is the replicated state machine: the key-value store and the lease table, the
// same on every issuer node that applied the same log prefix. Leases' expiry times are
// not part of it: they live in the raft leader's memory (lessor).
type store struct {
	rev       int64 // the store revision: every change increments it
	nextLease int64
	// leases holds each lease at its id, nil once revoked (and at 0): the store grants
	// ids 1, 2, 3, …, and a slice spares a KeepAlive's lookups a map's hashing. Look
	// leases up with lease, which takes any id.
	leases []*leaseRec
	kv     map[string]*kvRec
	// firsts caches first's answers by prefix; a key created or deleted empties it (a
	// put to an existing key keeps its record and create revision).
	firsts map[string]firstAnswer
}

// firstAnswer is a cached answer of store.first.
type firstAnswer struct {
	key string
	rec *kvRec
}

type leaseRec struct {
	ttl int64
	// remaining is the TTL left at the last checkpoint (0: none since the last
	// KeepAlive, so a new leader counts the full TTL), as etcd's remainingTTL.
	remaining int64
	keys      map[string]bool
	owner     string // the client that asked for it (the grant request's Value)
	// renewal is the answer to a KeepAlive of the lease (see renewed), once there was one.
	renewal *response
}

// renewed returns the answer to a KeepAlive of lease id, whose record l is: one
// response for every such answer, as they are all the same and nobody changes an
// answer (a keys scenario answers some 90,000 KeepAlives a run).
func (l *leaseRec) renewed(id int64) *response {
	if l.renewal == nil {
		l.renewal = &response{Ok: true, Lease: id, TTL: l.ttl}
	}
	return l.renewal
}

type kvRec struct {
	value     string
	lease     int64
	createRev int64
	modRev    int64
}

func newStore() *store {
	return &store{leases: []*leaseRec{nil}, kv: map[string]*kvRec{}}
}

func (s *store) grant(ttl int64, owner string) int64 {
	s.nextLease++
	for int64(len(s.leases)) <= s.nextLease {
		s.leases = append(s.leases, nil)
	}
	s.leases[s.nextLease] = &leaseRec{ttl: ttl, keys: map[string]bool{}, owner: owner}
	return s.nextLease
}

// lease returns lease id, or nil when there is none.
func (s *store) lease(id int64) *leaseRec {
	if id < 1 || id >= int64(len(s.leases)) {
		return nil
	}
	return s.leases[id]
}

// revoke deletes a lease and its keys (one revision, like etcd's revoke transaction).
func (s *store) revoke(id int64) bool {
	l := s.lease(id)
	if l == nil {
		return false
	}
	if len(l.keys) > 0 {
		s.rev++
	}
	for k := range l.keys {
		delete(s.kv, k)
	}
	if len(l.keys) > 0 {
		clear(s.firsts)
	}
	s.leases[id] = nil
	return true
}

// put writes key, bound to lease (0 for none); it fails when the lease does not exist.
func (s *store) put(key, value string, lease int64) (*kvRec, bool) {
	if lease != 0 {
		if s.lease(lease) == nil {
			return nil, false
		}
	}
	s.rev++
	r, ok := s.kv[key]
	if !ok {
		r = &kvRec{createRev: s.rev}
		s.kv[key] = r
		clear(s.firsts)
	}
	if r.lease != 0 && r.lease != lease {
		if l := s.lease(r.lease); l != nil {
			delete(l.keys, key)
		}
	}
	r.value, r.lease, r.modRev = value, lease, s.rev
	if lease != 0 {
		s.leases[lease].keys[key] = true
	}
	return r, true
}

// cas puts key=value, bound to no lease, if the key's mod revision is expect (0: the key
// does not exist).
func (s *store) cas(key, value string, expect int64) (*kvRec, bool) {
	var cur int64
	if r, ok := s.kv[key]; ok {
		cur = r.modRev
	}
	if cur != expect {
		return nil, false
	}
	return s.put(key, value, 0)
}

// first returns the key under prefix with the lowest create revision (etcd's election
// leader), if any. Holders ask it every keepalive period, and it scans every key (1,000
// and more in the keys scenarios), so its answers are cached until a key is created or
// deleted.
func (s *store) first(prefix string) (string, *kvRec) {
	if a, ok := s.firsts[prefix]; ok {
		return a.key, a.rec
	}
	k, r := s.scanFirst(prefix)
	if s.firsts == nil {
		s.firsts = map[string]firstAnswer{}
	}
	s.firsts[prefix] = firstAnswer{key: k, rec: r}
	return k, r
}

// scanFirst is first without the cache.
func (s *store) scanFirst(prefix string) (string, *kvRec) {
	var best string
	var rec *kvRec
	//purity:allow create revisions are unique (one per put that creates a key), so the minimum is one entry in any order
	for k, r := range s.kv {
		if strings.HasPrefix(k, prefix) && (rec == nil || r.createRev < rec.createRev) {
			best, rec = k, r
		}
	}
	return best, rec
}

// applied is what applying one command did, for the proposer's answer.
type applied struct {
	ok        bool
	lease     int64
	ttl       int64
	createRev int64
	rev       int64
}

// apply applies one committed command.
func (s *store) apply(c command) applied {
	switch c.Kind {
	case cmdGrant:
		id := s.grant(c.TTL, c.Value)
		return applied{ok: true, lease: id, ttl: c.TTL, rev: s.rev}
	case cmdRevoke:
		return applied{ok: s.revoke(c.Lease), lease: c.Lease, rev: s.rev}
	case cmdPut:
		r, ok := s.put(c.Key, c.Value, c.Lease)
		if !ok {
			return applied{lease: c.Lease}
		}
		return applied{ok: true, lease: c.Lease, createRev: r.createRev, rev: r.modRev}
	case cmdCAS:
		r, ok := s.cas(c.Key, c.Value, c.Rev)
		if !ok {
			return applied{rev: s.rev}
		}
		return applied{ok: true, createRev: r.createRev, rev: r.modRev}
	case cmdCheckpoint:
		l := s.lease(c.Lease)
		ok := l != nil
		if ok {
			l.remaining = c.TTL
		}
		return applied{ok: ok, lease: c.Lease, ttl: c.TTL}
	}
	return applied{}
}
