package etcd

import (
	"cmp"
	"slices"
)

// The accessors of opState's sorted slices. Those that change a slice copy it first
// unless the state owns it already (own), so that the state step starts from, whose
// slices the new one shares, never changes.

// The slices of an opState, as bits of a stepState's owned.
const (
	ownLeases uint8 = 1 << iota
	ownKV
	ownDead
	ownLost
)

// own gives s its own copy of the slice of bit, unless it has one.
func (s *stepState) own(bit uint8) {
	if s.owned&bit != 0 {
		return
	}
	s.owned |= bit
	switch bit {
	case ownLeases:
		s.leases = slices.Clone(s.leases)
	case ownKV:
		s.kv = slices.Clone(s.kv)
	case ownDead:
		s.dead = slices.Clone(s.dead)
	case ownLost:
		l := slices.Clone(s.lostGrants())
		s.lost = &l
	}
}

// lease returns live lease id.
func (s *opState) lease(id int64) (opLease, bool) {
	i, ok := slices.BinarySearchFunc(s.leases, id, func(e leaseEntry, id int64) int { return cmp.Compare(e.id, id) })
	if !ok {
		return opLease{}, false
	}
	return s.leases[i].opLease, true
}

// setLease adds or replaces lease id.
func (s *stepState) setLease(id int64, l opLease) {
	i, ok := slices.BinarySearchFunc(s.leases, id, func(e leaseEntry, id int64) int { return cmp.Compare(e.id, id) })
	s.own(ownLeases)
	if ok {
		s.leases[i].opLease = l
		return
	}
	s.leases = slices.Insert(s.leases, i, leaseEntry{id: id, opLease: l})
}

// deleteLease removes lease id, if live.
func (s *stepState) deleteLease(id int64) {
	i, ok := slices.BinarySearchFunc(s.leases, id, func(e leaseEntry, id int64) int { return cmp.Compare(e.id, id) })
	if ok {
		s.own(ownLeases)
		s.leases = slices.Delete(s.leases, i, i+1)
	}
}

// get returns live key k.
func (s *opState) get(k string) (opEntry, bool) {
	i, ok := slices.BinarySearchFunc(s.kv, k, func(e opEntry, k string) int { return cmp.Compare(e.key, k) })
	if !ok {
		return opEntry{}, false
	}
	return s.kv[i], true
}

// put adds or replaces the live key e.key.
func (s *stepState) put(e opEntry) {
	i, ok := slices.BinarySearchFunc(s.kv, e.key, func(e opEntry, k string) int { return cmp.Compare(e.key, k) })
	s.own(ownKV)
	if ok {
		s.kv[i] = e
		return
	}
	s.kv = slices.Insert(s.kv, i, e)
}

// compareKeys orders key incarnations by key, lease, then create revision.
func compareKeys(a, b opKey) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	if c := cmp.Compare(a.lease, b.lease); c != 0 {
		return c
	}
	return cmp.Compare(a.createRev, b.createRev)
}

// isDead reports whether incarnation k was deleted with its lease.
func (s *opState) isDead(k opKey) bool {
	_, ok := slices.BinarySearchFunc(s.dead, k, compareKeys)
	return ok
}

// addDead remembers incarnation k as deleted.
func (s *stepState) addDead(k opKey) {
	i, ok := slices.BinarySearchFunc(s.dead, k, compareKeys)
	if !ok {
		s.own(ownDead)
		s.dead = slices.Insert(s.dead, i, k)
	}
}

// compareLost orders lost Grants by the id asked for, call, then TTL.
func compareLost(a, b lostEntry) int {
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := cmp.Compare(a.call, b.call); c != 0 {
		return c
	}
	return cmp.Compare(a.ttl, b.ttl)
}

// lostGrants returns the lost Grants (s.lost, or none).
func (s *opState) lostGrants() []lostEntry {
	if s.lost == nil {
		return nil
	}
	return *s.lost
}

// addLost adds a lost Grant (two alike are two entries).
func (s *stepState) addLost(e lostEntry) {
	i, _ := slices.BinarySearchFunc(s.lostGrants(), e, compareLost)
	s.own(ownLost)
	*s.lost = slices.Insert(*s.lost, i, e)
}

// lostFor returns the index of the earliest called lost Grant that asked for lease id (0:
// for none).
func (s *opState) lostFor(id int64) (int, bool) {
	l := s.lostGrants()
	i, _ := slices.BinarySearchFunc(l, id, func(e lostEntry, id int64) int { return cmp.Compare(e.id, id) })
	return i, i < len(l) && l[i].id == id
}

// useLost removes the lost Grant at index i.
func (s *stepState) useLost(i int) {
	s.own(ownLost)
	*s.lost = slices.Delete(*s.lost, i, i+1)
}
