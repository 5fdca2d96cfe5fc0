package etcd

import (
	"fmt"
	"hash/fnv"
	"sync/atomic"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// raftOp is the kind of a recorded call into raft.
type raftOp uint8

const (
	opTick raftOp = iota
	opStep
	opCampaign
	opPropose
	opReadIndex
	opHasReady
	opReady
	opAdvance
	opBasicStatus
)

// raftCall is one call into raft the driver made.
type raftCall struct {
	op   raftOp
	has  bool   // opHasReady: what raft answered; opTick: the driver took it to make no Ready (tickElection)
	node int32  // the incarnation called (raftRecording.nodes)
	msg  int32  // opStep: the message's index in the run's sent messages
	data []byte // opPropose: the entry's data; opReadIndex: the request context
	sum  uint64 // opReady: the Ready's digest (readyDigest)
}

// raftIncarnation is one RawNode the driver made: raft id, configuration, and the disk
// (raftRecording.disks) it started from.
type raftIncarnation struct {
	id            uint64
	voters        int
	electionTicks int
	disk          int
}

// raftRecording is every call the issuer nodes of one run made into raft, in order, with
// what replaying them needs: the RawNodes made (incarnations of a node after a crash
// share its disk), and which message each Step was given, named by its place among the
// messages raft handed out in Readies. Replaying it (replay) against fresh RawNodes and
// MemoryStorages, with no simulator, measures raft's own cost for the run
// (BenchmarkRaftFloor). raft draws only its election timeouts at random, and the driver
// never lets raft's own election timer fire (raftNode), so a replay makes the same
// Readies: replay(true) checks each Ready's digest against the run's.
type raftRecording struct {
	calls []raftCall
	nodes []raftIncarnation
	disks map[*disk]int
	sent  map[*pb.Message]int32
	nsent int32
	err   error
}

// recording, when set, records the calls into raft of every raftNode made from then on
// (tests: RecordRaft, which no test running in parallel may overlap).
var recording atomic.Pointer[raftRecording]

func newRaftRecording() *raftRecording {
	return &raftRecording{disks: map[*disk]int{}, sent: map[*pb.Message]int32{}}
}

func (rec *raftRecording) add(c raftCall) { rec.calls = append(rec.calls, c) }

// incarnation records a new RawNode on disk d and returns its index.
func (rec *raftRecording) incarnation(d *disk, id uint64, voters, electionTicks int) int32 {
	di, ok := rec.disks[d]
	if !ok {
		di = len(rec.disks)
		rec.disks[d] = di
	}
	rec.nodes = append(rec.nodes, raftIncarnation{id: id, voters: voters, electionTicks: electionTicks, disk: di})
	return int32(len(rec.nodes) - 1)
}

// sentIndex is m's place among the messages raft handed out.
func (rec *raftRecording) sentIndex(m *pb.Message) int32 {
	i, ok := rec.sent[m]
	if !ok && rec.err == nil {
		rec.err = fmt.Errorf("call %d: a Step of a message no Ready of this run handed out", len(rec.calls))
	}
	return i
}

// step records a Step of m (out of line, so that rawNode.step, which calls it only while
// recording, is inlined).
//
//go:noinline
func (rec *raftRecording) step(node int32, m *pb.Message) {
	rec.add(raftCall{op: opStep, node: node, msg: rec.sentIndex(m)})
}

func (rec *raftRecording) ready(node int32, rd *raft.Ready) {
	for _, m := range rd.Messages {
		rec.sent[m] = rec.nsent
		rec.nsent++
	}
	rec.add(raftCall{op: opReady, node: node, sum: readyDigest(rd)})
}

// readyDigest sums up what a Ready holds: its states, entries, messages and read states.
func readyDigest(rd *raft.Ready) uint64 {
	h := fnv.New64a()
	u := func(v uint64) {
		var b [8]byte
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		h.Write(b[:])
	}
	if rd.SoftState != nil {
		u(1 + uint64(rd.SoftState.RaftState))
		u(rd.SoftState.Lead)
	}
	if rd.HardState != nil {
		u(rd.HardState.GetTerm())
		u(rd.HardState.GetVote())
		u(rd.HardState.GetCommit())
	}
	u(rd.Snapshot.GetMetadata().GetIndex())
	entries := func(es []*pb.Entry) {
		u(uint64(len(es)))
		for _, e := range es {
			u(e.GetIndex())
			u(e.GetTerm())
			u(uint64(e.GetType()))
			h.Write(e.Data)
		}
	}
	entries(rd.Entries)
	entries(rd.CommittedEntries)
	u(uint64(len(rd.Messages)))
	for _, m := range rd.Messages {
		for _, v := range []uint64{uint64(m.GetType()), m.GetTo(), m.GetFrom(), m.GetTerm(), m.GetLogTerm(),
			m.GetIndex(), m.GetCommit(), m.GetVote(), m.GetRejectHint()} {
			u(v)
		}
		if m.GetReject() {
			u(1)
		}
		h.Write(m.Context)
		entries(m.Entries)
	}
	u(uint64(len(rd.ReadStates)))
	for _, rs := range rd.ReadStates {
		u(rs.Index)
		h.Write(rs.RequestCtx)
	}
	return h.Sum64()
}

// replay makes every recorded call again, in order, against fresh RawNodes on fresh
// disks, with no simulator: what raft alone does for the run. Each Ready is persisted
// (disk.persist) and its messages kept for the Steps that name them; each Step is given
// what the driver gives raft (received). With check, each Ready's and HasReady's answer
// is compared with the run's, and so is HasReady after each Tick the driver took to make
// no Ready; the first difference is the error.
func (rec *raftRecording) replay(check bool) error {
	if rec.err != nil {
		return rec.err
	}
	disks := make([]*disk, len(rec.disks))
	nodes := make([]*raft.RawNode, len(rec.nodes))
	last := make([]raft.Ready, len(rec.nodes))
	sent := make([]*pb.Message, 0, rec.nsent)
	next := 0 // the next incarnation to make
	for i, c := range rec.calls {
		for next <= int(c.node) {
			inc := rec.nodes[next]
			if disks[inc.disk] == nil {
				d, err := newDisk(inc.voters)
				if err != nil {
					return err
				}
				disks[inc.disk] = d
			}
			rn, err := raft.NewRawNode(raftConfig(inc.id, inc.electionTicks, disks[inc.disk].storage, quietLogger{}))
			if err != nil {
				return err
			}
			nodes[next] = rn
			next++
		}
		rn := nodes[c.node]
		switch c.op {
		case opTick:
			rn.Tick()
			if check && c.has && rn.HasReady() {
				return fmt.Errorf("call %d: a Tick the driver took to make no Ready (rawNode.tickElection) made one", i)
			}
		case opStep:
			if int(c.msg) >= len(sent) {
				return fmt.Errorf("call %d: Step of message %d, of which the replay has made %d", i, c.msg, len(sent))
			}
			_ = rn.Step(received(sent[c.msg]))
		case opCampaign:
			_ = rn.Campaign()
		case opPropose:
			_ = rn.Propose(c.data)
		case opReadIndex:
			rn.ReadIndex(c.data)
		case opHasReady:
			if has := rn.HasReady(); check && has != c.has {
				return fmt.Errorf("call %d: HasReady %v, the run's %v", i, has, c.has)
			}
		case opReady:
			rd := rn.Ready()
			disks[rec.nodes[c.node].disk].persist(&rd)
			sent = append(sent, rd.Messages...)
			if check && readyDigest(&rd) != c.sum {
				return fmt.Errorf("call %d: a Ready other than the run's", i)
			}
			last[c.node] = rd
		case opAdvance:
			rn.Advance(last[c.node])
			last[c.node] = raft.Ready{}
		case opBasicStatus:
			_ = rn.BasicStatus()
		}
	}
	if check && len(sent) != int(rec.nsent) {
		return fmt.Errorf("the replay's Readies handed out %d messages, the run's %d", len(sent), rec.nsent)
	}
	return nil
}
