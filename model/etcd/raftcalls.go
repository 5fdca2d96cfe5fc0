package etcd

import (
	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// rawNode is the go.etcd.io/raft RawNode an issuer node drives. Every call the driver
// (raftnode.go, readloop.go, issuer.go) makes into raft keeps pending and, while a
// recording is on (raftRecording, for BenchmarkRaftFloor), is recorded: Campaign,
// Propose, ReadIndex, HasReady and BasicStatus are RawNode's own, wrapped; the hot calls
// of raftNode (Tick, Step, Ready, Advance: several per event) go to the RawNode
// directly, each followed by its record (tick, step, hasReady, ready, advance), since a
// method wrapping a call into raft is more than Go inlines. Not recording, a call costs
// a nil check more. A call into raft that is not recorded makes a replay differ from its
// run, which TestRaftReplayIsFaithful sees.
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

// tick records a Tick; quiet: the driver takes it to make no Ready (raftNode.tick).
func (r *rawNode) tick(quiet bool) {
	if r.rec != nil {
		r.rec.add(raftCall{op: opTick, node: r.node, has: quiet})
	}
}

// step records a Step of m, the message the network delivered (raft is given
// received(m)).
func (r *rawNode) step(m *pb.Message) {
	if r.rec != nil {
		r.rec.step(r.node, m)
	}
}

// hasReady records what HasReady answered.
func (r *rawNode) hasReady(has bool) {
	if r.rec != nil {
		r.rec.add(raftCall{op: opHasReady, node: r.node, has: has})
	}
}

// ready records a Ready.
func (r *rawNode) ready(rd *raft.Ready) {
	if r.rec != nil {
		r.rec.ready(r.node, rd)
	}
}

// advance records an Advance.
func (r *rawNode) advance() {
	if r.rec != nil {
		r.rec.add(raftCall{op: opAdvance, node: r.node})
	}
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
	r.hasReady(has)
	return has
}

// BasicStatus is RawNode.BasicStatus.
func (r *rawNode) BasicStatus() raft.BasicStatus {
	if r.rec != nil {
		r.rec.add(raftCall{op: opBasicStatus, node: r.node})
	}
	return r.RawNode.BasicStatus()
}
