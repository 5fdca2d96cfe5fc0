package etcd

import (
	"fmt"
	"maps"
	"strings"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// expirySlack is the fraction of a TTL the clocks' drift may take off a lease in the
// model: a lease refreshed by a call at c may be gone for an operation that returned at
// or after c + TTL·(1 - expirySlack), never before.
const expirySlack = 0.01

// opState is the sequential specification's state: the live leases (with the call time
// of the latest refresh the model knows of), the keys, and the key incarnations that have
// been deleted with their lease (which must never be seen again, and which a new
// incarnation of the same key must follow in create revision).
type opState struct {
	leases map[int64]opLease
	kv     map[string]opKey
	dead   map[opKey]bool
}

type opLease struct {
	ttl       int64 // 0: unknown (learned from a read, not from its grant)
	refreshed int64 // call time of the latest grant or keepalive seen to succeed
}

type opKey struct {
	key       string
	lease     int64
	createRev int64
}

func (s opState) clone() opState {
	return opState{leases: maps.Clone(s.leases), kv: maps.Clone(s.kv), dead: maps.Clone(s.dead)}
}

// expirable reports whether lease id may have expired before an operation returning at
// ret linearized.
func (s opState) expirable(id int64, ret int64) bool {
	l, ok := s.leases[id]
	if !ok {
		return true
	}
	if l.ttl == 0 {
		return true
	}
	return ret >= l.refreshed+l.ttl-int64(float64(l.ttl)*expirySlack)
}

// expire removes a lease and its keys, remembering the keys as dead.
func (s *opState) expire(id int64) {
	delete(s.leases, id)
	for k, v := range s.kv {
		if v.lease == id {
			delete(s.kv, k)
			s.dead[v] = true
		}
	}
}

// observe reconciles a key seen in a read (found, with its create revision and lease):
// a dead key may not reappear; a key the model does not know was put by a request whose
// answer was lost, and is accepted.
func (s *opState) observe(key string, lease, createRev int64) bool {
	k := opKey{key: key, lease: lease, createRev: createRev}
	if s.dead[k] {
		return false
	}
	if cur, ok := s.kv[key]; ok {
		if cur.createRev == createRev {
			return true
		}
		// A different incarnation of the key: the old one must have gone with its lease.
		return false
	}
	if !s.newer(key, createRev) {
		return false
	}
	s.kv[key] = k
	if _, ok := s.leases[lease]; !ok && lease != 0 {
		s.leases[lease] = opLease{}
	}
	return true
}

// newer reports whether createRev is above that of every deleted incarnation of key: a
// key created again gets a newer revision. (Across keys the model cannot tell: a put whose
// answer was lost may have created a key at any earlier revision.)
func (s *opState) newer(key string, createRev int64) bool {
	for d := range s.dead {
		if d.key == key && d.createRev >= createRev {
			return false
		}
	}
	return true
}

func step(state, input, output interface{}) (bool, interface{}) {
	st := state.(opState)
	op := output.(history.Op)
	if op.Return == history.Forever || op.Err == errNotLeader {
		// An unanswered call: its effects are accounted for when seen. A call a
		// non-leader refused had none.
		return true, st
	}
	s := st.clone()
	switch op.Method {
	case methodGrant:
		if !op.Ok {
			return true, s
		}
		if _, dup := s.leases[op.OutLease]; dup {
			return false, st
		}
		s.leases[op.OutLease] = opLease{ttl: op.TTL, refreshed: op.Call}
	case methodKeepAlive, methodRevoke:
		l, alive := s.leases[op.Lease]
		switch {
		case op.Ok && !alive:
			return false, st // refreshed or revoked a lease that is gone
		case op.Ok && op.Method == methodKeepAlive:
			l.refreshed = max(l.refreshed, op.Call)
			if l.ttl == 0 {
				l.ttl = op.OutTTL
			}
			s.leases[op.Lease] = l
		case op.Ok:
			s.expire(op.Lease)
		case alive && !s.expirable(op.Lease, op.Return):
			return false, st // "not found" for a lease that cannot have expired yet
		default:
			s.expire(op.Lease)
		}
	case methodPut:
		if !op.Ok {
			if _, alive := s.leases[op.Lease]; alive && !s.expirable(op.Lease, op.Return) {
				return false, st
			}
			s.expire(op.Lease)
			return true, s
		}
		if _, alive := s.leases[op.Lease]; !alive && op.Lease != 0 {
			s.leases[op.Lease] = opLease{} // granted by a call whose answer was lost
		}
		if cur, ok := s.kv[op.Key]; ok && cur.createRev != op.Revision {
			if !s.expirable(cur.lease, op.Return) {
				return false, st // the key exists and cannot be gone: same create revision
			}
			s.expire(cur.lease)
		}
		if _, ok := s.kv[op.Key]; !ok && !s.newer(op.Key, op.Revision) {
			return false, st // a key created again must get a newer create revision
		}
		s.kv[op.Key] = opKey{key: op.Key, lease: op.Lease, createRev: op.Revision}
	case methodGet, methodFirst, methodFirstOther:
		if !op.Ok {
			return true, s
		}
		// Every live key that would come before the answer must have expired.
		//purity:allow expirable depends only on the key's lease and expiring a lease is idempotent, so the outcome is the same in any order
		for k, v := range s.kv {
			match := k == op.Key
			if op.Method != methodGet {
				match = strings.HasPrefix(k, op.Key) && (!op.Found || v.createRev < op.Revision)
			}
			if op.Method == methodGet && op.Found {
				match = false
			}
			if match {
				if !s.expirable(v.lease, op.Return) {
					return false, st
				}
				s.expire(v.lease)
			}
		}
		key := op.Key
		if op.Method == methodFirst {
			key = op.OutValue // First answers with the key it found
		}
		if op.Found && op.Method != methodFirstOther && !s.observe(key, op.OutLease, op.Revision) {
			return false, st
		}
	default:
		return false, st
	}
	return true, s
}

// OpModel returns the porcupine model of the etcd-like client API (P3): Grant,
// KeepAlive, Revoke, Put with a lease, Get, and First (the election's read). Time enters
// only through lease expiry, which the model allows — never forces — once a lease can
// have run out: at or after the latest refreshing call plus the TTL less 1% for drift.
// So it rejects a lease that vanished early, a key seen again after its lease was
// revoked or expired, a create revision that goes backwards, a key with a different
// create revision than the one put, and an election answer skipping a key that cannot
// have expired. Calls whose answers were lost are taken into account when their effects
// are seen.
func OpModel() porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} {
			return opState{leases: map[int64]opLease{}, kv: map[string]opKey{}, dead: map[opKey]bool{}}
		},
		Partition: partition,
		Step:      step,
		Equal: func(a, b interface{}) bool {
			x, y := a.(opState), b.(opState)
			return maps.Equal(x.leases, y.leases) && maps.Equal(x.kv, y.kv) && maps.Equal(x.dead, y.dead)
		},
		DescribeOperation: func(input, output interface{}) string {
			op := output.(history.Op)
			switch op.Method {
			case methodGrant:
				return fmt.Sprintf("grant(ttl %v) -> lease %d ok=%v", op.TTL, op.OutLease, op.Ok)
			case methodKeepAlive, methodRevoke:
				return fmt.Sprintf("%s(%d) -> ok=%v %s", op.Method, op.Lease, op.Ok, op.Err)
			case methodPut:
				return fmt.Sprintf("put(%s, lease %d) -> rev %d ok=%v %s", op.Key, op.Lease, op.Revision, op.Ok, op.Err)
			}
			return fmt.Sprintf("%s(%s) -> found=%v %s rev %d", op.Method, op.Key, op.Found, op.OutValue, op.Revision)
		},
	}
}
