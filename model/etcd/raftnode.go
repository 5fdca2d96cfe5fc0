package etcd

import (
	"fmt"
	"sync/atomic"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"

	"github.com/leasesim/leasesim/sim"
)

// disk is an issuer node's durable state: raft's storage, written only while a Ready is
// handled (before its messages leave), so it holds exactly what was synced when the node
// crashes. The store is not on disk: a restarted node rebuilds it by applying the log.
type disk struct {
	storage *raft.MemoryStorage
}

// raftNode drives one go.etcd.io/raft RawNode from simulated time.
//
// Determinism: raft draws each follower's randomized election timeout from crypto/rand,
// which cannot be seeded. raftNode therefore never lets raft's own election timer fire:
// it counts, per node, the ticks since raft last reset its election clock (a message
// from the leader of the current term, a change of role, a campaign), and campaigns
// itself (RawNode.Campaign) when that count reaches a threshold drawn from the node's
// seeded stream in [ElectionTick/2, ElectionTick-1]. For a follower raft's own count is
// never above ours, so it stays below ElectionTick, the least timeout it can draw. The
// count errs only towards campaigning early, which PreVote makes harmless: a node in
// contact with a leader ignores pre-votes (CheckQuorum).
//
// A pre-candidate is the exception: raft resets its election clock neither on becoming
// one nor on a new pre-vote campaign, so a node cut off from the others, campaigning again
// and again, would reach raft's timeout. raftNode therefore also keeps raftElapsed, an
// upper bound of raft's own count, and stops ticking raft (a non-leader's tick does
// nothing else than count towards that timeout) once it reaches ElectionTick-1. A
// follower never gets there (its raftElapsed is its elapsed), and a (pre-)candidate has
// no leader, so the stopped clock changes nothing that raft shows but its own
// elections; TestRaftOwnElectionTimerNeverFires checks there are none.
type raftNode struct {
	id       uint64
	rn       rawNode
	disk     *disk
	peers    []sim.NodeID // raft id i is peers[i-1]
	elect    int          // raft ElectionTick
	elapsed  int          // ticks since raft surely reset its election clock or the node campaigned
	campaign int          // campaign when elapsed reaches this
	// raftElapsed: ticks since raft surely reset its election clock, counting those of a
	// pre-candidate (an upper bound of raft's count; raft is not ticked past ElectionTick-1)
	raftElapsed int
	state       raft.StateType
	lead        uint64
	applied     uint64 // the index of the last entry applied to the store
	watch       *electionWatch
	// term is raft's term as of the last Ready handled: raft's term whenever process has
	// handled every Ready, which it does at the end of every event the node handles.
	term uint64
	// commit is raft's commit index as of the last Ready handled (or, before any, as
	// raft started): raft's own whenever it has no Ready pending, since raft reports a
	// changed hard state in its next Ready (soloRead reads it instead of BasicStatus,
	// which allocates the hard state's fields).
	commit uint64
	// heard: the message step just gave raft came from a leader of the node's term or a
	// later one; process resets the election clock if raft is a follower after it.
	heard bool
}

// ownElections counts the elections raft started by itself (its own election timer, drawn
// from crypto/rand), over every node of every run in the process. raftNode's design keeps
// it at zero; TestRaftOwnElectionTimerNeverFires checks that.
var ownElections atomic.Int64

// electionWatch is a node's raft Logger: quiet, but it counts in ownElections each
// election raft starts while the node is not inside its own call to Campaign.
type electionWatch struct {
	quietLogger
	campaigning bool
}

// Infof sees raft's "starting a new election" line, logged by every election raft starts.
func (w *electionWatch) Infof(format string, _ ...interface{}) {
	if format == "%x is starting a new election at term %d" && !w.campaigning {
		ownElections.Add(1)
	}
}

// campaign starts an election on the node's behalf (RawNode.Campaign).
func (w *electionWatch) campaign(rn *rawNode) {
	w.campaigning = true
	_ = rn.Campaign()
	w.campaigning = false
}

// quietLogger discards raft's logging; raft's panics still panic.
type quietLogger struct{}

func (quietLogger) Debug(...interface{})            {}
func (quietLogger) Debugf(string, ...interface{})   {}
func (quietLogger) Error(...interface{})            {}
func (quietLogger) Errorf(string, ...interface{})   {}
func (quietLogger) Info(...interface{})             {}
func (quietLogger) Infof(string, ...interface{})    {}
func (quietLogger) Warning(...interface{})          {}
func (quietLogger) Warningf(string, ...interface{}) {}
func (quietLogger) Fatal(v ...interface{})          { panic(fmt.Sprint(v...)) }
func (quietLogger) Fatalf(f string, v ...interface{}) {
	panic(fmt.Sprintf(f, v...))
}
func (quietLogger) Panic(v ...interface{})            { panic(fmt.Sprint(v...)) }
func (quietLogger) Panicf(f string, v ...interface{}) { panic(fmt.Sprintf(f, v...)) }

