package etcd

import "strings"

// store is the issuer's key-value store and lease table: what etcd keeps on disk. Leases'
// expiry times are not part of it (they live in the issuer's memory).
type store struct {
	rev       int64 // the store revision: every change increments it
	nextLease int64
	leases    map[int64]*leaseRec
	kv        map[string]*kvRec
}

type leaseRec struct {
	ttl  int64
	keys map[string]bool
}

type kvRec struct {
	value     string
	lease     int64
	createRev int64
	modRev    int64
}

func newStore() *store {
	return &store{leases: map[int64]*leaseRec{}, kv: map[string]*kvRec{}}
}

func (s *store) grant(ttl int64) int64 {
	s.nextLease++
	s.leases[s.nextLease] = &leaseRec{ttl: ttl, keys: map[string]bool{}}
	return s.nextLease
}

// revoke deletes a lease and its keys (one revision, like etcd's revoke transaction).
func (s *store) revoke(id int64) bool {
	l, ok := s.leases[id]
	if !ok {
		return false
	}
	if len(l.keys) > 0 {
		s.rev++
	}
	for k := range l.keys {
		delete(s.kv, k)
	}
	delete(s.leases, id)
	return true
}

// put writes key, bound to lease (0 for none); it fails when the lease does not exist.
func (s *store) put(key, value string, lease int64) (*kvRec, bool) {
	if lease != 0 {
		if _, ok := s.leases[lease]; !ok {
			return nil, false
		}
	}
	s.rev++
	r, ok := s.kv[key]
	if !ok {
		r = &kvRec{createRev: s.rev}
		s.kv[key] = r
	}
	if r.lease != 0 && r.lease != lease {
		if l, ok := s.leases[r.lease]; ok {
			delete(l.keys, key)
		}
	}
	r.value, r.lease, r.modRev = value, lease, s.rev
	if lease != 0 {
		s.leases[lease].keys[key] = true
	}
	return r, true
}

// first returns the key under prefix with the lowest create revision (etcd's election
// leader), if any.
func (s *store) first(prefix string) (string, *kvRec) {
	var best string
	var rec *kvRec
	for k, r := range s.kv {
		if strings.HasPrefix(k, prefix) && (rec == nil || r.createRev < rec.createRev) {
			best, rec = k, r
		}
	}
	return best, rec
}
