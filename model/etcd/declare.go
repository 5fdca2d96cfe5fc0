package etcd

import (
	"sync/atomic"

	"github.com/leasesim/leasesim/sim"
)

// declaredConfirmed counts the declarations made once a ReadIndex confirmed the node
// still led (confirmDeclared), over every run in the process, for the tests.
var declaredConfirmed atomic.Int64

// declaration is a failure the leader declares once raft confirms it still leads: the
// holder owner, and the context of the ReadIndex asked for it.
type declaration struct {
	owner string
	ctx   uint64
}

// declare declares holder owner failed: this node, leading, applied its own expiry
// revoke of owner's lease (proposed took ago, on its monotonic clock), freeing its
// election key. Declared at once when no other node can have applied the revoke first
// (firstToApply); else once a ReadIndex asked now confirms the node still leads, and
// only if owner has not registered again with a new lease by then.
//
// The wait is for a leader deposed without knowing it (paused, then handling the acks it
// queued): it may apply the revoke after a new leader did, answered the holder "lease not
// found" and granted it a new lease, on which the holder claims again; declaring the
// holder failed then is late, about a lease it has replaced (P4 would flag the new
// claim). A ReadIndex confirmed after the apply shows no later leader had been elected
// by it: the quorum that confirmed it, in this node's term, meets every quorum that could
// have voted for one. A node that loses leadership first declares nothing.
func (q *issuer) declare(env *sim.Env, owner string, took int64) {
	if q.firstToApply(took) {
		q.declareFailed(env, owner)
		return
	}
	q.nextReq++
	q.declaring = append(q.declaring, declaration{owner: owner, ctx: q.nextReq})
	q.readIndex(q.nextReq)
}

// firstToApply reports whether a revoke this node proposed took ago and applies now,
// leading, can have been applied by no other node first. Another node learns the revoke
// is committed from this one, or as a leader of a later term; that leader stored the
// revoke from this node (it must have it to win the votes), so its election clock
// restarted then, after the proposal, and it campaigns no sooner than raftNode's least
// threshold, max(1, ElectionTick/2) ticks, counted from the tick after (newThreshold):
// (that − 1) ticks, less 1% for the clocks' drift, is the window. A single node has no
// other leader.
func (q *issuer) firstToApply(took int64) bool {
	if len(q.raft.peers) == 1 {
		return true
	}
	window := int64(max(1, q.cfg.electionTicks/2)-1) * q.cfg.heartbeatTick
	return took < window-window/100
}

// confirmDeclared makes the declarations waiting for the ReadIndex with context ctx,
// which raft confirmed: of each holder that has no lease (it did not register again).
func (q *issuer) confirmDeclared(env *sim.Env, ctx uint64) {
	kept := q.declaring[:0]
	for _, d := range q.declaring {
		switch {
		case d.ctx != ctx:
			kept = append(kept, d)
		case q.raft.isLeader() && !q.hasLeaseOf(d.owner):
			q.declareFailed(env, d.owner)
			declaredConfirmed.Add(1)
		}
	}
	q.declaring = kept
}

// hasLeaseOf reports whether the store holds a lease client owner asked for.
func (q *issuer) hasLeaseOf(owner string) bool {
	for _, l := range q.st.leases {
		if l != nil && l.owner == owner {
			return true
		}
	}
	return false
}

func (q *issuer) declareFailed(env *sim.Env, owner string) {
	if id := env.Lookup(owner); id != sim.NoNode {
		env.DeclareFailed(id)
	}
}