// newRaftNode starts (or, with a disk from a previous incarnation, restarts) the raft
// node of issuer env. electionTicks is the election timeout in heartbeat ticks.
func newRaftNode(env *sim.Env, electionTicks int) (*raftNode, error) {
	peers := env.Issuers()
	id := uint64(0)
	for i, p := range peers {
		if p == env.ID() {
			id = uint64(i + 1)
		}
	}
	if id == 0 {
		return nil, fmt.Errorf("etcd: %s is not an issuer", env.Name())
	}
	d, ok := env.Durable().(*disk)
	if !ok {
		var err error
		if d, err = newDisk(len(peers)); err != nil {
			return nil, err
		}
		env.SetDurable(d)
	}
	watch := &electionWatch{}
	raw, err := raft.NewRawNode(raftConfig(id, electionTicks, d.storage, watch))
	if err != nil {
		return nil, err
	}
	rn := rawNode{RawNode: raw, pending: true}
	if rec := recording.Load(); rec != nil {
		rn.rec, rn.node = rec, rec.incarnation(d, id, len(peers), electionTicks)
	}
	n := &raftNode{id: id, rn: rn, disk: d, peers: peers, elect: electionTicks, watch: watch}
	n.newThreshold(env)
	st := n.rn.BasicStatus()
	n.state, n.term, n.commit = st.RaftState, st.HardState.GetTerm(), st.HardState.GetCommit()
	if len(peers) == 1 {
		// A single voter elects itself at once (raft would wait for its election timer).
		watch.campaign(&n.rn)
	}
	return n, nil
}

// raftConfig is the configuration of raft node id: etcd's (server/etcdserver/bootstrap.go
// raftConfig, raft.go): HeartbeatTick 1, MaxSizePerMsg 1 MiB, MaxInflightMsgs 4096/8,
// CheckQuorum, PreVote.
func raftConfig(id uint64, electionTicks int, storage raft.Storage, logger raft.Logger) *raft.Config {
	return &raft.Config{
		ID:              id,
		ElectionTick:    electionTicks,
		HeartbeatTick:   1,
		Storage:         storage,
		MaxSizePerMsg:   1 << 20,
		MaxInflightMsgs: 4096 / 8,
		CheckQuorum:     true,
		PreVote:         true,
		Logger:          logger,
	}
}

// newDisk is a new node's disk: empty but for the snapshot every node starts from, which
// names the voters, so that the log has no configuration entries to apply before a node
// may campaign.
func newDisk(voters int) (*disk, error) {
	d := &disk{storage: raft.NewMemoryStorage()}
	ids := make([]uint64, voters)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	err := d.storage.ApplySnapshot(&pb.Snapshot{Metadata: &pb.SnapshotMetadata{
		ConfState: &pb.ConfState{Voters: ids}, Index: new(uint64(1)), Term: new(uint64(1))}})
	return d, err
}

// persist writes what a Ready asks to the disk, before its messages leave (drain, and
// the replay of raftrecord.go).
func (d *disk) persist(rd *raft.Ready) {
	if !raft.IsEmptySnap(rd.Snapshot) {
		_ = d.storage.ApplySnapshot(rd.Snapshot)
	}
	if len(rd.Entries) > 0 {
		_ = d.storage.Append(rd.Entries)
	}
	if rd.HardState != nil && !raft.IsEmptyHardState(rd.HardState) {
		_ = d.storage.SetHardState(rd.HardState)
	}
}

func (n *raftNode) newThreshold(env *sim.Env) {
	lo := max(1, n.elect/2)
	n.campaign = lo + env.Rand().IntN(max(1, n.elect-1-lo+1))
	if n.campaign > n.elect-1 {
		n.campaign = max(1, n.elect-1)
	}
	n.elapsed = 0
}

// isLeader reports whether the node is raft leader now.
func (n *raftNode) isLeader() bool { return n.state == raft.StateLeader }

// leader returns the node this one believes leads (NoNode if none).
func (n *raftNode) leader() sim.NodeID {
	if n.lead == 0 || int(n.lead) > len(n.peers) {
		return sim.NoNode
	}
	return n.peers[n.lead-1]
}

