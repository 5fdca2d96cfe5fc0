package etcd

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// expirySlack is the fraction of a TTL the clocks' drift may take off a lease in the
// model: a lease refreshed by a call at c may be gone for an operation that returned at
// or after c + TTL·(1 - expirySlack), never before.
const expirySlack = 0.01

// opState is the sequential specification's state: the live leases (with the call time
// of the latest refresh the model knows of), the keys with their values, the key
// incarnations that have been deleted with their lease (which must never be seen again,
// and which a new incarnation of the same key must follow in create revision), and the
// Grants whose answers never came that may still create a lease (lost).
//
// Each is a slice sorted by its key, used as a map. A partition holds a few keys and
// leases, and porcupine copies the state at every step it tries: small slices cost a
// fraction of maps to copy, compare and hash (opstate.go), and the state fits in 80
// bytes (lost is a pointer, nil but in hand-made histories). A state is never changed
// once step returns it: the state step builds (a stepState) shares the slices of the one
// it starts from and copies each before its first change (owned), so a step that changes
// one lease copies only the leases, and one that changes nothing copies nothing.
type opState struct {
	leases []leaseEntry // by id
	kv     []opEntry    // by key
	dead   []opKey      // by key, lease, createRev
	lost   *[]lostEntry // by id, call, ttl; nil: none
}

// stepState is the state step builds from an opState: that state's slices, and which
// of them it has its own copies of (ownLeases...).
type stepState struct {
	opState
	owned uint8
	// ret is the return time of the operation being stepped: a key it deletes was
	// deleted before then (opKey.gone).
	ret int64
}

// lostEntry is a Grant whose answer never came, called already where porcupine has got
// to, that has created no lease yet: it may create one, once, asking for lease id (0: one
// the server picks), live for ttl from its call.
type lostEntry struct {
	id, call, ttl int64
}

// leaseEntry is a live lease.
type leaseEntry struct {
	id int64
	opLease
}

// opEntry is a live key: its incarnation and its value.
type opEntry struct {
	opKey
	value string
}

type opLease struct {
	ttl       int64 // 0: unknown (learned from a read, not from its grant)
	refreshed int64 // call time of the latest grant or keepalive seen to succeed
}

type opKey struct {
	key       string
	lease     int64
	createRev int64
	// gone: of a deleted incarnation, the return time of the operation whose step
	// deleted it, before which an unanswered put may have bound it to another lease
	// (rebound); 0 for a live one. Not part of its identity (compareKeys).
	gone int64
}

// next returns a state to build the next one on: s's slices, none owned yet.
func (s opState) next() stepState { return stepState{opState: s} }

// result is what step returns for the state s it built from state: state itself when s
// changed nothing, which saves boxing a copy.
func (s stepState) result(state interface{}) interface{} {
	if s.owned == 0 {
		return state
	}
	return s.opState
}

// expirable reports whether lease id may have expired before an operation returning at
// ret linearized. Lease 0 (a key bound to no lease) never expires.
func (s opState) expirable(id int64, ret int64) bool {
	if id == 0 {
		return false
	}
	l, ok := s.lease(id)
	if !ok {
		return true
	}
	if l.ttl == 0 {
		return true
	}
	return ret >= l.refreshed+l.ttl-int64(float64(l.ttl)*expirySlack)
}

// expire removes a lease and its keys, remembering the keys as dead and a live lease as
// gone (goneMark).
func (s *stepState) expire(id int64) {
	if id == 0 {
		return
	}
	if _, live := s.lease(id); live {
		s.addDead(goneMark(id))
	}
	s.deleteLease(id)
	if !slices.ContainsFunc(s.kv, func(v opEntry) bool { return v.lease == id }) {
		return
	}
	s.own(ownKV)
	kept := s.kv[:0]
	for _, v := range s.kv {
		if v.lease == id {
			d := v.opKey
			d.gone = s.ret
			s.addDead(d)
			continue
		}
		kept = append(kept, v)
	}
	clear(s.kv[len(kept):])
	s.kv = kept
}

