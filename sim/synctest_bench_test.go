package sim_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The lease protocol of the reference workload written the way a user would write it
// without leasesim: one goroutine per node, channels as links, time.AfterFunc for
// message delay and time.Ticker for renewals, run under testing/synctest so that an hour
// of fake time passes as fast as the goroutines allow. It does the same work as the
// simulated reference run: 1 issuer and 5 holders, renew every 1s, a 10s lease with a
// 500ms guard, lognormal delays (median 2ms, p99 40ms) and 1% loss, and records each
// holder's claims.

type goMsg struct {
	kind  int // 0 request, 1 grant, 2 deny
	from  int
	epoch uint64
	sent  time.Time
}

type goNet struct {
	mu    sync.Mutex
	rng   *rand.Rand
	mu2   float64 // lognormal parameters
	sigma float64
	sent  int64
}

func newGoNet(seed uint64) *goNet {
	median, p99 := 2e6, 40e6
	return &goNet{rng: rand.New(rand.NewPCG(seed, 7)), mu2: math.Log(median), sigma: math.Log(p99/median) / 2.326}
}

// send delivers m to ch after a lognormal delay, unless it is lost.
func (n *goNet) send(ch chan goMsg, m goMsg) {
	n.mu.Lock()
	n.sent++
	lost := n.rng.Float64() < 0.01
	d := time.Duration(math.Exp(n.mu2 + n.sigma*n.rng.NormFloat64()))
	n.mu.Unlock()
	if lost {
		return
	}
	time.AfterFunc(d, func() {
		select {
		case ch <- m:
		default: // a full inbox drops the message, like a lost one
		}
	})
}

type goClaim struct {
	holder   int
	from, to time.Time
}

// runGoroutineLease runs the goroutine version for d of fake time and returns the number
// of messages sent and claims recorded.
func runGoroutineLease(seed uint64, holders int, d time.Duration) (int64, int) {
	const lease, guard, renew = 10 * time.Second, 500 * time.Millisecond, time.Second
	net := newGoNet(seed)
	issuerIn := make(chan goMsg, 1024)
	holderIn := make([]chan goMsg, holders)
	for i := range holderIn {
		holderIn[i] = make(chan goMsg, 1024)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var claimsMu sync.Mutex
	var claims []goClaim

	wg.Add(1)
	go func() { // the issuer
		defer wg.Done()
		owner, epoch := -1, uint64(0)
		var expires time.Time
		for {
			select {
			case <-stop:
				return
			case m := <-issuerIn:
				now := time.Now()
				if owner != m.from && now.Before(expires.Add(guard)) {
					net.send(holderIn[m.from], goMsg{kind: 2, from: -1})
					continue
				}
				if owner != m.from {
					owner, epoch = m.from, epoch+1
				}
				expires = now.Add(lease)
				net.send(holderIn[m.from], goMsg{kind: 1, from: -1, epoch: epoch, sent: m.sent})
			}
		}
	}()
	for h := 0; h < holders; h++ {
		wg.Add(1)
		go func() { // a holder
			defer wg.Done()
			tick := time.NewTicker(renew)
			defer tick.Stop()
			var cur *goClaim
			var until time.Time
			request := func() { net.send(issuerIn, goMsg{kind: 0, from: h, sent: time.Now()}) }
			request()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					if cur != nil && !time.Now().Before(until) {
						cur.to = until
						claimsMu.Lock()
						claims = append(claims, *cur)
						claimsMu.Unlock()
						cur = nil
					}
					request()
				case m := <-holderIn[h]:
					if m.kind != 1 {
						continue
					}
					until = m.sent.Add(lease - guard)
					if cur == nil && time.Now().Before(until) {
						cur = &goClaim{holder: h, from: time.Now()}
					}
				}
			}
		}()
	}
	time.Sleep(d)
	close(stop)
	wg.Wait()
	return net.sent, len(claims)
}

// BenchmarkSynctestLease is the goroutine version of the reference workload (one hour of
// fake time under testing/synctest), to compare with BenchmarkReference.
//
// synctest.Test needs a *testing.T, so each iteration runs one test through
// testing.RunTests — which repeats it for every -count and every -cpu value and sets
// GOMAXPROCS itself. The metric that counts is therefore measured inside the test:
// ms/simhour is the mean wall time of one synctest run (cpu-ms/simhour: the process's
// CPU time over the run), on one core (GOMAXPROCS 1 inside
// the bubble, like a simulation, which is single-threaded; docs/semantics.md states its targets
// per core, and a suite runs one simulation per core).
func BenchmarkSynctestLease(b *testing.B) {
	var (
		inner    time.Duration
		innerCPU int64
		runs     int
		msgs     int64
		hasCPU   bool
	)
	for i := 0; i < b.N; i++ {
		ok := testing.RunTests(func(string, string) (bool, error) { return true, nil }, []testing.InternalTest{{
			Name: "synctest-lease",
			F: func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
				start := time.Now()
				cpu0, ok := processCPU()
				synctest.Test(t, func(t *testing.T) {
					m, _ := runGoroutineLease(uint64(i), 5, time.Hour)
					msgs += m
				})
				inner += time.Since(start)
				cpu1, _ := processCPU()
				innerCPU += cpu1 - cpu0
				hasCPU = ok
				runs++
			},
		}})
		if !ok {
			b.Fatal("the synctest run failed")
		}
	}
	b.ReportMetric(float64(inner.Nanoseconds())/float64(runs)/1e6, "ms/simhour")
	if hasCPU {
		b.ReportMetric(float64(innerCPU)/float64(runs)/1e6, "cpu-ms/simhour")
	}
	b.ReportMetric(float64(msgs)/float64(runs), "msgs/run")
}
