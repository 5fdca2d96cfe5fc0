package history

import (
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
