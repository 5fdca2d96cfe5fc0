package lease

import (
	"github.com/leasesim/leasesim/sim"
)

// issuerState is what Q keeps on disk: the epoch counter, the owner and the version.
type issuerState struct {
	epoch, version uint64
	owner          sim.NodeID
}

// issuer is Q.
type issuer struct {
	cfg *config
	// hold is lease + guard on Q's side: how long after a grant, or a reply to a holder,
	// Q keeps the lease (the holder's liveness lease) taken.
	hold int64
	issuerState
	// saved is the state last written durably: Q writes only when it changes.
	saved issuerState
	// grantedAt is Q's monotonic reading when it last granted or renewed the owner's
	// lease; expiresWall the wall-clock expiry it last sent (timestamp mode).
	grantedAt   int64
	expiresWall int64
	// graceUntil: after a restart, only the remembered owner is served until then.
	graceUntil int64
	// live is Q's view of each holder's liveness lease, indexed by NodeID.
	live []liveness
	// waiting are the contenders Q denied, in order of their first request, and
	// freeTimer fires when the current lease frees on Q's clock: Q then grants the first
	// contender that asked recently, instead of waiting for its next request.
	waiting   []waiter
	head      int     // waiting[head:] are still waiting
	waitPos   []int32 // per NodeID: 1 + its index in waiting, 0 when not waiting
	freeTimer sim.TimerID
	freeAt    int64 // Q's monotonic reading when freeTimer fires
}

// liveness is what Q knows of one holder's liveness lease: its monotonic reading when it
// last replied to the holder (renewing the lease), whether it ever did, and whether it
// declared the holder failed since. One record per holder, so that a request updates
// one slot.
type liveness struct {
	lastReply       int64
	heard, declared bool
}

// waiter is a denied contender: its last request's Seq, and when Q received it.
type waiter struct {
	from sim.NodeID
	seq  uint64
	at   int64
}

func newIssuer(cfg *config) *issuer {
	return &issuer{cfg: cfg, hold: cfg.lease + cfg.issuerGuard()}
}

func (q *issuer) Start(env *sim.Env) {
	n := 1
	for _, h := range env.Holders() {
		n = max(n, int(h)+1)
	}
	q.live = make([]liveness, n)
	q.waitPos = make([]int32, n)
	if st, ok := env.Durable().(issuerState); ok {
		// A restart: Q does not know when it last granted. It serves only the owner it
		// remembers until any lease it may have granted has run out, and treats every
		// holder as just renewed for its liveness lease.
		q.issuerState, q.saved = st, st
		now := env.Mono()
		q.graceUntil = now + q.hold
		q.grantedAt = now
		q.expiresWall = env.Wall() + q.cfg.lease
		for _, h := range env.Holders() {
			q.live[h] = liveness{lastReply: now, heard: true}
		}
		q.armFree(env)
	}
	env.After(q.checkEvery(), sim.Message{Type: msgCheckTick})
}

// checkEvery is how often Q scans for holders whose liveness lease ran out: a quarter
// of lease + guard (declaring a node failed later than it could is safe; it only delays
// the report), at least every renewal period.
func (q *issuer) checkEvery() int64 {
	return max(q.cfg.renew, q.hold/4)
}

// Step handles a message; the kernel calls StepMessage instead.
func (q *issuer) Step(env *sim.Env, m sim.Message) { q.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (q *issuer) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgRequest, msgTakeover:
		q.request(env, m)
	case msgCheckTick:
		q.checkLiveness(env)
		env.After(q.checkEvery(), sim.Message{Type: msgCheckTick})
	case msgFreeTick:
		q.freeTick(env)
	}
}

// armFree makes sure a timer fires no later than the moment the current lease frees on
// Q's clock. A renewal moves that moment later; rather than cancel and re-arm on every
// renewal, the pending timer is kept and, when it fires early, arms itself again for
// the moment then in force.
func (q *issuer) armFree(env *sim.Env) {
	if q.cfg.expiry == expiryVersion {
		return
	}
	now := env.Mono()
	d := q.hold + 1
	if rest := q.graceUntil - now; rest > d {
		d = rest
	}
	if q.freeTimer != 0 && q.freeAt <= now+d {
		return
	}
	if q.freeTimer != 0 {
		env.Cancel(q.freeTimer)
	}
	q.freeTimer, q.freeAt = env.After(d, sim.Message{Type: msgFreeTick}), now+d
}

