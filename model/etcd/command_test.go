package etcd

import (
	"testing"
)

// TestCommandRoundTrip: every kind of log entry decodes to what was encoded.
func TestCommandRoundTrip(t *testing.T) {
	for _, c := range []command{
		{Kind: cmdGrant, Origin: 1, Req: 7, TTL: 3e9, Value: "A"},
		{Kind: cmdRevoke, Origin: 2, Req: 1 << 62, Lease: 12},
		{Kind: cmdPut, Origin: 3, Req: 9, Lease: 4, Key: "election/A", Value: "A"},
		{Kind: cmdCheckpoint, Lease: 5, TTL: 1500e6},
		{Kind: cmdCAS, Origin: 1, Req: 2, Key: "leases/kube-system/leader", Value: "holder=B", Rev: 41},
		{Kind: cmdCAS, Key: "k", Rev: -1, Lease: -3, TTL: -5}, // negative varints
	} {
		got, err := decodeCommand(c.encode())
		if err != nil || got != c {
			t.Errorf("decode(encode(%+v)) = %+v, %v", c, got, err)
		}
	}
}

// TestDecodeCommandRejectsGarbage: truncated entries and unknown kinds are errors.
func TestDecodeCommandRejectsGarbage(t *testing.T) {
	full := (&command{Kind: cmdPut, Origin: 1, Req: 2, Lease: 3, Key: "key", Value: "value"}).encode()
	for n := 0; n < len(full); n++ {
		if _, err := decodeCommand(full[:n]); err == nil {
			t.Errorf("a %d-byte prefix of a %d-byte entry decoded", n, len(full))
		}
	}
	for _, kind := range []byte{0, byte(cmdCAS) + 1, 255} {
		b := append([]byte{kind}, full[1:]...)
		if _, err := decodeCommand(b); err == nil {
			t.Errorf("kind %d decoded", kind)
		}
	}
}

// FuzzDecodeCommand: decoding never panics, and whatever decodes encodes back to an entry
// that decodes to the same command.
func FuzzDecodeCommand(f *testing.F) {
	f.Add((&command{Kind: cmdGrant, Origin: 1, Req: 7, TTL: 3e9, Value: "A"}).encode())
	f.Add((&command{Kind: cmdCAS, Key: "k", Value: "v", Rev: 9}).encode())
	f.Add([]byte{})
	f.Add([]byte{byte(cmdPut), 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCommand(b)
		if err != nil {
			return
		}
		again, err := decodeCommand(c.encode())
		if err != nil || again != c {
			t.Fatalf("%+v re-encoded decodes to %+v, %v", c, again, err)
		}
	})
}
