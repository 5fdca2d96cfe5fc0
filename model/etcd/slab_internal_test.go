package etcd

import "testing"

// TestSlabValuesAreFresh: every value a slab returns is a distinct copy that keeps its
// content while later ones are handed out, across blocks.
func TestSlabValuesAreFresh(t *testing.T) {
	var s slab[request]
	var got []*request
	for i := range 3*slabBlock + 5 {
		got = append(got, s.new(request{Lease: int64(i)}))
	}
	seen := map[*request]bool{}
	for i, p := range got {
		if p.Lease != int64(i) {
			t.Errorf("value %d holds lease %d", i, p.Lease)
		}
		if seen[p] {
			t.Errorf("value %d handed out twice", i)
		}
		seen[p] = true
	}
}