// freeTick hands a lease that has just freed to the first contender that asked within
// the last two renewal periods (one that stopped asking may have crashed).
func (q *issuer) freeTick(env *sim.Env) {
	q.freeTimer = 0
	if !q.free(env) {
		// Renewed since the timer was set (or, in timestamp mode, Q's wall clock is not
		// there yet): look again when the lease should be free.
		now := env.Mono()
		rest := q.grantedAt + q.hold - now
		if q.cfg.expiry == expiryTimestamp {
			rest = q.expiresWall + q.cfg.issuerGuard() - env.Wall()
		}
		rest = max(rest, q.graceUntil-now, 0) + 1
		q.freeTimer, q.freeAt = env.After(rest, sim.Message{Type: msgFreeTick}), now+rest
		return
	}
	now := env.Mono()
	for q.head < len(q.waiting) {
		w := q.waiting[q.head]
		q.head++
		q.waitPos[w.from] = 0
		if w.from != q.owner && now-w.at <= 2*q.cfg.renew {
			q.newOwner(env, w.from)
			q.grant(env, w.from, w.seq, now)
			break
		}
	}
	if q.head > len(q.waiting)/2 { // compact, keeping positions right
		q.waiting = append(q.waiting[:0], q.waiting[q.head:]...)
		q.head = 0
		for i, w := range q.waiting {
			q.waitPos[w.from] = int32(i + 1)
		}
	}
}

// wait records a denied contender's request, keeping its place in the queue.
func (q *issuer) wait(from sim.NodeID, seq uint64, now int64) {
	if int(from) >= len(q.waitPos) {
		return
	}
	if i := q.waitPos[from]; i > 0 {
		q.waiting[i-1].seq, q.waiting[i-1].at = seq, now
		return
	}
	q.waiting = append(q.waiting, waiter{from: from, seq: seq, at: now})
	q.waitPos[from] = int32(len(q.waiting))
}

// free reports whether the lease can go to a new owner now.
func (q *issuer) free(env *sim.Env) bool {
	if q.owner == sim.NoNode {
		return true
	}
	if env.Mono() < q.graceUntil {
		return false
	}
	if q.cfg.expiry == expiryTimestamp {
		return env.Wall() >= q.expiresWall+q.cfg.issuerGuard()
	}
	return env.Mono() >= q.grantedAt+q.hold
}

func (q *issuer) request(env *sim.Env, m *sim.Message) {
	from := m.From
	now := env.Mono()
	if int(from) < len(q.live) {
		q.live[from] = liveness{lastReply: now, heard: true}
	}
	switch {
	case from == q.owner && m.Type == msgRequest:
		// A renewal by the owner (also during the grace period).
	case q.cfg.expiry == expiryVersion:
		// Version mode: Q never expires a lease; a takeover is a compare-and-swap on
		// the version the contender saw unchanged for lease + guard.
		if q.owner != sim.NoNode && (m.Type != msgTakeover || uint64(m.Time) != q.version) {
			q.deny(env, m)
			return
		}
		q.newOwner(env, from)
	case q.free(env):
		q.newOwner(env, from)
	default:
		q.wait(from, m.Seq, now)
		q.deny(env, m)
		return
	}
	q.grant(env, from, m.Seq, now)
}

// grant grants or renews the lease of the owner, answering its request seq.
func (q *issuer) grant(env *sim.Env, from sim.NodeID, seq uint64, now int64) {
	if q.cfg.expiry == expiryVersion {
		q.version++ // every renewal bumps the version contenders watch
	}
	q.grantedAt = now
	q.expiresWall = env.Wall() + q.cfg.lease
	if q.issuerState != q.saved {
		q.saved = q.issuerState
		env.SetDurable(q.saved)
	}
	q.armFree(env)
	g := sim.Message{Type: msgGrant, To: from, Seq: seq, Epoch: q.epoch, Token: q.epoch, Subject: from}
	switch {
	case q.cfg.mutant == MutantIssuerTime:
		g.Time = now // Q's own monotonic reading, which the mutant holder takes as its own
	case q.cfg.expiry == expiryTimestamp:
		g.Time = q.expiresWall
	case q.cfg.expiry == expiryVersion:
		g.Time = int64(q.version)
	default:
		g.Time = q.cfg.lease
	}
	env.Send(g)
}

func (q *issuer) newOwner(env *sim.Env, h sim.NodeID) {
	q.owner = h
	q.epoch++
	env.Promoted(h)
}

func (q *issuer) deny(env *sim.Env, m *sim.Message) {
	env.Send(sim.Message{Type: msgDeny, To: m.From, Seq: m.Seq, Subject: q.owner, Epoch: q.epoch, Time: int64(q.version)})
}

// checkLiveness declares failed every holder whose liveness lease has run out on Q's
// clock: lease + guard since Q last replied to it.
func (q *issuer) checkLiveness(env *sim.Env) {
	now := env.Mono()
	for _, h := range env.Holders() {
		l := &q.live[h]
		if !l.heard || l.declared {
			continue
		}
		if now >= l.lastReply+q.hold {
			l.declared = true
			env.DeclareFailed(h)
		}
	}
}