// tick advances raft's clock by one heartbeat tick and campaigns when the node has not
// heard from a leader for its threshold.
func (n *raftNode) tick(env *sim.Env) {
	if n.isLeader() {
		n.rn.RawNode.Tick()
		n.rn.tick(false)
		n.rn.pending = true
	} else if n.raftElapsed < n.elect-1 {
		// A non-leader's tick below raft's least election timeout makes no Ready: raft
		// has none pending after it (TestRaftReplayIsFaithful checks).
		n.rn.RawNode.Tick()
		n.rn.tick(true)
		n.raftElapsed++
	}
	if n.isLeader() {
		n.elapsed, n.raftElapsed = 0, 0
		return
	}
	n.elapsed++
	if n.elapsed >= n.campaign {
		n.watch.campaign(&n.rn)
		n.newThreshold(env)
	}
}

// step feeds a raft message from a peer; process must follow before raft is called again.
func (n *raftNode) step(m *pb.Message) {
	// The network may deliver one message twice, and raft keeps some of what it is given.
	n.rn.step(m)
	n.rn.pending = true
	if err := n.rn.RawNode.Step(received(m)); err != nil {
		return
	}
	switch m.GetType() {
	case pb.MessageType_MsgApp, pb.MessageType_MsgHeartbeat, pb.MessageType_MsgSnap:
		// A follower resets its election clock on these from the leader of its term (or
		// of a later one, which raft follows at once). n.term is raft's term before this
		// Step: process handled every Ready after the previous call into raft. Whether
		// raft is a follower now, process learns from the next Ready (its SoftState, or
		// none: unchanged). Asking raft (BasicStatus, before and after Step) built its
		// HardState twice per message.
		n.heard = m.GetTerm() >= n.term
	}
}

// heardLeader resets the election clock if the message step gave raft came from a
// leader and raft, n.state, is a follower after it.
func (n *raftNode) heardLeader() {
	if n.heard {
		n.heard = false
		if n.state == raft.StateFollower {
			n.elapsed, n.raftElapsed = 0, 0
		}
	}
}

// handler is what the issuer does with a Ready's output.
type handler interface {
	// applyEntry applies a committed command (n.applied is its index).
	applyEntry(env *sim.Env, c command)
	// readReady: the leadership check of a ReadIndex request passed; serve it once
	// n.applied reaches rs.Index.
	readReady(env *sim.Env, rs raft.ReadState)
	// afterApply is called after each batch of applied entries and read states.
	afterApply(env *sim.Env)
	// roleChanged: the node became leader, or stopped being leader.
	roleChanged(env *sim.Env, wasLeader bool)
}

// process handles every Ready raft has: persist, send, apply, read states, advance. It
// is called at the end of every event of the node, many of which did not call raft: so
// it is small enough to be inlined, and drain does the work. (Without a call into raft
// there is nothing for heardLeader either: only step sets heard, and it sets pending.)
func (n *raftNode) process(env *sim.Env, h handler) {
	if n.rn.pending {
		n.drain(env, h)
	}
}

// drain handles raft's Readies until it has none.
func (n *raftNode) drain(env *sim.Env, h handler) {
	for {
		has := n.rn.RawNode.HasReady()
		n.rn.hasReady(has)
		if !has {
			break
		}
		rd := n.rn.RawNode.Ready()
		n.rn.ready(&rd)
		if rd.SoftState != nil {
			was := n.isLeader()
			if rd.SoftState.RaftState != n.state {
				n.elapsed = 0 // every change of role resets raft's election clock...
				if rd.SoftState.RaftState != raft.StatePreCandidate {
					n.raftElapsed = 0 // ...but becoming a pre-candidate
				}
			}
			n.state, n.lead = rd.SoftState.RaftState, rd.SoftState.Lead
			if was != n.isLeader() {
				h.roleChanged(env, was)
			}
		}
		n.heardLeader() // the first Ready after step: n.state is raft's state after it
		n.disk.persist(&rd)
		if rd.HardState != nil {
			n.term, n.commit = rd.HardState.GetTerm(), rd.HardState.GetCommit()
		}
		for _, m := range rd.Messages {
			to := m.GetTo()
			if to == 0 || int(to) > len(n.peers) {
				continue
			}
			env.Send(sim.Message{Type: msgRaft, To: n.peers[to-1], Epoch: m.GetTerm(), Payload: m})
		}
		for _, e := range rd.CommittedEntries {
			n.applied = e.GetIndex()
			if e.GetType() != pb.EntryType_EntryNormal || len(e.Data) == 0 {
				continue
			}
			c, err := decodeCommand(e.Data)
			if err != nil {
				continue
			}
			h.applyEntry(env, c)
		}
		for _, rs := range rd.ReadStates {
			h.readReady(env, rs)
		}
		h.afterApply(env)
		n.rn.RawNode.Advance(rd)
		n.rn.advance()
	}
	n.rn.pending = false
	n.heardLeader() // no Ready after step: raft's state is unchanged
}
