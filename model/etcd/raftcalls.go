package etcd

import (
	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// rawNode is the go.etcd.io/raft RawNode an issuer node drives, through which every
// call the driver (raftnode.go, readloop.go, issuer.go) makes into raft goes: the
// RawNode's own methods, which also keep pending, and, while a recording is on
// (raftRecording, for the floor benchmark), a record of each call. Off, a call costs a
// nil check more.
type rawNode struct {
	*raft.RawNode
	// pending: raft may have a Ready, because it was called since HasReady last said it
	// had none. raft does nothing but when called, so without pending raftNode.process
	// need not ask (HasReady builds raft's SoftState and HardState to compare them):
	// most of an issuer node's events (its lessor's ticks, a follower's raft ticks,
	// requests a follower turns away) do not call raft.
	pending bool
	rec     *raftRecording
	node    int32 // this incarnation's index in rec.nodes
}

// Tick is RawNode.Tick.
func (r *rawNode) Tick() {
	r.pending = true
	if r.rec != nil {
		r.rec.add(raftCall{op: opTick, node: r.node})
	}
	r.RawNode.Tick()
}

// tickElection is RawNode.Tick on a node that is not leader and whose own election
// timer cannot fire (raftNode.tick): such a tick only counts towards that timer, and
// makes no Ready.
func (r *rawNode) tickElection() {
	if r.rec != nil {
		r.rec.add(raftCall{op: opTick, node: r.node, has: true})
	}
	r.RawNode.Tick()
}

// Step is RawNode.Step; m is the message the network delivered, and given is what raft
// is given for it (received).
func (r *rawNode) step(m, given *pb.Message) error {
	r.pending = true
	if r.rec != nil {
		r.rec.add(raftCall{op: opStep, node: r.node, msg: r.rec.sentIndex(m)})
	}
	return r.RawNode.Step(given)
}

// Campaign is RawNode.Campaign.
func (r *rawNode) Campaign() error {
	r.pending = true
	if r.rec != nil {
		r.rec.add(raftCall{op: opCampaign, node: r.node})
	}
	return r.RawNode.Campaign()
}

// Propose is RawNode.Propose.
func (r *rawNode) Propose(data []byte) error {
	r.pending = true
	if r.rec != nil {
		r.rec.add(raftCall{op: opPropose, node: r.node, data: data})
	}
	return r.RawNode.Propose(data)
}

// ReadIndex is RawNode.ReadIndex.
func (r *rawNode) ReadIndex(ctx []byte) {
	r.pending = true
	if r.rec != nil {
		r.rec.add(raftCall{op: opReadIndex, node: r.node, data: ctx})
	}
	r.RawNode.ReadIndex(ctx)
}

// HasReady is RawNode.HasReady.
func (r *rawNode) HasReady() bool {
	has := r.RawNode.HasReady()
	if r.rec != nil {
		r.rec.add(raftCall{op: opHasReady, node: r.node, has: has})
	}
	return has
}

// Ready is RawNode.Ready.
func (r *rawNode) Ready() raft.Ready {
	rd := r.RawNode.Ready()
	if r.rec != nil {
		r.rec.ready(r.node, rd)
	}
	return rd
}

// Advance is RawNode.Advance.
func (r *rawNode) Advance(rd raft.Ready) {
	if r.rec != nil {
		r.rec.add(raftCall{op: opAdvance, node: r.node})
	}
	r.RawNode.Advance(rd)
}

// BasicStatus is RawNode.BasicStatus.
func (r *rawNode) BasicStatus() raft.BasicStatus {
	if r.rec != nil {
		r.rec.add(raftCall{op: opBasicStatus, node: r.node})
	}
	return r.RawNode.BasicStatus()
}
