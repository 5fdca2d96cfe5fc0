package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/leasesim/leasesim/history"
)

// Env is a node's view of the world and its only way to act on it: read its own clocks,
// send messages, set timers in its own monotonic time, claim and release leases, and
// record what the history needs (accepted writes, issuer decisions, client operations).
// The kernel hands a node its Env on every call; a node must not keep it across calls or
// use another node's Env.
type Env struct {
	s *Sim
	p *proc
}

// ID returns the node's own id.
func (e *Env) ID() NodeID { return e.p.id }

// Name returns the node's own name.
func (e *Env) Name() string { return e.p.spec.Name }

// NodeName returns the name of node id ("" for NoNode or an unknown id).
func (e *Env) NodeName(id NodeID) string {
	if p := e.s.procOf(id); p != nil {
		return p.spec.Name
	}
	return ""
}

// Lookup returns the id of the named node, or NoNode.
func (e *Env) Lookup(name string) NodeID {
	if id, ok := e.s.names[name]; ok {
		return id
	}
	return NoNode
}

// Holders returns the ids of the run's holders, in configuration order. The slice is
// shared: do not modify it.
func (e *Env) Holders() []NodeID { return e.s.holders }

// Issuers returns the ids of the run's issuers, in configuration order (shared).
func (e *Env) Issuers() []NodeID { return e.s.issuers }

// Resource returns the id of the resource node, or NoNode.
func (e *Env) Resource() NodeID { return e.s.resource }

// Mono returns the node's monotonic clock reading in nanoseconds.
func (e *Env) Mono() int64 { return e.p.clock.mono(e.s.now) }

// Wall returns the node's wall clock reading in nanoseconds.
func (e *Env) Wall() int64 { return e.p.clock.wall(e.s.now) }

// Read returns the reading of the node's clock k.
func (e *Env) Read(k ClockKind) int64 { return e.p.clock.read(k, e.s.now) }

// Send sends m to m.To (From is set by the kernel). It leaves after the node's processing
// delay and then crosses the network, which may delay, lose, duplicate or reorder it.
func (e *Env) Send(m Message) { e.s.emit(e.p, &m) }

// After sets a timer: m comes back to the node's Step when its monotonic clock has
// advanced by d nanoseconds. A crash cancels every timer.
func (e *Env) After(d int64, m Message) TimerID { return e.s.setTimer(e.p, d, &m) }

// Cancel cancels a pending timer; it reports whether the timer was still pending.
func (e *Env) Cancel(id TimerID) bool { return e.s.timers.cancel(e.p.id, id) }

// Rand returns the node's own random stream (seeded from the run's seed and the node's
// name; it continues across restarts).
func (e *Env) Rand() *rand.Rand { return e.p.rng }

// Claim records that the node believes it holds lease under epoch until its clock k
// reads until. Calling it again for the same lease and epoch renews the claim (moves the
// deadline); a new epoch ends the old claim and starts a new one. The kernel turns the
// claim into an exact true-time interval for the history.
func (e *Env) Claim(lease string, epoch uint64, k ClockKind, until int64) {
	e.s.claim(e.p, lease, epoch, k, until, false)
}

// ClaimForever records a claim with no deadline: it ends only at Release, a crash, or the
// run's end. Protocols without leases (plain heartbeats) claim this way.
func (e *Env) ClaimForever(lease string, epoch uint64) {
	e.s.claim(e.p, lease, epoch, Mono, 0, true)
}

// Release ends the node's claim on lease, if any (it stepped down).
func (e *Env) Release(lease string) { e.s.release(e.p, lease) }

// Durable returns what the node saved with SetDurable; it survives crashes.
func (e *Env) Durable() any { return e.p.durable }

// SetDurable saves v as the node's durable state, as if written to disk synchronously.
func (e *Env) SetDurable(v any) { e.p.durable = v }

