package redlock

import (
	"slices"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// round is one request to every issuer (an acquisition, an extension or a commit) and
// the replies it has had.
type round struct {
	seq              uint64
	start            int64 // the holder's monotonic reading when the requests left
	ext              bool  // an extension of a lock held
	replies, granted int
	maxCounter       uint64
	open             bool
	// from lists the issuers that replied: a duplicated reply (the network may deliver a
	// message twice) must not count twice.
	from []sim.NodeID
}

// first reports whether this is the first reply of issuer q to the round, and notes it.
func (r *round) first(q sim.NodeID) bool {
	if slices.Contains(r.from, q) {
		return false
	}
	r.from = append(r.from, q)
	return true
}

// holder is a client that wants the lock all the time: it acquires, extends every renew
// while it holds, and retries after a random delay when it fails.
type holder struct {
	cfg *config
	seq uint64
	// value is the random value of the holder's current lock (0: none); token the
	// lock's fencing token (the largest grant counter of its majority), committed
	// whether a majority has acknowledged the token (writes wait for it).
	value     uint64
	token     uint64
	holding   bool
	deadline  int64 // monotonic: the lock is valid while the clock reads less
	committed bool
	try       round
	commit    round
}

func newHolder(cfg *config) *holder { return &holder{cfg: cfg} }

func (h *holder) Start(env *sim.Env) {
	// A random starting sequence number per incarnation: late replies to a previous
	// incarnation's requests must not match this one's.
	h.seq = env.Rand().Uint64() >> 1
	h.retryLater(env)
	if env.Resource() != sim.NoNode {
		env.After(env.Rand().Int64N(h.cfg.writeEvery)+1, sim.Message{Type: msgWriteTick})
	}
}

// retryLater schedules an attempt after a delay drawn uniformly in (0, retry_delay].
func (h *holder) retryLater(env *sim.Env) {
	env.After(env.Rand().Int64N(h.cfg.retryDelay)+1, sim.Message{Type: msgTryTick})
}

// valid reports whether the holder's lock is still valid on its clock.
func (h *holder) valid(env *sim.Env) bool { return h.holding && env.Mono() < h.deadline }

// Step handles a message; the kernel calls StepMessage instead.
func (h *holder) Step(env *sim.Env, m sim.Message) { h.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (h *holder) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgTryTick:
		h.attempt(env)
	case msgGranted, msgRefused:
		if h.try.open && m.Seq == h.try.seq && h.try.first(m.From) {
			h.try.replies++
			if m.Type == msgGranted {
				h.try.granted++
				h.try.maxCounter = max(h.try.maxCounter, m.Epoch)
			}
			if h.try.replies == h.cfg.n {
				h.decide(env)
			}
		}
	case msgDecideTick:
		if h.try.open && m.Seq == h.try.seq {
			h.decide(env)
		}
	case msgCommitted, msgNotCommitted:
		if h.commit.open && m.Seq == h.commit.seq && h.commit.first(m.From) {
			h.commit.replies++
			if m.Type == msgCommitted {
				h.commit.granted++
			}
			if h.commit.granted >= h.cfg.majority {
				h.committed = true
				h.commit.open = false
			} else if h.commit.replies == h.cfg.n {
				h.commit.open = false
			}
		}
	case msgCommitTick:
		if h.commit.open && m.Seq == h.commit.seq {
			h.commit.open = false
		}
	case msgWriteTick:
		if h.valid(env) && h.committed {
			resource.Write(env, h.token, h.token)
		}
		env.After(h.cfg.writeEvery, sim.Message{Type: msgWriteTick})
	}
}

// attempt sends a SET to every issuer: an extension with the lock's value while the lock
// is valid, otherwise an acquisition with a fresh random value (releasing the keys of a
// lock that ran out first).
func (h *holder) attempt(env *sim.Env) {
	ext := h.valid(env)
	if !ext {
		h.dropLock(env)
		h.value = env.Rand().Uint64() | 1
	}
	h.seq++
	h.try = round{seq: h.seq, start: env.Mono(), ext: ext, open: true, from: h.try.from[:0]}
	for _, q := range env.Issuers() {
		env.Send(sim.Message{Type: msgAcquire, To: q, Seq: h.seq, Token: h.value})
	}
	env.After(h.cfg.timeout, sim.Message{Type: msgDecideTick, Seq: h.seq})
}

// decide closes an attempt once every issuer replied or the timeout passed: the lock is
// held when a majority granted and validity = ttl − elapsed − drift allowance is
// positive, that is until start + ttl − drift on the holder's monotonic clock.
func (h *holder) decide(env *sim.Env) {
	h.try.open = false
	now := env.Mono()
	from := h.try.start
	if h.cfg.mutant == MutantFromReply {
		from = now
	}
	deadline := from + h.cfg.ttl - h.cfg.drift()
	if h.try.granted >= h.cfg.majority && now < deadline {
		if !h.try.ext {
			h.holding, h.token, h.committed = true, h.try.maxCounter, false
		}
		h.deadline = max(h.deadline, deadline)
		env.Claim(history.LeaderLease, h.token, sim.Mono, h.deadline)
		if !h.committed && !h.commit.open {
			h.startCommit(env)
		}
		env.After(h.cfg.renew, sim.Message{Type: msgTryTick})
		return
	}
	if h.try.ext && h.valid(env) {
		// A failed extension: the lock stays valid until its deadline; try again soon.
		h.retryLater(env)
		return
	}
	// Release on failure: unlock every instance, then retry after a random delay.
	h.dropLock(env)
	h.retryLater(env)
}

// dropLock steps down and deletes the lock's keys on every issuer.
func (h *holder) dropLock(env *sim.Env) {
	if h.holding {
		env.Release(history.LeaderLease)
	}
	if h.value != 0 {
		for _, q := range env.Issuers() {
			env.Send(sim.Message{Type: msgRelease, To: q, Token: h.value})
		}
	}
	h.holding, h.committed, h.value, h.deadline = false, false, 0, 0
	h.commit.open = false
}

// startCommit sends the lock's token to every issuer; the token may be used for writes
// once a majority still holding the lock's key has raised its counter to it.
func (h *holder) startCommit(env *sim.Env) {
	h.seq++
	h.commit = round{seq: h.seq, start: env.Mono(), open: true, from: h.commit.from[:0]}
	for _, q := range env.Issuers() {
		env.Send(sim.Message{Type: msgCommit, To: q, Seq: h.seq, Token: h.value, Epoch: h.token})
	}
	env.After(h.cfg.timeout, sim.Message{Type: msgCommitTick, Seq: h.seq})
}
