package etcd

import (
	"math"
	"slices"
	"strings"

	pb "go.etcd.io/raft/v3/raftpb"

	"github.com/leasesim/leasesim/sim"
)

// expireEvery is how often the leader looks for expired leases (etcd's lessor checks
// every 500ms; a shorter period makes expiry closer to the TTL).
const expireEvery = int64(100e6)

// retryRevokeAfter is how long the leader waits for an expiry's revoke to apply before
// proposing it again (the proposal may have been lost with a leader change).
const retryRevokeAfter = int64(1e9)

// clientReq is a client request an issuer node answers once raft has done its part.
type clientReq struct {
	from sim.NodeID
	seq  uint64
	req  *request
	at   int64 // when it arrived, on this node's monotonic clock
}

// issuer is one issuer node (Q, or one of Q1..Qn): a raft replica of the store, and,
// while it is raft leader, the lessor that expires leases by its own monotonic clock.
type issuer struct {
	cfg  *config
	raft *raftNode
	st   *store
	// expiry is the lessor's: each lease's expiry on this node's monotonic clock; only
	// kept (and acted on) while this node leads.
	expiry leaseTimes
	// nextDue is a time before which no lease of expiry is due (expired, and not being
	// revoked or its revoke due for a retry), so that expire need not look at them all
	// ten times a second: expire sets it when it looks, setExpiry lowers it.
	nextDue int64
	// known is each lease's deadline as this node knows it without being leader: TTL
	// after it applied the grant, or the remaining TTL after a checkpoint. Only the
	// mutants act on it.
	known    leaseTimes
	revoking map[int64]int64 // leases whose expiry revoke is proposed, and when
	// expiring holds the request ids of this incarnation's expiry revokes, each with
	// when it was proposed (on this node's monotonic clock).
	expiring map[uint64]int64
	nextReq  uint64
	waiting  waitList // the requests taken and not answered (waitlist.go)
	// rl batches reads and KeepAlives into ReadIndex rounds (readloop.go).
	rl readLoop
	// declaring are the failures this node declares once raft confirms it still leads
	// (declare.go).
	declaring []declaration
	// parked holds KeepAlives of leases that expired here and wait for their revoke to
	// apply (then: not found) or for this node to lose leadership (then: not leader).
	parked map[int64][]clientReq
	// busyUntil is when the node is done with the requests queued so far (request_cost).
	busyUntil int64
	// promoting: the node became leader and promotes its lessor once it has applied
	// every entry committed so far (the store must know every lease first).
	promoting bool
	// queued holds the requests waiting for their turn (request_cost), in turn order;
	// answers allocates the read answers (slab.go).
	queued  serveQueue
	answers slab[response]
}

func (q *issuer) Start(env *sim.Env) {
	q.st = newStore()
	q.revoking = map[int64]int64{}
	q.waiting, q.expiring = waitList{}, map[uint64]int64{}
	q.parked = map[int64][]clientReq{}
	rn, err := newRaftNode(env, q.cfg.electionTicks)
	if err != nil {
		env.Logf("etcd: cannot start raft: %v", err)
		return
	}
	q.raft = rn
	// Request ids start at a random point in every incarnation, so that an entry a
	// previous incarnation proposed is never taken for a new request's.
	q.nextReq = env.Rand().Uint64() >> 2
	env.After(q.cfg.heartbeatTick, sim.Message{Type: msgRaftTick})
	env.After(expireEvery, sim.Message{Type: msgExpireTick})
	if q.cfg.checkpoint {
		env.After(q.cfg.checkpointEvery, sim.Message{Type: msgCheckpointTick})
	}
	q.raft.process(env, q)
}