// RecordWrite records that this node (the resource) processed the write m — accepted or
// rejected — with the epoch and token m carries.
func (e *Env) RecordWrite(m Message, accepted bool) {
	e.s.hist.Writes = append(e.s.hist.Writes, history.Write{
		Writer: e.NodeName(m.From), Epoch: m.Epoch, Token: m.Token,
		Sent: m.sent, At: e.s.now, Accepted: accepted,
	})
	if e.s.tracer != nil { // the line is only formatted for a trace
		e.s.traceNote(e.p.id, fmt.Sprintf("write from %s epoch=%d token=%d accepted=%v", e.NodeName(m.From), m.Epoch, m.Token, accepted))
	}
}

// DeclareFailed records that this node (an issuer) declared node failed and acted on it.
func (e *Env) DeclareFailed(node NodeID) { e.status(node, history.StatusDeclaredFailed) }

// Promoted records that this node (an issuer) made node the leader.
func (e *Env) Promoted(node NodeID) { e.status(node, history.StatusPromoted) }

// Expired records that this node (an issuer) expired node's lease, which node claims as
// lease under epoch, and acted on it (deleted the keys it kept alive).
func (e *Env) Expired(node NodeID, lease string, epoch uint64) {
	e.s.hist.Statuses = append(e.s.hist.Statuses, history.Status{
		Issuer: e.p.spec.Name, Node: e.NodeName(node), Kind: history.StatusExpired, At: e.s.now, Lease: lease, Epoch: epoch,
	})
	if e.s.tracer != nil {
		e.s.traceNote(e.p.id, fmt.Sprintf("%s %s %s epoch=%d", history.StatusExpired, e.NodeName(node), lease, epoch))
	}
}

func (e *Env) status(node NodeID, k history.StatusKind) {
	e.s.hist.Statuses = append(e.s.hist.Statuses, history.Status{
		Issuer: e.p.spec.Name, Node: e.NodeName(node), Kind: k, At: e.s.now,
	})
	if e.s.tracer != nil {
		e.s.traceNote(e.p.id, fmt.Sprintf("%s %s", k, e.NodeName(node)))
	}
}

// OpID names a client operation in flight.
type OpID int32

// Invoke records the call of a client operation by this node (the client) now; op's
// Client, Call and Return are filled in by the kernel.
func (e *Env) Invoke(op history.Op) OpID {
	i, p := e.s.ops.next(e.s.now)
	*p = op
	p.Client, p.Call, p.Return = e.p.spec.Name, e.s.now, history.Forever
	return OpID(i)
}

// Complete records that the operation id returned now with the results in result
// (its call fields are kept from Invoke).
func (e *Env) Complete(id OpID, result history.Op) {
	op := e.s.ops.at(int(id))
	if op == nil {
		return
	}
	if op.Return != history.Forever {
		return // already completed
	}
	// Field by field, in place (an operation is 176 bytes): the call's fields stay
	// unless result has its own, the results are result's. TestCompleteKeepsCallFields
	// fails when Op gains a field this does not copy.
	op.Return = e.s.now
	if result.Key != "" {
		op.Key = result.Key
	}
	if result.Value != "" {
		op.Value = result.Value
	}
	if result.Lease != 0 {
		op.Lease = result.Lease
	}
	if result.TTL != 0 {
		op.TTL = result.TTL
	}
	if result.Expect != 0 {
		op.Expect = result.Expect
	}
	op.Ok, op.Found, op.OutValue, op.OutLease = result.Ok, result.Found, result.OutValue, result.OutLease
	op.OutTTL, op.Revision, op.Err = result.OutTTL, result.Revision, result.Err
}

// Tracing reports whether a transcript is being written, so that a node can skip
// formatting notes nobody reads.
func (e *Env) Tracing() bool { return e.s.tracer != nil }

// Logf adds a note from this node to the transcript (if one is being written).
func (e *Env) Logf(format string, args ...any) {
	if e.s.tracer != nil {
		e.s.traceNote(e.p.id, fmt.Sprintf(format, args...))
	}
}