// observe reconciles a key seen in a read (found, with its create revision and lease,
// and its value when the read shows one: hasValue). A dead key may not reappear. A key
// the model knows must show its value, or one an unanswered put of the key with that
// lease wrote since (writes). A key it does not know, or a new incarnation of one whose
// lease may have expired, was put by an unanswered put, which must be among writes. A
// lease it binds a key to that is not live was made by a lost Grant (bind; fresh and
// call are the read's).
func (s *stepState) observe(key string, lease, createRev int64, value string, hasValue bool, writes []write, fresh bool, call, ret int64) bool {
	k := opKey{key: key, lease: lease, createRev: createRev}
	if s.isDead(k) {
		return false
	}
	wrote := func() (string, bool) {
		for _, w := range writes {
			if w.key == key && w.lease == lease && (!hasValue || w.value == value) {
				return w.value, true
			}
		}
		return "", false
	}
	if cur, ok := s.get(key); ok {
		if cur.createRev == createRev {
			if cur.lease == lease && (!hasValue || cur.value == value) {
				return true
			}
			// The same incarnation, put again since by a put whose answer was lost.
			v, ok := wrote()
			if !ok {
				return false
			}
			s.put(opEntry{opKey: k, value: v})
			return s.bind(lease, fresh, call)
		}
		// A different incarnation of the key: the old one must have gone with its lease.
		if !s.expirable(cur.lease, ret) {
			return false
		}
		s.expire(cur.lease)
	}
	if !s.newer(key, createRev) && !s.rebound(key, createRev, writes) {
		return false
	}
	v, ok := wrote()
	if !ok {
		return false // a key nobody put
	}
	s.put(opEntry{opKey: k, value: v})
	return s.bind(lease, fresh, call)
}

// bind makes sure lease exists for an operation called at call that shows it live (a
// KeepAlive or Revoke answered ok, a put bound to it, a read of a key bound to it): a
// lease that is not live must be one a lost Grant creates just before the operation
// (makeLease).
func (s *stepState) bind(lease int64, fresh bool, call int64) bool {
	if _, ok := s.lease(lease); ok || lease == 0 {
		return true
	}
	return s.makeLease(lease, fresh, call)
}

// makeLease creates lease id, not live, with a Grant whose answer never came (lost): one
// that asked for id, the earliest called, or else, when id is fresh (no Grant of the
// history asked for it or returned it), one that asked for no id, the earliest called,
// unless id was live before (the server never picks an id twice). The Grant is used up.
// The lease may be gone from the Grant's call plus its TTL (less the slack), as one an
// answered Grant made; one made again after it was gone from the later of that and the
// call of the operation that shows it (call), as the Grant took effect after the lease
// was gone.
func (s *stepState) makeLease(id int64, fresh bool, call int64) bool {
	i, ok := s.lostFor(id)
	if !ok && fresh && !s.isDead(goneMark(id)) {
		i, ok = s.lostFor(0)
	}
	if !ok {
		return false // no lost Grant can have made it
	}
	e := s.lostGrants()[i]
	s.useLost(i)
	l := opLease{ttl: e.ttl, refreshed: e.call}
	if s.isDead(goneMark(id)) {
		l.refreshed = max(l.refreshed, call)
	}
	s.setLease(id, l)
	return true
}

// newer reports whether createRev is above that of every deleted incarnation of key: a
// key created again gets a newer revision. (Across keys the model cannot tell: a put whose
// answer was lost may have created a key at any earlier revision.)
func (s *opState) newer(key string, createRev int64) bool {
	for _, d := range s.dead {
		if d.key == key && d.createRev >= createRev {
			return false
		}
	}
	return true
}

