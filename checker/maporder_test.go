package checker

import (
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestP3FindingIndependentOfMapOrder: two equally long partial linearizations leave a
// different get unplaced (C's or D's); porcupine hands them back in map order, and the
// finding must not depend on it.
func TestP3FindingIndependentOfMapOrder(t *testing.T) {
	m := registerModel()
	seen := map[string]int{}
	for range 100 {
		h := hist()
		h.Ops = []history.Op{
			put("A", "k", "1", 0, 10), put("B", "k", "2", 0, 10),
			get("C", "k", "1", 11, 12), get("D", "k", "2", 11, 12),
		}
		r := Check(h, Options{OpModel: &m})
		if len(r.Findings) != 1 {
			t.Fatalf("findings %+v, want one P3 finding", r.Findings)
		}
		seen[r.Findings[0].Detail]++
	}
	if len(seen) != 1 {
		t.Errorf("the same history gave %d different findings in 100 checks: %v", len(seen), seen)
	}
}

// TestKeysUnavailableIndependentOfMapOrder: the mean over the key leases is a sum of
// floats, whose rounding depends on the order of the terms; it must be taken in one order.
func TestKeysUnavailableIndependentOfMapOrder(t *testing.T) {
	var claims []history.Claim
	for i := range 200 {
		lease := history.KeysPrefix + string(rune('a'+i%26)) + string(rune('a'+i/26))
		// Key i is claimed from i/7 s to 100 - i/3 s: 200 different fractions.
		claims = append(claims, cl("A", lease, 1, float64(i)/7, 100-float64(i)/3))
	}
	seen := map[float64]int{}
	for range 100 {
		m := Check(hist(claims...), Options{}).Metrics
		if m.KeyLeases != 200 {
			t.Fatalf("KeyLeases %d, want 200", m.KeyLeases)
		}
		seen[m.KeysUnavailableFraction]++
	}
	if len(seen) != 1 {
		t.Errorf("the same history gave %d different keys_unavailable_fraction in 100 checks: %v", len(seen), seen)
	}
}