// Step handles a message; the kernel calls StepMessage instead.
func (q *issuer) Step(env *sim.Env, m sim.Message) { q.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (q *issuer) StepMessage(env *sim.Env, m *sim.Message) {
	if q.raft == nil {
		return
	}
	switch m.Type {
	case msgRaftTick:
		q.raft.tick(env)
		env.After(q.cfg.heartbeatTick, sim.Message{Type: msgRaftTick})
	case msgRaft:
		if rm, ok := m.Payload.(*pb.Message); ok {
			q.raft.step(rm)
		}
	case msgExpireTick:
		q.expire(env)
		env.After(expireEvery, sim.Message{Type: msgExpireTick})
	case msgCheckpointTick:
		q.checkpoint(env)
		env.After(q.cfg.checkpointEvery, sim.Message{Type: msgCheckpointTick})
	case msgRequest:
		if req, ok := m.Payload.(*request); ok {
			if q.cfg.requestCost > 0 {
				q.enqueue(env, clientReq{from: m.From, seq: m.Seq, req: req})
				break
			}
			q.handle(env, m.From, m.Seq, req)
		}
	case msgServe:
		if cr, ok := q.queued.pop(); ok {
			q.handle(env, cr.from, cr.seq, cr.req)
		}
	}
	q.raft.process(env, q)
}

// enqueue queues a client request behind those already queued: the node serves one at a
// time, each taking request_cost of its monotonic clock. The queue is volatile.
func (q *issuer) enqueue(env *sim.Env, cr clientReq) {
	now := env.Mono()
	q.busyUntil = max(q.busyUntil, now) + q.cfg.requestCost
	cr.at = now
	q.queued.push(cr)
	env.After(q.busyUntil-now, sim.Message{Type: msgServe})
}

func (q *issuer) reply(env *sim.Env, to sim.NodeID, seq uint64, r *response) {
	env.Send(sim.Message{Type: msgResponse, To: to, Seq: seq, Payload: r})
}

// handle takes a client request: a non-leader names the leader it knows; the leader
// proposes writes through the log and confirms its leadership with a ReadIndex round
// before a read or a KeepAlive, answering once the store has caught up.
func (q *issuer) handle(env *sim.Env, from sim.NodeID, seq uint64, r *request) {
	if !q.raft.isLeader() {
		q.reply(env, from, seq, &response{Err: errNotLeader, Leader: q.raft.leader()})
		return
	}
	q.nextReq++
	id := q.nextReq
	q.waiting.add(id, clientReq{from: from, seq: seq, req: r, at: env.Mono()})
	c := command{Origin: q.raft.id, Req: id, Lease: r.Lease}
	switch r.Method {
	case methodGrant:
		// etcd's lessor raises a TTL below its minimum to it (lessor.go Grant).
		c.Kind, c.TTL, c.Value = cmdGrant, q.cfg.grantTTL(r.TTL), r.Value
	case methodRevoke:
		c.Kind = cmdRevoke
	case methodPut:
		c.Kind, c.Key, c.Value = cmdPut, r.Key, r.Value
	case methodCAS:
		c.Kind, c.Key, c.Value, c.Rev = cmdCAS, r.Key, r.Value, r.Rev
	case methodKeepAlive:
		if q.expired(env, r.Lease) {
			q.waiting.take(id)
			q.parked[r.Lease] = append(q.parked[r.Lease], clientReq{from: from, seq: seq, req: r, at: env.Mono()})
			return
		}
		if l := q.st.lease(r.Lease); l != nil && q.cfg.checkpoint && l.remaining > 0 {
			// A checkpoint recorded less than the TTL: clear it through the log before
			// answering, or a new leader would count from the stale checkpoint.
			c.Kind = cmdCheckpoint
		} else {
			q.read(env, id)
			return
		}
	case methodGet, methodFirst:
		q.read(env, id)
		return
	default:
		q.waiting.take(id)
		q.reply(env, from, seq, &response{Err: "unknown method " + r.Method})
		return
	}
	if err := q.raft.rn.Propose(c.encode()); err != nil {
		q.waiting.take(id)
		q.reply(env, from, seq, &response{Err: errNotLeader, Leader: q.raft.leader()})
	}
}

func (q *issuer) afterApply(env *sim.Env) {
	if q.promoting && q.raft.isLeader() && q.raft.applied >= q.raft.rn.BasicStatus().HardState.GetCommit() {
		q.promote(env)
	}
	q.serveRound(env)
}

// serveRead answers a read or a KeepAlive whose leadership check passed.
func (q *issuer) serveRead(env *sim.Env, r *request) *response {
	switch r.Method {
	case methodKeepAlive:
		l := q.st.lease(r.Lease)
		if l == nil {
			return q.answers.new(response{Err: errLeaseNotFound, Lease: r.Lease})
		}
		q.refresh(env, r.Lease, l.ttl)
		return l.renewed(r.Lease)
	case methodGet:
		rec, ok := q.st.kv[r.Key]
		if !ok {
			return q.answers.new(response{Ok: true, Rev: q.st.rev})
		}
		return q.answers.new(response{Ok: true, Found: true, Key: r.Key, Value: rec.value, Lease: rec.lease, CreateRev: rec.createRev, ModRev: rec.modRev, Rev: q.st.rev})
	case methodFirst:
		k, rec := q.st.first(r.Key)
		if rec == nil {
			return q.answers.new(response{Ok: true, Rev: q.st.rev})
		}
		return q.answers.new(response{Ok: true, Found: true, Key: k, Value: rec.value, Lease: rec.lease, CreateRev: rec.createRev, Rev: q.st.rev})
	}
	return q.answers.new(response{Err: "unknown method " + r.Method})
}

// setExpiry sets lease id's expiry in the lessor.
func (q *issuer) setExpiry(id, at int64) {
	q.expiry.set(id, at)
	q.nextDue = min(q.nextDue, at)
}

// expired reports whether lease id has expired on this node, leading, and awaits its
// revoke.
func (q *issuer) expired(env *sim.Env, id int64) bool {
	at, ok := q.expiry.get(id)
	return ok && q.raft.isLeader() && at <= env.Mono()
}

// refresh renews a lease to its full TTL from now (a KeepAlive).
func (q *issuer) refresh(env *sim.Env, id, ttl int64) {
	d := env.Mono() + q.cfg.lifetime(ttl)
	q.known.set(id, d)
	if q.raft.isLeader() {
		q.setExpiry(id, d)
	}
}

func (q *issuer) applyEntry(env *sim.Env, c command) {
	var owner string
	if c.Kind == cmdRevoke {
		owner = q.owner(c.Lease)
	}
	keys := q.expiringKeys(c) // the key lease this node's expiry revoke deletes, if any
	res := q.st.apply(c)
	now := env.Mono()
	switch c.Kind {
	case cmdGrant:
		q.known.set(res.lease, now+q.cfg.lifetime(c.TTL))
		if q.raft.isLeader() {
			q.setExpiry(res.lease, now+q.cfg.lifetime(c.TTL))
		}
	case cmdRevoke:
		q.expiry.del(c.Lease)
		q.known.del(c.Lease)
		delete(q.revoking, c.Lease)
		for _, cr := range q.parked[c.Lease] {
			q.reply(env, cr.from, cr.seq, &response{Err: errLeaseNotFound, Lease: c.Lease})
		}
		delete(q.parked, c.Lease)
		if at, mine := q.expiring[c.Req]; res.ok && owner != "" && mine && c.Origin == q.raft.id && q.raft.isLeader() {
			// This node, leading, expired the lease and freed its election key
			// (declare.go).
			q.declare(env, owner, now-at)
		}
		if res.ok && keys != "" {
			q.keysExpired(env, keys, c.Lease)
		}
	case cmdCheckpoint:
		if res.ok && c.TTL > 0 {
			q.known.set(c.Lease, now+c.TTL)
		}
	}
	if _, mine := q.expiring[c.Req]; c.Kind == cmdRevoke && mine {
		delete(q.expiring, c.Req)
		return
	}
	if c.Origin != q.raft.id || c.Req == 0 {
		return
	}
	cr, ok := q.waiting.take(c.Req)
	if !ok {
		return
	}
	var out *response
	switch c.Kind {
	case cmdGrant:
		out = &response{Ok: true, Lease: res.lease, TTL: c.TTL, Rev: res.rev}
	case cmdRevoke:
		out = &response{Ok: res.ok, Lease: c.Lease, Rev: res.rev}
	case cmdPut:
		out = &response{Ok: res.ok, Key: c.Key, Lease: c.Lease, CreateRev: res.createRev, Rev: res.rev}
	case cmdCAS:
		out = &response{Ok: res.ok, Key: c.Key, CreateRev: res.createRev, ModRev: res.rev, Rev: q.st.rev}
		if !res.ok {
			out.Err = errConflict
		}
	case cmdCheckpoint: // a KeepAlive that cleared a checkpoint
		if res.ok && q.expired(env, c.Lease) {
			q.parked[c.Lease] = append(q.parked[c.Lease], cr)
			return
		}
		if res.ok {
			ttl := q.st.lease(c.Lease).ttl
			q.refresh(env, c.Lease, ttl)
			out = &response{Ok: true, Lease: c.Lease, TTL: ttl}
		} else {
			out = &response{Lease: c.Lease}
		}
	}
	if !out.Ok && out.Err == "" {
		out.Err = errLeaseNotFound
	}
	q.reply(env, cr.from, cr.seq, out)
}

// owner names the holder that expiring lease shows failed: the client that asked for it,
// when the lease still holds an election key and the client has no other lease (a
// restarted client that granted a new one is alive). "" when it shows nothing.
func (q *issuer) owner(lease int64) string {
	l := q.st.lease(lease)
	if l == nil || l.owner == "" {
		return ""
	}
	elected := false
	for k := range l.keys {
		elected = elected || strings.HasPrefix(k, electionPrefix)
	}
	if !elected {
		return ""
	}
	for id, o := range q.st.leases {
		if o != nil && int64(id) != lease && o.owner == l.owner {
			return ""
		}
	}
	return l.owner
}

// roleChanged empties the lessor when the node's role changes; a new leader promotes it
// once its store has caught up with the log.
func (q *issuer) roleChanged(env *sim.Env, wasLeader bool) {
	ids := make([]int64, 0, len(q.parked))
	for id := range q.parked {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, cr := range q.parked[id] {
			q.reply(env, cr.from, cr.seq, &response{Err: errNotLeader, Leader: q.raft.leader()})
		}
	}
	q.parked = map[int64][]clientReq{}
	q.declaring = q.declaring[:0]
	q.rl.drop()
	q.expiry = leaseTimes{}
	q.revoking = map[int64]int64{}
	q.nextDue = 0
	q.promoting = !wasLeader
}

// promote renews every lease, as etcd's Promote does, to now + the election timeout + its
// TTL (or, with checkpointing, its checkpointed remaining TTL), since the old leader's
// expiry times died with it.
func (q *issuer) promote(env *sim.Env) {
	q.promoting = false
	now := env.Mono()
	for i, l := range q.st.leases {
		if l == nil {
			continue
		}
		id := int64(i)
		rem := l.ttl
		if q.cfg.checkpoint && l.remaining > 0 {
			rem = l.remaining
		}
		d := now + q.cfg.electionTimeout + q.cfg.lifetime(rem)
		if q.cfg.mutant == MutantNoRenewOnPromotion {
			if k, ok := q.known.get(id); ok {
				d = k // keeps the deadline it knew as a follower
			}
		}
		q.setExpiry(id, d)
	}
}

// expire proposes a revoke for every lease whose time has come, in lease order. Only the
// leader expires leases (the expire-on-follower mutant lets followers do it too).
func (q *issuer) expire(env *sim.Env) {
	now := env.Mono()
	deadlines := &q.expiry
	if q.promoting {
		return
	}
	if !q.raft.isLeader() {
		if q.cfg.mutant != MutantExpireOnFollower || q.raft.leader() == sim.NoNode {
			return
		}
		deadlines = &q.known
	}
	var due []int64
	if q.raft.isLeader() && now < q.nextDue {
		// No lease is due: skip the scan, which would find none.
	} else {
		next := int64(math.MaxInt64)
		for id, at := range deadlines.all() {
			t, revoking := q.revoking[id]
			switch {
			case at <= now && (!revoking || now-t >= retryRevokeAfter):
				due = append(due, id)
				next = min(next, now+retryRevokeAfter) // revoking from now on
			case revoking:
				next = min(next, max(at, t+retryRevokeAfter))
			default:
				next = min(next, at)
			}
		}
		if q.raft.isLeader() {
			q.nextDue = next
		}
	}
	slices.Sort(due)
	for _, id := range due {
		q.revoking[id] = now
		q.nextReq++
		q.expiring[q.nextReq] = now
		c := command{Kind: cmdRevoke, Origin: q.raft.id, Req: q.nextReq, Lease: id}
		_ = q.raft.rn.Propose(c.encode())
	}
	// Forget requests that will not be answered any more (a lost proposal or read).
	q.waiting.forget(now - 4*q.cfg.ttl) // those with now-at > 4·ttl
}

// checkpoint records every lease's remaining TTL through the log (checkpoint: true), as
// etcd's lease checkpointing does, so that a new leader does not renew them in full.
func (q *issuer) checkpoint(env *sim.Env) {
	if !q.raft.isLeader() {
		return
	}
	now := env.Mono()
	for id, at := range q.expiry.all() {
		if rem := at - now; rem > 0 {
			c := command{Kind: cmdCheckpoint, Origin: q.raft.id, Lease: id, TTL: rem}
			_ = q.raft.rn.Propose(c.encode())
		}
	}
}
