package sim

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkKernelPing runs the ping protocol (1 ponger, 5 pingers at 1 Hz, lognormal
// delays, 1% loss) for one simulated hour and reports the cost per processed event, to
// compare with BenchmarkBareLoop, the event queue's own limit.
func BenchmarkKernelPing(b *testing.B) {
	var events int64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h, err := Run(pingConfig(uint64(i), 5, 3600*sec))
		if err != nil {
			b.Fatal(err)
		}
		events += h.Meta.Events
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(events)/float64(b.N), "events/run")
}

// BenchmarkBareLoop is the limit of the kernel: the same event queue, pushing and
// popping events with exponentially spaced times and a steady population like the
// reference run's, with no protocol, network or clock work. One op is as many events as
// one simulated hour of the reference workload, so that ms/op reads like its
// ms/simhour and even -benchtime 3x measures something.
func BenchmarkBareLoop(b *testing.B) {
	const (
		population = 16
		perOp      = 55_000
	)
	rng := rand.New(rand.NewPCG(1, 2))
	var q eventQueue
	now := int64(0)
	for i := 0; i < population; i++ {
		q.push(int64(rng.ExpFloat64()*1e8), evBody{kind: evTimer})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < perOp; j++ {
			at, body := q.pop()
			now = at
			q.push(now+int64(rng.ExpFloat64()*1e8), body)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perOp, "ns/event")
}
