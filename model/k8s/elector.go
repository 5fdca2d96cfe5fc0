package k8s

import (
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// phase is where an attempt stands: one request at a time is in flight, as client-go's
// elector calls the API synchronously.
type phase uint8

const (
	idle     phase = iota
	renewing       // the leader's optimistic update with the revision it saw last
	getting        // reading the record
	updating       // creating or updating the record with the revision just read
)

// elector is a holder running client-go's LeaderElector against the Lease object:
//
//   - A candidate tries every RetryPeriod plus up to 1.2 RetryPeriod of jitter: it reads
//     the record; if another holder holds it and the record has changed within the last
//     LeaseDuration of the candidate's own monotonic clock (counted from when the
//     candidate saw it change, where a change is one that shows at whole seconds, as
//     client-go compares the marshalled record), it waits; otherwise it writes itself in with a
//     compare-and-swap on the revision it read.
//   - The leader renews in rounds: a round starts RetryPeriod after the last success and
//     tries every RetryPeriod, first optimistically with the revision it saw last, then
//     by reading the record again. A round that has not succeeded RenewDeadline after it
//     started ends the leadership. So the leader counts on leading until RetryPeriod +
//     RenewDeadline after its last success, on its own clock.
//
// Safety rests on LeaseDuration exceeding RetryPeriod + RenewDeadline by more than the
// time between a renewal's commit and the leader learning of it, and by more than the
// clocks' rate difference over those intervals.
type elector struct {
	cfg     *config
	issuers []sim.NodeID
	target  int
	// seq numbers requests; only the answer to the latest one is taken.
	seq   uint64
	phase phase
	op    sim.OpID
	// value is the record being written.
	value string
	// gen numbers attempt schedules: a timer of an older one is ignored.
	gen uint64
	// The record as last seen: its value, revision and when it was seen to change.
	observedValue string
	observedRev   int64
	observedTime  int64
	observed      bool
	leading       bool
	epoch         uint64
	// deadline is the end of the current renew round on the monotonic clock.
	deadline int64
}

func (e *elector) Start(env *sim.Env) {
	e.issuers = env.Issuers()
	e.target = env.Rand().IntN(len(e.issuers))
	// Request numbers start at a random point in every incarnation, so that an answer to
	// a previous incarnation's request is never taken for a new one's.
	e.seq = env.Rand().Uint64() >> 1
	e.schedule(env, env.Rand().Int64N(e.cfg.retryPeriod)+1)
	if env.Resource() != sim.NoNode {
		env.After(env.Rand().Int64N(e.cfg.writeEvery)+1, sim.Message{Type: msgWriteTick})
	}
}

// Step handles a message; the kernel calls StepMessage instead.
func (e *elector) Step(env *sim.Env, m sim.Message) { e.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (e *elector) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgAttempt:
		if m.Seq == e.gen && e.phase == idle {
			e.attempt(env)
		}
	case msgTimeout:
		if m.Seq == e.seq && e.phase != idle {
			e.timedOut(env)
		}
	case msgDeadline:
		if e.leading && e.cfg.mutant != MutantIgnoresRenewDeadline && env.Mono() >= e.deadline {
			e.stepDown(env)
			e.abandon()
			e.schedule(env, e.candidateWait(env))
		}
	case msgWriteTick:
		if e.valid(env) {
			resource.Write(env, e.epoch, 0)
		}
		env.After(e.cfg.writeEvery, sim.Message{Type: msgWriteTick})
	case etcd.MsgResponse:
		resp, ok := m.Payload.(*etcd.Response)
		if ok && m.Seq == e.seq && e.phase != idle {
			e.answered(env, resp)
		}
	}
}

// valid reports whether the elector believes it leads now.
func (e *elector) valid(env *sim.Env) bool {
	return e.leading && (e.cfg.mutant == MutantIgnoresRenewDeadline || env.Mono() < e.deadline)
}

// schedule arranges the next attempt after d, superseding any arranged before.
func (e *elector) schedule(env *sim.Env, d int64) {
	e.gen++
	env.After(d, sim.Message{Type: msgAttempt, Seq: e.gen})
}

// candidateWait is a candidate's wait between attempts: wait.JitterUntil(RetryPeriod,
// JitterFactor 1.2).
func (e *elector) candidateWait(env *sim.Env) int64 {
	return e.cfg.retryPeriod + env.Rand().Int64N(int64(jitterFactor*float64(e.cfg.retryPeriod))+1)
}

// attempt is client-go's tryAcquireOrRenew: the leader first updates optimistically with
// the revision it saw last; everyone else (and the leader when that fails) reads first.
func (e *elector) attempt(env *sim.Env) {
	if e.leading && e.observedRev != 0 {
		e.value = e.next(env).encode()
		e.send(env, renewing, &etcd.Request{Method: etcd.MethodCAS, Key: leaseKey, Value: e.value, Rev: e.observedRev})
		return
	}
	e.readRecord(env)
}

// readRecord reads the Lease object.
func (e *elector) readRecord(env *sim.Env) {
	e.send(env, getting, &etcd.Request{Method: etcd.MethodGet, Key: leaseKey})
}

// next is the record the elector writes: itself as holder, renewed now; the acquire time
// and transition count kept when it already holds the record.
func (e *elector) next(env *sim.Env) record {
	r := record{holder: env.Name(), durationNS: e.cfg.leaseDuration, acquireWall: env.Wall(), renewWall: env.Wall()}
	if old, ok := parseRecord(e.observedValue); ok && e.observed {
		r.transitions = old.transitions
		if old.holder == env.Name() {
			r.acquireWall = old.acquireWall
		} else {
			r.transitions++
		}
	}
	return r
}

