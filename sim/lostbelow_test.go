package sim

import "testing"

// TestLostBelow checks that the integer loss threshold decides exactly as the
// floating-point comparison it replaced, unit32(w) < 1-(1-loss)·keep, for words at and
// around the threshold of each probability.
func TestLostBelow(t *testing.T) {
	tests := []struct {
		name       string
		loss, keep float64
	}{
		{"no loss", 0, 1},
		{"1% loss", 0.01, 1},
		{"1% loss, lossy 30%", 0.01, 0.7},
		{"a third", 1.0 / 3, 1},
		{"half", 0.5, 1},
		{"all lost", 1, 1},
		{"lossy fault only", 0, 0.1},
		{"everything cut by lossy", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := 1 - (1-tt.loss)*tt.keep
			th := lostBelow(tt.loss, tt.keep)
			for _, w := range []uint64{0, 1, th - 2, th - 1, th, th + 1, th + 2, 1<<32 - 1} {
				if w >= 1<<32 {
					continue // not a 32-bit word (th - 1 of 0 wraps)
				}
				if got, want := w < th, unit32(w) < p; got != want {
					t.Errorf("word %d: lost %v by the threshold %d, %v by unit32(w) < %v", w, got, th, want, p)
				}
			}
		})
	}
}
