package lease

import (
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// sentReq is a request the holder sent: its sequence number and the monotonic reading
// at which it left.
type sentReq struct {
	seq uint64
	at  int64
}

// holder is one of A, B, C….
type holder struct {
	cfg *config
	q   sim.NodeID
	seq uint64
	// sent is a ring of the last requests sent, request seq at sent[seq & (len-1)] (a
	// power of two long). It holds at least every request sent within the last
	// lease - guard of the holder's monotonic clock (see sentAt): at most
	// (lease - guard)/renew + 1, since asks are renew apart; remember doubles it rather
	// than overwrite one of those.
	sent []sentReq
	// window is lease - guard on the holder's side: how long a request's send time is
	// remembered, and how long a reply to it extends the holder's leases.
	window int64
	// liveName is the holder's liveness lease, live/<name>.
	liveName string
	// epoch and deadline describe the leader lease the holder believes it holds:
	// valid while its clock `clock` reads less than deadline.
	epoch    uint64
	deadline int64
	clock    sim.ClockKind
	forever  bool // holder-ignores-expiry: leads until told otherwise
	live     int64
	// Version mode: the version last seen in a deny and when it was first seen.
	seenVersion uint64
	seenAt      int64
	haveSeen    bool
}

func newHolder(cfg *config) *holder {
	return &holder{cfg: cfg}
}

func (h *holder) Start(env *sim.Env) {
	h.q = env.Issuers()[0]
	h.window = h.cfg.lease - h.cfg.holderGuard()
	h.liveName = history.LivenessLease(env.Name())
	// Sequence numbers start at a random point in every incarnation: after a restart,
	// Q may still answer the previous incarnation's requests, and a reused number would
	// match such a stale answer to a fresh send time (a liveness lease counted from the
	// wrong send — found by a sweep, P4 at lease 50ms).
	h.seq = env.Rand().Uint64() >> 1
	// Desynchronise the holders: each starts renewing at a seeded offset.
	env.After(env.Rand().Int64N(h.cfg.renew), sim.Message{Type: msgRenewTick})
	if env.Resource() != sim.NoNode {
		env.After(env.Rand().Int64N(h.cfg.writeEvery)+1, sim.Message{Type: msgWriteTick})
	}
}

// Step handles a message; the kernel calls StepMessage instead.
func (h *holder) Step(env *sim.Env, m sim.Message) { h.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (h *holder) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgRenewTick:
		if h.cfg.mutant == MutantNeverRetries && h.epoch != 0 && !h.valid(env) {
			return // gave up for good: no more requests, no more ticks
		}
		h.ask(env)
		env.After(h.cfg.renew, sim.Message{Type: msgRenewTick})
	case msgWriteTick:
		if h.valid(env) {
			var token uint64
			if h.cfg.fenced {
				token = h.epoch
			}
			resource.Write(env, h.epoch, token)
		}
		env.After(h.cfg.writeEvery, sim.Message{Type: msgWriteTick})
	case msgGrant:
		h.granted(env, m)
	case msgDeny:
		h.denied(env, m)
	}
}

// valid reports whether the holder believes it leads now.
func (h *holder) valid(env *sim.Env) bool {
	return h.epoch != 0 && (h.forever || env.Read(h.clock) < h.deadline)
}

// ask sends a request: a renewal or an attempt to acquire, or — in version mode, after
// the same version has been seen unchanged for lease + guard — a takeover.
func (h *holder) ask(env *sim.Env) {
	h.seq++
	now := env.Mono()
	h.remember(now)
	m := sim.Message{Type: msgRequest, To: h.q, Seq: h.seq, Epoch: h.epoch}
	if h.cfg.expiry == expiryVersion && !h.valid(env) && h.haveSeen &&
		now-h.seenAt >= h.cfg.lease+h.cfg.holderGuard() {
		m.Type, m.Time = msgTakeover, int64(h.seenVersion)
	}
	env.Send(m)
}

// renewLiveness extends the holder's liveness lease from a reply to the request sent at
// tSend: any reply shows Q counted it alive then.
func (h *holder) renewLiveness(env *sim.Env, tSend int64) {
	d := tSend + h.window
	if d > h.live && d > env.Mono() {
		h.live = d
		env.Claim(h.liveName, 1, sim.Mono, d)
	}
}

