package etcd

import (
	"encoding/binary"

	"go.etcd.io/raft/v3"

	"github.com/leasesim/leasesim/sim"
)

// readLoop batches the leader's linearizable reads and KeepAlives into ReadIndex rounds,
// as etcd's server does (linearizableReadLoop in server/etcdserver/v3_server.go): one
// round is outstanding at a time; every request that arrived before a round started
// shares that round's ReadIndex and is served once the store has applied the index it
// confirmed; requests that arrive during a round wait for the next, which starts when
// this one is done. etcd's LeaseRenew confirms leadership the same way (ensureLeadership
// calls linearizableReadNotify), so KeepAlives join the same rounds.
//
// A read served this way is linearizable: its round's ReadIndex was issued after the
// read arrived, so the confirmed index is at least the commit index when it arrived,
// and the read sees the store at or after that index.
type readLoop struct {
	// pending are the requests (ids in issuer.waiting) that wait for the next round.
	pending []uint64
	// ctx identifies the round outstanding (the ReadIndex request context); 0 for none.
	ctx uint64
	// round are the requests the outstanding round serves.
	round []uint64
	// confirmed: raft confirmed the round's leadership check at index; the round is
	// served once the store has applied index.
	confirmed bool
	index     uint64
}

// read queues request id for a ReadIndex round, starting one when none is outstanding.
func (q *issuer) read(id uint64) {
	q.rl.pending = append(q.rl.pending, id)
	if q.rl.ctx == 0 {
		q.startRound()
	}
}

// startRound takes every pending request into a new round and asks raft for its
// ReadIndex. The round's context is its first request's id (request ids are unique).
func (q *issuer) startRound() {
	rl := &q.rl
	rl.round, rl.pending = rl.pending, rl.round[:0]
	rl.ctx, rl.confirmed, rl.index = rl.round[0], false, 0
	q.raft.rn.ReadIndex(binary.BigEndian.AppendUint64(nil, rl.ctx))
}

// readReady records the outstanding round's confirmed index.
func (q *issuer) readReady(env *sim.Env, rs raft.ReadState) {
	if len(rs.RequestCtx) != 8 || q.rl.ctx == 0 || binary.BigEndian.Uint64(rs.RequestCtx) != q.rl.ctx {
		return
	}
	q.rl.confirmed, q.rl.index = true, rs.Index
}

// serveRound answers the outstanding round's requests once the store has applied its
// index, then starts the next round if requests are pending.
func (q *issuer) serveRound(env *sim.Env) {
	rl := &q.rl
	if rl.ctx == 0 || !rl.confirmed || rl.index > q.raft.applied {
		return
	}
	for _, id := range rl.round {
		cr, ok := q.waiting[id]
		if !ok {
			continue // forgotten (expire's sweep)
		}
		delete(q.waiting, id)
		if cr.req.Method == methodKeepAlive && q.expired(env, cr.req.Lease) {
			// As etcd's Renew: a lease that expired here may be on its way to being
			// revoked; answer once the revoke has applied, not before.
			q.parked[cr.req.Lease] = append(q.parked[cr.req.Lease], cr)
			continue
		}
		q.reply(env, cr.from, cr.seq, q.serveRead(env, cr.req))
	}
	rl.ctx, rl.round = 0, rl.round[:0]
	if len(rl.pending) > 0 && q.raft.isLeader() {
		q.startRound()
	}
}

// dropReads forgets the pending requests, and the outstanding round unless raft has
// confirmed it, when the node's role changes: raft drops a ReadIndex in flight with the
// leadership, and those requests are not answered (their clients time out and ask
// again), as before reads were batched. A confirmed round is still served once its
// index has applied, as etcd's read loop does.
func (q *issuer) dropReads() {
	if !q.rl.confirmed {
		q.rl.ctx, q.rl.round = 0, q.rl.round[:0]
	}
	q.rl.pending = q.rl.pending[:0]
}
