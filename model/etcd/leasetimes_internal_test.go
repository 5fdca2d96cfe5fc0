package etcd

import (
	"maps"
	"slices"
	"testing"
)

// TestLeaseTimes: leaseTimes behaves as the map it replaces, whatever the order of sets
// and deletes, and yields its ids in increasing order.
func TestLeaseTimes(t *testing.T) {
	type step struct {
		del    bool
		id, at int64
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"empty", nil},
		{"one", []step{{id: 1, at: 5}}},
		{"time zero is a time", []step{{id: 3, at: 0}}},
		{"sparse and overwritten", []step{{id: 7, at: 1}, {id: 2, at: -4}, {id: 7, at: 9}, {id: 100, at: 3}}},
		{"deleted and set again", []step{{id: 1, at: 1}, {id: 2, at: 2}, {del: true, id: 1}, {del: true, id: 1}, {id: 1, at: 8}, {del: true, id: 2}}},
		{"deletes out of range", []step{{del: true, id: 0}, {del: true, id: -3}, {del: true, id: 1 << 40}, {id: 4, at: 4}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lt leaseTimes
			want := map[int64]int64{}
			for _, s := range tc.steps {
				if s.del {
					lt.del(s.id)
					delete(want, s.id)
				} else {
					lt.set(s.id, s.at)
					want[s.id] = s.at
				}
			}
			for _, id := range []int64{-1, 0, 1, 2, 3, 4, 7, 99, 100, 101, 1 << 40} {
				at, ok := lt.get(id)
				if wat, wok := want[id]; at != wat || ok != wok {
					t.Errorf("get(%d) = %d, %v; want %d, %v", id, at, ok, wat, wok)
				}
			}
			var ids []int64
			for id, at := range lt.all() {
				ids = append(ids, id)
				if at != want[id] {
					t.Errorf("all yields %d at %d, want %d", id, at, want[id])
				}
			}
			if w := slices.Sorted(maps.Keys(want)); !slices.Equal(ids, w) {
				t.Errorf("all yields ids %v, want %v", ids, w)
			}
		})
	}
}