func (h *holder) granted(env *sim.Env, m *sim.Message) {
	tSend, ok := h.sentAt(m.Seq, env.Mono())
	if !ok || m.Epoch < h.epoch {
		return // too old to trust its send time, or a grant of an older epoch
	}
	h.renewLiveness(env, tSend)
	h.haveSeen = false
	guard := h.cfg.holderGuard()
	clock, deadline := sim.Mono, tSend+h.cfg.lease-guard
	switch {
	case h.cfg.mutant == MutantGrantReceipt:
		deadline = env.Mono() + h.cfg.lease - guard
	case h.cfg.mutant == MutantIssuerTime:
		deadline = m.Time + h.cfg.lease - guard
	case h.cfg.expiry == expiryTimestamp:
		clock, deadline = sim.Wall, m.Time-guard
	}
	if m.Epoch == h.epoch && clock == h.clock && deadline < h.deadline {
		deadline = h.deadline // a late answer to an older request never shortens the lease
	}
	h.epoch, h.clock, h.deadline = m.Epoch, clock, deadline
	if h.cfg.mutant == MutantIgnoresExpiry {
		h.forever = true
		env.ClaimForever(history.LeaderLease, h.epoch)
		return
	}
	if env.Read(clock) < deadline {
		env.Claim(history.LeaderLease, h.epoch, clock, deadline)
	}
}

func (h *holder) denied(env *sim.Env, m *sim.Message) {
	if tSend, ok := h.sentAt(m.Seq, env.Mono()); ok {
		h.renewLiveness(env, tSend)
	}
	if m.Subject != sim.NoNode && m.Subject != env.ID() && h.epoch != 0 && h.epoch < m.Epoch {
		// Someone else owns a newer epoch: step down now rather than at the deadline.
		h.forever = false
		h.deadline = 0
		env.Release(history.LeaderLease)
	}
	if h.cfg.expiry == expiryVersion {
		v := uint64(m.Time)
		if !h.haveSeen || v != h.seenVersion {
			h.seenVersion, h.seenAt, h.haveSeen = v, env.Mono(), true
		}
	}
}

// sentAt returns when request seq was sent, if it was sent within the last lease - guard
// of the holder's monotonic clock, which reads now. Entries older than that may still be
// kept (only an ask prunes them, in remember); their age excludes them here.
//
// Any answer to such a request is usable, however many requests were sent since: under
// a slow link (renew 200ms, requests delayed 4s) every grant answers a request some
// twenty renewals old, and a holder that kept only its last few send times dropped them
// all, so nobody led while Q kept renewing (lease-slow-link). The window is a memory
// bound, not a safety condition. Safety: Q granted (or renewed) at some true time g after
// the request left at true time t_s, so Q frees the lease no earlier than lease + guard
// on Q's clock after g. The holder claims until t_s + lease - guard on its own clock;
// with rates within 1 ± ρ that ends by true time t_s + (lease-guard)/(1-ρ) and Q frees it
// no earlier than g + (lease+guard)/(1+ρ) >= t_s + (lease+guard)/(1+ρ), later whenever
// guard >= lease·ρ (MinGuard) — whatever the age of the request, and whether the grant
// is its first answer, a duplicate or a reordered one. A request older than
// lease - guard could only yield a deadline already past (the liveness lease likewise),
// so forgetting it loses nothing: the rule "usable iff sent within the last
// lease - guard" is the most permissive one that counts from the send.
func (h *holder) sentAt(seq uint64, now int64) (int64, bool) {
	if len(h.sent) == 0 || seq == 0 {
		return 0, false
	}
	if e := h.sent[seq&uint64(len(h.sent)-1)]; e.seq == seq && now-e.at < h.window {
		return e.at, true
	}
	return 0, false
}

// remember records that request h.seq leaves now. The entry it replaces in the ring is
// a request sent len(sent) asks ago, hence lease - guard ago or more (which sentAt would
// not use); should it be more recent (asks closer than renew apart), the ring doubles
// first.
func (h *holder) remember(now int64) {
	if len(h.sent) == 0 {
		h.growSent(now, 16)
	} else if e := h.sent[h.seq&uint64(len(h.sent)-1)]; e.seq != 0 && now-e.at < h.window {
		h.growSent(now, 2*len(h.sent))
	}
	h.sent[h.seq&uint64(len(h.sent)-1)] = sentReq{seq: h.seq, at: now}
}

// growSent makes the ring n long (a power of two), keeping the requests sent within the
// window: their Seqs are consecutive, so they do not collide.
func (h *holder) growSent(now int64, n int) {
	old := h.sent
	h.sent = make([]sentReq, n)
	for _, e := range old {
		if e.seq != 0 && now-e.at < h.window {
			h.sent[e.seq&uint64(n-1)] = e
		}
	}
}
