package lease

import "testing"

// TestSentAt checks the holder's record of its requests' send times: a Seq is found
// while sent within the last lease - guard, and not once older (pruned by the next send,
// or not yet), before the first, after the last, or 0 — across many sends, so that the
// record's compaction is crossed.
func TestSentAt(t *testing.T) {
	const lease, guard, renew = 10, 1, 2                                                    // window lease - guard = 9: five sends live
	h := &holder{cfg: &config{lease: lease, guard: guard}, seq: 100, window: lease - guard} // as Start sets it
	for now := int64(0); now < 200; now += renew {
		h.seq++
		h.remember(now)
		tests := []struct {
			name  string
			seq   uint64
			later int64 // asked this long after now
			ok    bool
			at    int64
		}{
			{"the last", h.seq, 0, true, now},
			{"four back", h.seq - 4, 0, now >= 4*renew, now - 4*renew},
			{"five back (pruned)", h.seq - 5, 0, false, 0},
			{"four back, asked 1 later (too old, not yet pruned)", h.seq - 4, 1, false, 0},
			{"the next", h.seq + 1, 0, false, 0},
			{"zero", 0, 0, false, 0},
		}
		for _, tt := range tests {
			at, ok := h.sentAt(tt.seq, now+tt.later)
			if ok != tt.ok || (ok && at != tt.at) {
				t.Fatalf("now %d, %s (seq %d): sentAt = %d, %v; want %d, %v", now, tt.name, tt.seq, at, ok, tt.at, tt.ok)
			}
		}
	}
}

// TestSentAtKeepsABurst sends more requests within one window than the ring first holds
// (asks closer together than any renewal period): every one stays findable, the ring
// grows rather than overwrite a request still in the window.
func TestSentAtKeepsABurst(t *testing.T) {
	h := &holder{cfg: &config{lease: 100, guard: 1}, seq: 7, window: 99}
	for now := int64(0); now < 40; now++ {
		h.seq++
		h.remember(now)
	}
	for seq := uint64(8); seq <= h.seq; seq++ {
		if at, ok := h.sentAt(seq, 40); !ok || at != int64(seq-8) {
			t.Errorf("seq %d: sentAt = %d, %v; want %d, true", seq, at, ok, seq-8)
		}
	}
	if at, ok := h.sentAt(8, 99); ok {
		t.Errorf("seq 8 asked at 99, a window after it left: sentAt = %d, true; want false", at)
	}
}
