package redlock

import "github.com/leasesim/leasesim/sim"

// key is the lock's key on one issuer: the value of the holder that set it and when it
// expires on the issuer's WALL clock, as Redis keeps a key's expiry as a Unix time (a
// step of the issuer's wall clock moves every expiry).
type key struct {
	value   uint64
	expires int64 // wall clock
	set     bool
}

// issuer is one of the independent instances Q1..Qn: it knows nothing of the others.
type issuer struct {
	cfg *config
	key key
	// counter is the issuer's grant counter (durable): it grows by one with every grant
	// that (re)creates the key, and to every token committed to it (fencing only needs it
	// to grow; see the package doc).
	counter uint64
	// refuseUntil: after a restart the issuer grants nothing until ttl has passed on its
	// monotonic clock (antirez's delayed restart), since the keys it forgot may still be
	// counted on by a holder.
	refuseUntil int64
	restarted   bool
}

func newIssuer(cfg *config) *issuer { return &issuer{cfg: cfg} }

func (q *issuer) Start(env *sim.Env) {
	if c, ok := env.Durable().(uint64); ok {
		q.counter = c
		q.restarted = true
		q.refuseUntil = env.Mono() + q.cfg.ttl
	}
}

// live reports whether the key is set and not expired on the issuer's wall clock.
func (q *issuer) live(env *sim.Env) bool { return q.key.set && env.Wall() < q.key.expires }

// Step handles a message; the kernel calls StepMessage instead.
func (q *issuer) Step(env *sim.Env, m sim.Message) { q.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (q *issuer) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgAcquire:
		q.acquire(env, m)
	case msgRelease:
		if q.live(env) && q.key.value == m.Token {
			q.key = key{}
		}
	case msgCommit:
		reply := sim.Message{Type: msgNotCommitted, To: m.From, Seq: m.Seq}
		if q.live(env) && q.key.value == m.Token {
			q.bump(env, m.Epoch)
			reply.Type = msgCommitted
		}
		env.Send(reply)
	}
}

// acquire sets the key to the request's value if it is free (absent or expired) or
// already holds that value (an extension), for ttl on the issuer's wall clock.
func (q *issuer) acquire(env *sim.Env, m *sim.Message) {
	if q.restarted && env.Mono() < q.refuseUntil {
		env.Send(sim.Message{Type: msgRefused, To: m.From, Seq: m.Seq})
		return
	}
	live := q.live(env)
	if live && q.key.value != m.Token {
		env.Send(sim.Message{Type: msgRefused, To: m.From, Seq: m.Seq})
		return
	}
	if !live {
		q.bump(env, q.counter+1)
	}
	q.key = key{value: m.Token, expires: env.Wall() + q.cfg.ttl, set: true}
	env.Send(sim.Message{Type: msgGranted, To: m.From, Seq: m.Seq, Epoch: q.counter})
}

// bump raises the counter to at least c and saves it.
func (q *issuer) bump(env *sim.Env, c uint64) {
	if c > q.counter {
		q.counter = c
		env.SetDurable(q.counter)
	}
}