// rebound reports whether the deleted incarnation of key with create revision createRev,
// the newest, may still be live after all: an unanswered put of the key (writes), called
// before the operation whose step deleted it returned, bound it to another lease than
// the one it was deleted with before that lease went, so that the lease took only its
// other keys (as etcd's revoke deletes the keys attached to the lease when it applies,
// and a put to a live key keeps its create revision). Placing the put just before the
// deletion is a linearization up to the deleting operation's place among those that
// returned before the put was called, which this does not check (as for withWrites).
func (s *opState) rebound(key string, createRev int64, writes []write) bool {
	found := false
	for _, d := range s.dead {
		if d.key != key {
			continue
		}
		if d.createRev > createRev {
			return false // a newer incarnation was created since
		}
		if d.createRev == createRev && slices.ContainsFunc(writes, func(w write) bool { return w.key == key && w.lease != d.lease && w.call < d.gone }) {
			found = true
		}
	}
	return found
}

// write is a put or a compare-and-swap whose answer never came: it may have taken effect,
// once, at any time after its call.
type write struct {
	key, value string
	lease      int64
	call       int64
}

// withWrites is an answered read, or a put of a key with unanswered puts, as partition
// hands it to porcupine (as Output; Input stays the history.Op): with the unanswered
// writes of the key called before it returned, the only writes it may show besides those
// answered (and those that may have kept a deleted incarnation alive: rebound); fresh
// when the lease it shows is fresh (freshLease).
type withWrites struct {
	op     history.Op
	writes []write
	fresh  bool
}

// freshLease is an answered KeepAlive, Revoke or Put as partition hands it to porcupine
// when its lease is fresh: no Grant of the history asked for that id or returned it, so
// only a lost Grant that asked for no id can have made it (makeLease).
type freshLease struct{ op history.Op }

// lostGrant is a Grant whose answer never came as partition hands it to porcupine: at its
// call (one nanosecond after, so that it follows every operation that returned by then),
// answered at once. It creates no lease there; it may create one later, once (lost,
// makeLease). That is the same as porcupine placing its creation anywhere after its call,
// without the search: being able to create a lease sooner never makes a later answer
// illegal.
type lostGrant struct{ op history.Op }

// opOf returns the operation, the unanswered writes it may show, and whether its lease
// is fresh, from a porcupine Output (a withWrites, freshLease or lostGrant, or a bare
// history.Op).
func opOf(output interface{}) (op history.Op, writes []write, fresh bool) {
	switch w := output.(type) {
	case withWrites:
		return w.op, w.writes, w.fresh
	case freshLease:
		return w.op, nil, true
	case lostGrant:
		return w.op, nil, false
	}
	return output.(history.Op), nil, false
}

// goneMark is the entry of opState.dead that says live lease id expired or was revoked:
// no put or read may bind a key to it again unless a lost Grant makes it again
// (makeLease). No key incarnation has an empty key and a negative revision.
func goneMark(id int64) opKey { return opKey{key: "", lease: id, createRev: -2} }

