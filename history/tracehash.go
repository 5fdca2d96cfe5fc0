package history

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/bits"
)

// TraceHasher accumulates a 64-bit hash of an event trace, one word at a time. Producers
// feed it every event in the order they processed it; equal traces give equal sums. It is
// a value type that never allocates, so that hashing costs a few nanoseconds an event.
// It detects differences between traces; it is not a cryptographic hash.
type TraceHasher struct {
	h uint64
}

// NewTraceHasher returns an empty hasher.
func NewTraceHasher() TraceHasher { return TraceHasher{h: 0x9e3779b97f4a7c15} }

// Int adds one word to the trace.
func (t *TraceHasher) Int(v int64) {
	// A multiply-rotate mix in the style of wyhash/xxhash rounds: every input bit
	// affects the state, and order matters.
	t.h = bits.RotateLeft64(t.h^(uint64(v)*0xbf58476d1ce4e5b9), 31) * 0x94d049bb133111eb
}

// String adds a string, length-prefixed so that concatenations differ.
func (t *TraceHasher) String(s string) {
	t.Int(int64(len(s)))
	for i := 0; i < len(s); i++ {
		t.Int(int64(s[i]))
	}
}

// Sum returns the hash as 16 hex digits.
func (t *TraceHasher) Sum() string {
	h := t.h
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return fmt.Sprintf("%016x", h)
}

// Digest returns a SHA-256 digest (64 hex digits) of the complete history as Write
// serializes it: the meta record (trace hash, parameters, counts) and every claim,
// write, client operation (its arguments and its results), fault, status and up
// interval. Equal digests mean equal recorded histories. The trace hash, which the
// simulator computes event by event, leaves out message payloads and client
// operations; Digest covers the operations and everything a payload led a node to do
// (the claims, writes and operations it recorded), so a replay that compares digests
// notices a difference that the trace hash misses.
func Digest(h *History) (string, error) {
	d := sha256.New()
	if err := h.Write(d); err != nil {
		return "", fmt.Errorf("history digest: %w", err)
	}
	return hex.EncodeToString(d.Sum(nil)), nil
}
