package checker

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestVisualizeP1WindowEdges kills the mutants of visualize.go that gremlins found
// surviving (docs/mutation.md): the window [from, to] is closed, like porcupine's
// operations, so a lock partition that ends exactly at from or starts exactly at to is
// shown, and a window of one instant is a window. The window's annotation says so:
// "[10s, 20s]", not the half-open "[10s, 20s)" of a claim.
func TestVisualizeP1WindowEdges(t *testing.T) {
	L := history.LeaderLease
	// Three partitions: A [0, 10s), B [20s, 30s), C [40s, 50s).
	h := hist(cl("A", L, 1, 0, 10), cl("B", L, 2, 20, 30), cl("C", L, 3, 40, 50))
	cases := []struct {
		name     string
		from, to float64
		shown    []string
		hidden   []string
	}{
		{"partitions touching both ends", 10, 20, []string{"epoch 1", "epoch 2", "[10s, 20s]"}, []string{"epoch 3", "[10s, 20s)"}},
		{"one instant", 25, 25, []string{"epoch 2", "[25s, 25s]"}, []string{"epoch 1", "epoch 3"}},
		{"one instant at a partition's start", 40, 40, []string{"epoch 3", "[40s, 40s]"}, []string{"epoch 1", "epoch 2"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := VisualizeP1(h, L, secs(tt.from), secs(tt.to), &b); err != nil {
				t.Fatal(err)
			}
			html := b.String()
			for _, s := range tt.shown {
				if !strings.Contains(html, s) {
					t.Errorf("visualization of [%gs, %gs] lacks %q", tt.from, tt.to, s)
				}
			}
			for _, s := range tt.hidden {
				if strings.Contains(html, s) {
					t.Errorf("visualization of [%gs, %gs] shows %q", tt.from, tt.to, s)
				}
			}
		})
	}
}
