package etcd

import (
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// fill sets every field of m (recursively, to depth 3) to a value that is not the zero
// value, so that a clone missing any field compares unequal.
func fill(m protoreflect.Message, depth int) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			for k := 0; k < 2; k++ {
				if fd.Kind() == protoreflect.MessageKind {
					if depth == 0 {
						break
					}
					e := l.NewElement()
					fill(e.Message(), depth-1)
					l.Append(e)
					continue
				}
				l.Append(scalar(fd, k))
			}
		case fd.Kind() == protoreflect.MessageKind:
			if depth > 0 {
				fill(m.Mutable(fd).Message(), depth-1)
			}
		default:
			m.Set(fd, scalar(fd, 0))
		}
	}
}

func scalar(fd protoreflect.FieldDescriptor, k int) protoreflect.Value {
	n := uint64(int(fd.Number())*10 + k + 1)
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		return protoreflect.ValueOfEnum(fd.Enum().Values().Get(fd.Enum().Values().Len() - 1).Number())
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte{byte(n), 7})
	case protoreflect.Uint64Kind:
		return protoreflect.ValueOfUint64(n)
	}
	panic("raft message field of an unexpected kind: " + fd.FullName())
}

func TestCloneMessageCopiesEveryField(t *testing.T) {
	m := &pb.Message{}
	fill(m.ProtoReflect(), 3)
	c := cloneMessage(m)
	if !proto.Equal(c, m) {
		t.Fatalf("cloneMessage lost a field:\n got %v\nwant %v", c, m)
	}
	// A deep copy: changing the copy leaves the original as it was.
	want := proto.Clone(m)
	*c.Entries[0].Index = 999
	c.Entries[0].Data[0] = 99
	*c.Term = 999
	c.Context[0] = 99
	*c.Responses[0].Entries[0].Term = 999
	c.Snapshot.Data[0] = 99
	if !proto.Equal(m, want) {
		t.Fatalf("cloneMessage shares memory with the original:\n got %v\nwant %v", m, want)
	}
	if cloneMessage(nil) != nil {
		t.Fatal("cloneMessage(nil) is not nil")
	}
}

// TestReceivedCopiesForwardedMessages: a message raft forwards to its leader (and writes
// into) is given as a copy with every field, whose Entries slice raft may rewrite
// without touching the original's; a snapshot is a deep copy; a heartbeat is shared.
func TestReceivedCopiesForwardedMessages(t *testing.T) {
	for _, typ := range []pb.MessageType{pb.MessageType_MsgProp, pb.MessageType_MsgReadIndex, pb.MessageType_MsgTransferLeader} {
		m := &pb.Message{}
		fill(m.ProtoReflect(), 1) // entries without their own messages
		m.Snapshot, m.Responses, m.Type = nil, nil, typ.Enum()
		c := received(m)
		if c == m || !proto.Equal(c, m) {
			t.Fatalf("%v: received is not a copy with every field:\n got %v\nwant %v", typ, c, m)
		}
		want := proto.Clone(m)
		c.Entries[0] = &pb.Entry{}
		c.To = new(uint64(99))
		if !proto.Equal(m, want) {
			t.Fatalf("%v: writing into the copy changed the original:\n got %v\nwant %v", typ, m, want)
		}
	}
	snap := &pb.Message{Type: pb.MessageType_MsgSnap.Enum(), Snapshot: &pb.Snapshot{Data: []byte{1}}}
	if c := received(snap); c.Snapshot == snap.Snapshot || !proto.Equal(c, snap) {
		t.Fatal("a snapshot is not deep-copied")
	}
	hb := &pb.Message{Type: pb.MessageType_MsgHeartbeat.Enum(), Context: []byte{1}}
	if received(hb) != hb {
		t.Fatal("a heartbeat is copied")
	}
}
