package etcd

import (
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

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
