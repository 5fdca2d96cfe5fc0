package etcd

import (
	"math/rand/v2"
	"testing"
)

// TestWaitListIsAMap: over random runs of adds (ids with gaps, arrival times mostly
// rising, sometimes going back), takes of held, answered and unknown ids, and forgets,
// a waitList holds exactly what a map from id to request holds, and answers take as the
// map does.
func TestWaitListIsAMap(t *testing.T) {
	cases := []struct {
		name    string
		back    float64 // chance an arrival time goes back
		gap     int     // ids skipped at most between two requests
		takeOld float64 // chance a take picks an old id rather than a recent one
	}{
		{"in order", 0, 0, 0.1},
		{"gaps", 0, 5, 0.3},
		{"clock back", 0.05, 2, 0.3},
		{"long-lived", 0, 1, 0.01},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(c.name))))
			var w waitList
			m := map[uint64]clientReq{}
			id, at := uint64(1000), int64(0)
			for step := range 20000 {
				switch k := r.IntN(10); {
				case k < 5:
					id += 1 + uint64(r.IntN(c.gap+1))
					at += int64(r.IntN(10))
					if r.Float64() < c.back {
						at -= 50
					}
					cr := clientReq{seq: id, at: at}
					w.add(id, cr)
					m[id] = cr
				case k < 9:
					x := id - uint64(r.IntN(8))
					if r.Float64() < c.takeOld {
						x = id - uint64(r.IntN(2000))
					}
					got, ok := w.take(x)
					want, wok := m[x]
					delete(m, x)
					if ok != wok || got != want {
						t.Fatalf("step %d: take(%d) = %v, %v; want %v, %v", step, x, got, ok, want, wok)
					}
				default:
					cutoff := at - int64(r.IntN(300))
					w.forget(cutoff)
					for x, cr := range m {
						if cr.at < cutoff {
							delete(m, x)
						}
					}
				}
				held := 0
				for i := range w.n {
					if s := w.slot(i); s.in {
						held++
						if want, ok := m[w.base+uint64(i)]; !ok || want != s.cr {
							t.Fatalf("step %d: holds %d (%v), map has %v, %v", step, w.base+uint64(i), s.cr, want, ok)
						}
					}
				}
				if held != len(m) {
					t.Fatalf("step %d: holds %d requests, map %d", step, held, len(m))
				}
			}
		})
	}
}