// step applies one operation to the state. The rules, each tested on a hand-made history
// in opmodel_test.go:
//
//  1. Grant: a new lease id, live for its TTL from the call.
//  2. KeepAlive, Revoke: "ok" only for a live lease; "not found" only once the lease may
//     have expired (its latest refresh's call plus the TTL less 1%); Revoke deletes the
//     lease's keys, and an unanswered one may have, at any time after its call.
//  3. Put: "ok" binds the key to the lease with its value; a new incarnation of a key
//     (another create revision) only once the old one's lease may have expired, and at a
//     newer create revision than every deleted incarnation — unless an unanswered put
//     of the key kept the deleted one alive, binding it to another lease before its own
//     went (rebound); "lease not found" only once the lease may have expired.
//  4. Compare-and-swap (Txn): "ok" writes the value bound to no lease, as Put; a conflict
//     wrote nothing (mod revisions are not in the etcd holder's history, so the compare
//     itself is not checked: model/k8s checks it).
//  5. Get: "not found" only once the key's lease may have expired; found, it shows the
//     key's value and lease, or those of an unanswered put of the key called before the
//     Get returned; never a deleted incarnation, nor a value nobody put.
//  6. First: every key of the prefix with a lower create revision than the answer's may
//     have expired; the answer is a live key with its lease, or one an unanswered put of
//     that key with that lease created.
//  7. A Grant whose answer never came (lostGrant) may have created one lease at any time
//     after its call, or none: the lease it asked for, or a fresh one when it asked for
//     none (makeLease). An operation of rules 2, 3, 5, 6 that shows a lease live that is
//     not is legal when such a Grant, called before, is left to make it; that uses the
//     Grant up. Tests in opmodel_grant_test.go.
func step(state, input, output interface{}) (bool, interface{}) {
	st := state.(opState)
	op, writes, fresh := opOf(output)
	if _, ok := output.(lostGrant); ok { // rule 7
		s := st.next()
		s.addLost(lostEntry{id: op.Lease, call: op.Call, ttl: op.TTL})
		return true, s.opState
	}
	if (op.Return == history.Forever && op.Method != methodRevoke) || op.Err == errNotLeader {
		// An unanswered call (partition keeps those out; its write is in the later
		// answers' writes). A call a non-leader refused had none. An unanswered Revoke
		// (partition keeps it, pending) goes on: it deletes the lease and its keys where
		// porcupine places it (rule 2), which may be after every other operation.
		return true, state
	}
	s := st.next()
	s.ret = op.Return
	switch op.Method {
	case methodGrant: // rule 1
		if !op.Ok {
			return true, s.result(state)
		}
		if _, dup := s.lease(op.OutLease); dup {
			return false, st
		}
		s.setLease(op.OutLease, opLease{ttl: op.TTL, refreshed: op.Call})
	case methodKeepAlive, methodRevoke: // rule 2
		l, alive := s.lease(op.Lease)
		if op.Ok && !alive && s.makeLease(op.Lease, fresh, op.Call) { // rule 7
			l, alive = s.lease(op.Lease)
		}
		switch {
		case op.Ok && !alive:
			return false, st // refreshed or revoked a lease that is gone
		case op.Ok && op.Method == methodKeepAlive:
			l.refreshed = max(l.refreshed, op.Call)
			if l.ttl == 0 {
				l.ttl = op.OutTTL
			}
			s.setLease(op.Lease, l)
		case op.Ok:
			s.expire(op.Lease)
		case alive && !s.expirable(op.Lease, op.Return):
			return false, st // "not found" for a lease that cannot have expired yet
		default:
			s.expire(op.Lease)
		}
	case methodPut, methodCAS: // rules 3 and 4
		lease := op.Lease
		if op.Method == methodCAS {
			lease = 0
		}
		if !op.Ok {
			if op.Method == methodCAS {
				return true, s.result(state) // a conflict: no effect
			}
			if _, alive := s.lease(lease); alive && !s.expirable(lease, op.Return) {
				return false, st
			}
			s.expire(lease)
			return true, s.result(state)
		}
		if !s.bind(lease, fresh, op.Call) { // rule 7
			return false, st // a lease that is gone, and no lost Grant left to make it
		}
		if cur, ok := s.get(op.Key); ok && cur.createRev != op.Revision {
			if !s.expirable(cur.lease, op.Return) {
				return false, st // the key exists and cannot be gone: same create revision
			}
			s.expire(cur.lease)
		}
		if _, ok := s.get(op.Key); !ok && !s.newer(op.Key, op.Revision) && !s.rebound(op.Key, op.Revision, writes) {
			return false, st // a key created again must get a newer create revision
		}
		s.put(opEntry{opKey: opKey{key: op.Key, lease: lease, createRev: op.Revision}, value: op.Value})
	case methodGet, methodFirst, methodFirstOther: // rules 5 and 6
		if !op.Ok {
			return true, s.result(state)
		}
		// Every live key that would come before the answer must have expired. The keys are
		// those of the state before the step (st, in key order); one that an earlier
		// key's expiry in this loop removed (the two shared a lease) is gone already.
		for _, e := range st.kv {
			k := e.key
			v, live := s.get(k)
			if !live {
				continue
			}
			match := k == op.Key && !op.Found
			if op.Method != methodGet {
				match = strings.HasPrefix(k, op.Key) && (!op.Found || v.createRev < op.Revision)
			}
			if match {
				if !s.expirable(v.lease, op.Return) {
					return false, st
				}
				s.expire(v.lease)
			}
		}
		switch {
		case !op.Found || op.Method == methodFirstOther:
		case op.Method == methodFirst: // First answers with the key it found, not its value
			if !s.observe(op.OutValue, op.OutLease, op.Revision, "", false, writes, fresh, op.Call, op.Return) {
				return false, st
			}
		default:
			if !s.observe(op.Key, op.OutLease, op.Revision, op.OutValue, true, writes, fresh, op.Call, op.Return) {
				return false, st
			}
		}
	default:
		return false, st
	}
	return true, s.result(state)
}

