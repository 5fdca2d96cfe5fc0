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

// add queues request id for a round. It returns the context of a round to ask raft a
// ReadIndex for when none was outstanding, else 0.
func (rl *readLoop) add(id uint64) uint64 {
	rl.pending = append(rl.pending, id)
	if rl.ctx != 0 {
		return 0
	}
	return rl.start()
}

// start takes every pending request into a new round and returns its context: its
// first request's id (request ids are unique).
func (rl *readLoop) start() uint64 {
	rl.round, rl.pending = rl.pending, rl.round[:0]
	rl.ctx, rl.confirmed, rl.index = rl.round[0], false, 0
	return rl.ctx
}

// confirm records that raft confirmed the round with context ctx at index; a context
// of no outstanding round is ignored.
func (rl *readLoop) confirm(ctx, index uint64) {
	if rl.ctx != 0 && ctx == rl.ctx {
		rl.confirmed, rl.index = true, index
	}
}

// done returns the requests of the outstanding round when it is confirmed and the store
// has applied its index, ending the round; else nil. The slice is valid until the next
// call of start.
func (rl *readLoop) done(applied uint64) []uint64 {
	if rl.ctx == 0 || !rl.confirmed || rl.index > applied {
		return nil
	}
	rl.ctx = 0
	return rl.round
}

// drop forgets the pending requests, and the outstanding round unless raft has
// confirmed it, when the node's role changes: raft drops a ReadIndex in flight with the
// leadership, and those requests are not answered (their clients time out and ask
// again), as before reads were batched. A confirmed round is still served once its
// index has applied, as etcd's read loop does.
func (rl *readLoop) drop() {
	if !rl.confirmed {
		rl.ctx, rl.round = 0, rl.round[:0]
	}
	rl.pending = rl.pending[:0]
}

// read queues request id for a ReadIndex round, starting one when none is outstanding
// (confirmed at once on a one-node raft: readsolo.go).
func (q *issuer) read(env *sim.Env, id uint64) {
	if ctx := q.rl.add(id); ctx != 0 && !q.soloRead(env, ctx) {
		q.readIndex(ctx)
	}
}

func (q *issuer) readIndex(ctx uint64) {
	q.raft.rn.ReadIndex(binary.BigEndian.AppendUint64(nil, ctx))
}

// readReady records the outstanding round's confirmed index, or makes the failure
// declarations that waited for this ReadIndex (declare.go).
func (q *issuer) readReady(env *sim.Env, rs raft.ReadState) {
	if len(rs.RequestCtx) == 8 {
		q.rl.confirm(binary.BigEndian.Uint64(rs.RequestCtx), rs.Index)
		q.confirmDeclared(env, binary.BigEndian.Uint64(rs.RequestCtx))
	}
}

// serveRound answers the outstanding round's requests once the store has applied its
// index, then starts the next round if requests are pending.
func (q *issuer) serveRound(env *sim.Env) {
	for _, id := range q.rl.done(q.raft.applied) {
		cr, ok := q.waiting.take(id)
		if !ok {
			continue // forgotten (expire's sweep)
		}
		if cr.req.Method == methodKeepAlive && q.expired(env, cr.req.Lease) {
			// As etcd's Renew: a lease that expired here may be on its way to being
			// revoked; answer once the revoke has applied, not before.
			q.parked[cr.req.Lease] = append(q.parked[cr.req.Lease], cr)
			continue
		}
		q.reply(env, cr.from, cr.seq, q.serveRead(env, cr.req))
	}
	if q.rl.ctx == 0 && len(q.rl.pending) > 0 && q.raft.isLeader() {
		q.readIndex(q.rl.start())
	}
}
