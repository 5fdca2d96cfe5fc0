package etcd

import (
	"sync/atomic"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// received is the message a node's raft is given for m, a message the network delivered
// (possibly the same message twice, a duplicate).
//
// raft treats a log entry as immutable once made (it copies the entries of a proposal
// before giving them an index; MemoryStorage says its entries "can be referenced from
// outside"), and keeps bytes (contexts, entry data) without writing into them. What it
// does write into is a message it forwards to the leader (a follower's MsgProp,
// MsgReadIndex or MsgTransferLeader: To, and for MsgProp the Entries slice), and it keeps a
// snapshot's metadata where MemoryStorage may rewrite it. So such messages get a copy of
// their own (forwarded: a new message and Entries slice sharing the entries; a snapshot
// or async-storage Responses: a deep copy), and every other message is given as it is:
// a heartbeat, a vote or an append is only read. A deep copy of every message was a
// third of a raft run's allocations. TestReceivedSharesOnlyWhatRaftKeeps checks that
// runs on a duplicating network are the same with a deep copy of every message.
func received(m *pb.Message) *pb.Message {
	if deepCopyReceived.Load() || m.Snapshot != nil || m.Responses != nil {
		return cloneMessage(m)
	}
	switch m.GetType() {
	case pb.MessageType_MsgProp, pb.MessageType_MsgReadIndex, pb.MessageType_MsgTransferLeader:
		c := &pb.Message{Type: m.Type, To: m.To, From: m.From, Term: m.Term, LogTerm: m.LogTerm,
			Index: m.Index, Commit: m.Commit, Vote: m.Vote, Reject: m.Reject, RejectHint: m.RejectHint,
			Context: m.Context}
		if m.Entries != nil {
			c.Entries = append(make([]*pb.Entry, 0, len(m.Entries)), m.Entries...)
		}
		return c
	}
	return m
}

// deepCopyReceived makes received deep-copy every message, as it did before; tests compare
// runs with and without it.
var deepCopyReceived atomic.Bool

// cloneMessage is a deep copy of a raft message, as proto.Clone makes one, without
// protobuf's reflection (which took a sixth of a raft run). Every field of the message
// and of its entries is copied; a snapshot (rare: a follower far behind) goes through
// proto.Clone. TestCloneMessageCopiesEveryField sets every field and fails when one is
// added that this does not copy.
func cloneMessage(m *pb.Message) *pb.Message {
	if m == nil {
		return nil
	}
	c := &pb.Message{
		Type:       clonePtr(m.Type),
		To:         clonePtr(m.To),
		From:       clonePtr(m.From),
		Term:       clonePtr(m.Term),
		LogTerm:    clonePtr(m.LogTerm),
		Index:      clonePtr(m.Index),
		Commit:     clonePtr(m.Commit),
		Vote:       clonePtr(m.Vote),
		Reject:     clonePtr(m.Reject),
		RejectHint: clonePtr(m.RejectHint),
		Context:    cloneBytes(m.Context),
	}
	if m.Entries != nil {
		c.Entries = make([]*pb.Entry, len(m.Entries))
		for i, e := range m.Entries {
			c.Entries[i] = cloneEntry(e)
		}
	}
	if m.Snapshot != nil {
		c.Snapshot = proto.Clone(m.Snapshot).(*pb.Snapshot)
	}
	if m.Responses != nil {
		c.Responses = make([]*pb.Message, len(m.Responses))
		for i, r := range m.Responses {
			c.Responses[i] = cloneMessage(r)
		}
	}
	return c
}

func cloneEntry(e *pb.Entry) *pb.Entry {
	if e == nil {
		return nil
	}
	return &pb.Entry{Term: clonePtr(e.Term), Index: clonePtr(e.Index), Type: clonePtr(e.Type), Data: cloneBytes(e.Data)}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// cloneBytes copies b, keeping nil nil and empty empty (as proto.Clone does).
func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
