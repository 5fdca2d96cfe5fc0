package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLognormalTable checks the tabulated lognormal quantiles against the exact inverse
// CDF: within a nanosecond or one part in 10^4, whichever is larger, across the whole
// range of u, for delay shapes from LAN to WAN.
func TestLognormalTable(t *testing.T) {
	for _, dd := range []DelayDist{
		{Kind: "lognormal", Median: 2e6, P99: 40e6},
		{Kind: "lognormal", Median: 100e3, P99: 200e3},
		{Kind: "lognormal", Median: 50e6, P99: 5e9},
	} {
		ds, err := newDelaySampler(dd)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 200000; i++ {
			u := rng.Float64()
			got := float64(ds.sample(u))
			want := math.Floor(ds.lognormalExact(u))
			if diff := math.Abs(got - want); diff > math.Max(1, want*1e-4) {
				t.Fatalf("%+v: u=%v: table %v, exact %v", dd, u, got, want)
			}
		}
		// The median and p99 are where they were asked to be.
		if m := ds.sample(0.5); math.Abs(float64(m-dd.Median)) > 1 {
			t.Errorf("%+v: median %d", dd, m)
		}
		if p := ds.sample(0.99); math.Abs(float64(p-dd.P99)) > float64(dd.P99)*1e-5 {
			t.Errorf("%+v: p99 %d", dd, p)
		}
	}
}

// TestLognormalTableShared checks that runs share a distribution's quantile table, and
// that a shared table holds exactly what building it afresh gives.
func TestLognormalTableShared(t *testing.T) {
	tests := []struct {
		name      string
		a, b      DelayDist
		wantShare bool
	}{
		{"same distribution", DelayDist{Kind: "lognormal", Median: 3e6, P99: 30e6}, DelayDist{Kind: "lognormal", Median: 3e6, P99: 30e6}, true},
		{"another p99", DelayDist{Kind: "lognormal", Median: 3e6, P99: 30e6}, DelayDist{Kind: "lognormal", Median: 3e6, P99: 31e6}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, errA := newDelaySampler(tt.a)
			b, errB := newDelaySampler(tt.b)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if shared := a.table == b.table; shared != tt.wantShare {
				t.Errorf("tables shared: %v, want %v", shared, tt.wantShare)
			}
			for _, ds := range []delaySampler{a, b} {
				for i := 1; i < lognormalSteps; i++ {
					if want := ds.lognormalExact(float64(i) / lognormalSteps); ds.table[i] != want {
						t.Fatalf("table[%d] = %v, built afresh %v", i, ds.table[i], want)
					}
				}
			}
		})
	}
}

// TestLognormalWord checks that the lookup from the 32-bit word gives exactly what the
// lookup from its uniform gives, in and out of the table's range: at both ends of every
// table interval, and at random words.
func TestLognormalWord(t *testing.T) {
	for _, dd := range []DelayDist{
		{Kind: "lognormal", Median: 2e6, P99: 40e6},
		{Kind: "lognormal", Median: 100e3, P99: 200e3},
		{Kind: "lognormal", Median: 50e6, P99: 5e9},
	} {
		ds, err := newDelaySampler(dd)
		if err != nil {
			t.Fatal(err)
		}
		check := func(w uint32) {
			got, gotOK := ds.lognormalWord(w)
			want, wantOK := ds.lognormalTable(unit32(uint64(w)))
			if got != want || gotOK != wantOK {
				t.Fatalf("%+v: w=%#x: word %d %v, uniform %d %v", dd, w, got, gotOK, want, wantOK)
			}
		}
		for i := uint32(0); i < lognormalSteps; i++ {
			for _, off := range []uint32{0, 1, 1<<19 + 7, 1<<20 - 1} {
				check(i<<20 + off)
			}
		}
		rng := rand.New(rand.NewPCG(3, 4))
		for i := 0; i < 1<<20; i++ {
			check(rng.Uint32())
		}
	}
}