// OpModel returns the porcupine model of the etcd-like client API (P3): Grant,
// KeepAlive, Revoke, Put with a lease, compare-and-swap (Txn), Get, and First (the
// election's read). It checks what was read and written (step's rules): a read shows the
// value and lease last put, or those of a put whose answer never came; a key deleted
// with its lease is never seen again; a conflict wrote nothing; a lease a keepalive,
// revoke, put or read finds was granted, perhaps by a grant whose answer never came, which
// creates one lease at most. Time enters only through lease expiry, which the model allows — never forces — once a lease can have run out:
// at or after the latest refreshing call plus the TTL less 1% for drift. So it also
// rejects a lease that vanished early, a create revision that goes backwards, a key with
// a different create revision than the one put, and an election answer skipping a key
// that cannot have expired.
//
// A request executes at most once, as in etcd: gRPC over TCP never delivers a request
// twice, and etcd's client resends a mutation only when it never reached the server.
// The simulator sends client requests AtMostOnce, exempt from the network's `duplicate`.
// A duplicated request would execute twice; its second answer ("conflict", or another
// create revision) could overtake the first's, a history no real etcd produces.
func OpModel() porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} {
			return opState{}
		},
		Partition: partition,
		Step:      step,
		Equal: func(a, b interface{}) bool {
			x, y := a.(opState), b.(opState)
			return slices.Equal(x.leases, y.leases) && slices.Equal(x.kv, y.kv) && slices.Equal(x.dead, y.dead) && slices.Equal(x.lostGrants(), y.lostGrants())
		},
		DescribeOperation: func(input, output interface{}) string {
			op, _, _ := opOf(output)
			switch op.Method {
			case methodGrant:
				if _, lost := output.(lostGrant); lost {
					return fmt.Sprintf("grant(ttl %v, lease %d) -> no answer", time.Duration(op.TTL), op.Lease)
				}
				return fmt.Sprintf("grant(ttl %v) -> lease %d ok=%v", time.Duration(op.TTL), op.OutLease, op.Ok)
			case methodKeepAlive, methodRevoke:
				return fmt.Sprintf("%s(%d) -> ok=%v %s", op.Method, op.Lease, op.Ok, op.Err)
			case methodPut:
				return fmt.Sprintf("put(%s=%s, lease %d) -> rev %d ok=%v %s", op.Key, op.Value, op.Lease, op.Revision, op.Ok, op.Err)
			case methodCAS:
				return fmt.Sprintf("cas(%s=%s if rev %d) -> rev %d ok=%v %s", op.Key, op.Value, op.Expect, op.Revision, op.Ok, op.Err)
			case methodGet, methodFirst, methodFirstOther:
				return fmt.Sprintf("%s(%s) -> found=%v %s lease %d rev %d", op.Method, op.Key, op.Found, op.OutValue, op.OutLease, op.Revision)
			}
			return DescribeUnknown(op)
		},
	}
}
