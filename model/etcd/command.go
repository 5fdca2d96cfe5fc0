package etcd

import (
	"encoding/binary"
	"errors"
)

// cmdKind is the kind of a replicated command: what goes through the raft log.
type cmdKind uint8

// The replicated commands. KeepAlive and reads do not go through the log (the leader
// confirms its leadership with a ReadIndex round instead), as in etcd.
const (
	cmdGrant      cmdKind = iota + 1 // a new lease of TTL
	cmdRevoke                        // delete a lease and its keys (a client's Revoke, or expiry)
	cmdPut                           // put Key=Value bound to Lease
	cmdCheckpoint                    // record Lease's remaining TTL (0: the full TTL)
	cmdCAS                           // put Key=Value if Key's mod revision is Rev (0: absent)
)

// command is one log entry's payload. Origin and Req say which issuer node proposed it
// for which of its pending client requests (0: nobody waits for it), so that the
// proposer can answer once it has applied the entry.
type command struct {
	Kind   cmdKind
	Origin uint64
	Req    uint64
	Lease  int64
	TTL    int64 // grant: the TTL; checkpoint: the remaining TTL
	Rev    int64 // cas: the mod revision expected
	Key    string
	Value  string
}

// encode is the command's byte form: a kind byte and uvarint/length-prefixed fields.
func (c *command) encode() []byte {
	b := make([]byte, 0, 32+len(c.Key)+len(c.Value))
	b = append(b, byte(c.Kind))
	b = binary.AppendUvarint(b, c.Origin)
	b = binary.AppendUvarint(b, c.Req)
	b = binary.AppendVarint(b, c.Lease)
	b = binary.AppendVarint(b, c.TTL)
	b = binary.AppendVarint(b, c.Rev)
	b = binary.AppendUvarint(b, uint64(len(c.Key)))
	b = append(b, c.Key...)
	b = binary.AppendUvarint(b, uint64(len(c.Value)))
	b = append(b, c.Value...)
	return b
}

var errBadCommand = errors.New("etcd: malformed log entry")

// decodeCommand parses what encode wrote.
func decodeCommand(b []byte) (command, error) {
	var c command
	if len(b) == 0 {
		return c, errBadCommand
	}
	c.Kind, b = cmdKind(b[0]), b[1:]
	var ok bool
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			ok = false
			return 0
		}
		b = b[n:]
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			ok = false
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uv()
		if !ok || uint64(len(b)) < n {
			ok = false
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	ok = true
	c.Origin, c.Req, c.Lease, c.TTL, c.Rev = uv(), uv(), sv(), sv(), sv()
	c.Key = str()
	c.Value = str()
	if !ok || c.Kind < cmdGrant || c.Kind > cmdCAS {
		return command{}, errBadCommand
	}
	return c, nil
}