func (e *elector) send(env *sim.Env, p phase, r *etcd.Request) {
	e.phase = p
	e.seq++
	e.op = env.Invoke(history.Op{Method: r.Method, Key: r.Key, Value: r.Value, Expect: r.Rev})
	env.Send(sim.Message{Type: etcd.MsgRequest, To: e.issuers[e.target], Seq: e.seq, Payload: r, AtMostOnce: true})
	env.After(e.cfg.requestTimeout, sim.Message{Type: msgTimeout, Seq: e.seq})
}

func (e *elector) answered(env *sim.Env, resp *etcd.Response) {
	env.Complete(e.op, history.Op{Ok: resp.Ok, Found: resp.Found, OutValue: resp.Value, Revision: resp.ModRev, Err: resp.Err})
	p := e.phase
	e.phase = idle
	if resp.Err == etcd.ErrNotLeader {
		e.redirect(resp.Leader)
		if p == renewing {
			e.readRecord(env) // the optimistic update failed: read, at the node named
			return
		}
		e.failed(env)
		return
	}
	switch p {
	case renewing:
		if resp.Ok {
			e.succeeded(env, resp.ModRev)
			return
		}
		e.readRecord(env)
	case getting:
		if !resp.Ok {
			e.failed(env)
			return
		}
		e.read(env, resp)
	case updating:
		if resp.Ok {
			e.succeeded(env, resp.ModRev)
			return
		}
		e.failed(env)
	}
}

// read acts on the record read: wait while another holder's lease runs, else write.
func (e *elector) read(env *sim.Env, resp *etcd.Response) {
	now := env.Mono()
	if !resp.Found {
		e.observedValue, e.observedRev, e.observed = "", 0, false
		e.value = e.next(env).encode()
		e.send(env, updating, &etcd.Request{Method: etcd.MethodCAS, Key: leaseKey, Value: e.value})
		return
	}
	// The record counts as changed, restarting the LeaseDuration wait, only when it reads
	// differently at client-go's whole-second resolution (sameAsMarshalled): renewals
	// within one wall second of the leader look the same, and the wait runs on from the
	// first of them seen.
	if !e.observed || !sameAsMarshalled(resp.Value, e.observedValue) {
		e.observedValue, e.observedTime, e.observed = resp.Value, now, true
	}
	e.observedRev = resp.ModRev
	rec, _ := parseRecord(resp.Value)
	if rec.holder != "" && rec.holder != env.Name() && e.held(env, rec) {
		e.stepDown(env) // another holder has it: the leader learns it lost the lease
		e.failed(env)
		return
	}
	e.value = e.next(env).encode()
	e.send(env, updating, &etcd.Request{Method: etcd.MethodCAS, Key: leaseKey, Value: e.value, Rev: resp.ModRev})
}

// held reports whether the record's holder may still hold the lease: it changed less than
// LeaseDuration ago by the elector's own clock (client-go's isLeaseValid).
func (e *elector) held(env *sim.Env, rec record) bool {
	if e.cfg.mutant == MutantTrustsRemoteTimestamps {
		return env.Wall() < rec.renewWall+rec.durationNS
	}
	return env.Mono() < e.observedTime+rec.durationNS
}

// succeeded records a successful acquire or renew: the record is the elector's, seen
// now; it leads until RetryPeriod + RenewDeadline from now, when the round that starts a
// RetryPeriod from now would give up.
func (e *elector) succeeded(env *sim.Env, rev int64) {
	now := env.Mono()
	e.observedValue, e.observedRev, e.observedTime, e.observed = e.value, rev, now, true
	if !e.leading {
		e.leading, e.epoch = true, uint64(rev)
	}
	e.deadline = now + e.cfg.leadFor()
	if e.cfg.mutant == MutantIgnoresRenewDeadline {
		env.ClaimForever(history.LeaderLease, e.epoch)
	} else {
		env.Claim(history.LeaderLease, e.epoch, sim.Mono, e.deadline)
		env.After(e.deadline-now, sim.Message{Type: msgDeadline})
	}
	e.schedule(env, e.cfg.retryPeriod)
}

// failed ends an attempt that did not succeed: the leader tries again a RetryPeriod
// later within its round; a candidate after RetryPeriod plus jitter.
func (e *elector) failed(env *sim.Env) {
	if e.leading {
		e.schedule(env, e.cfg.retryPeriod)
		return
	}
	e.schedule(env, e.candidateWait(env))
}

// timedOut abandons the request in flight (its operation stays pending) and turns to the
// next issuer node; a timed-out optimistic renewal falls back to reading.
func (e *elector) timedOut(env *sim.Env) {
	p := e.phase
	e.abandon()
	e.redirect(sim.NoNode)
	if p == renewing {
		e.readRecord(env)
		return
	}
	e.failed(env)
}

// abandon forgets the request in flight: a late answer to it is ignored.
func (e *elector) abandon() {
	e.phase = idle
	e.seq++
}

// redirect turns to the issuer node a non-leader named, or to the next one.
func (e *elector) redirect(leader sim.NodeID) {
	for i, q := range e.issuers {
		if q == leader {
			e.target = i
			return
		}
	}
	e.target = (e.target + 1) % len(e.issuers)
}

func (e *elector) stepDown(env *sim.Env) {
	if e.leading {
		e.leading = false
		e.observedRev = 0
		env.Release(history.LeaderLease)
	}
}
