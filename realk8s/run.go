package realk8s

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/klog/v2"

	"github.com/leasesim/leasesim/history"
)

// FaultKind names a fault a schedule can apply to one candidate's link or process.
type FaultKind string

// The faults.
const (
	// Crash cancels the candidate's context at At, for good (Until is ignored).
	Crash FaultKind = "crash"
	// Partition loses every request from and answer to the candidate in [At, Until).
	Partition FaultKind = "partition"
	// CutRequests loses the candidate's requests in [At, Until) (the model's
	// cut_oneway from the candidate to the issuer).
	CutRequests FaultKind = "cut_oneway"
	// SlowAnswers delays the answers to the candidate by By more in [At, Until) (the
	// model's slow from the issuer to the candidate).
	SlowAnswers FaultKind = "slow"
	// Refuse makes the candidate's requests fail at once in [At, Until).
	Refuse FaultKind = "refuse"
)

// Leader, as a Fault's Node, is whichever candidate leads when the fault starts (none:
// the fault does nothing).
const Leader = "leader"

// Fault is one fault of a schedule.
type Fault struct {
	Kind      FaultKind
	Node      string // a candidate, or Leader
	At, Until time.Duration
	By        time.Duration // SlowAnswers only
}

// Config is one run: the candidates, client-go's three durations, the network and the
// faults.
type Config struct {
	Holders                                   []string
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	// DelayMin and DelayMax bound the one-way delays, drawn uniformly; Loss is the
	// chance that one message is lost.
	DelayMin, DelayMax time.Duration
	Loss               float64
	// WriteEvery is how often the leader writes to the resource while it leads (0: no
	// writes).
	WriteEvery time.Duration
	Faults     []Fault
	Duration   time.Duration
	Seed       uint64
	// ClaimByIsLeader makes each candidate an application that believes it leads while
	// LeaderElector.IsLeader says so, instead of from OnStartedLeading to
	// OnStoppedLeading, and that keeps running when the elector stops (the model's
	// ignores-renew-deadline mutant, in real code): IsLeader reports the last record
	// the elector saw, which names it for good once the elector has stopped.
	ClaimByIsLeader bool
}

// recorder builds the history as the run goes.
type recorder struct {
	start time.Time
	mu    sync.Mutex
	h     history.History
	open  map[string]int // the index of each holder's open claim
}

func (r *recorder) now() int64 { return int64(time.Since(r.start)) }

func (r *recorder) op(op history.Op) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.h.Ops = append(r.h.Ops, op)
}

func (r *recorder) claim(holder string, epoch uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.open[holder] = len(r.h.Claims)
	r.h.Claims = append(r.h.Claims, history.Claim{Holder: holder, Lease: history.LeaderLease, Epoch: epoch,
		From: r.now(), To: history.Forever, End: history.EndRunEnd, Clock: "mono"})
}

func (r *recorder) release(holder string, why history.EndReason) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.open[holder]
	if !ok {
		return
	}
	delete(r.open, holder)
	r.h.Claims[i].To, r.h.Claims[i].End = r.now(), why
}

// leader returns the holder with an open claim, or "".
func (r *recorder) leader() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	best, from := "", int64(-1)
	for h, i := range r.open {
		if c := r.h.Claims[i]; c.From > from || (c.From == from && h < best) {
			best, from = h, c.From
		}
	}
	return best
}

// Run runs real client-go LeaderElectors, one per holder, against the in-memory store
// for cfg.Duration and returns the history. It must be called inside a testing/synctest
// bubble (synctest.Test): time is the bubble's fake clock, and the run takes no real
// time. Every goroutine it starts has ended when it returns.
func Run(cfg Config) (*history.History, error) {
	if cfg.DelayMax < cfg.DelayMin || cfg.DelayMin <= 0 {
		return nil, fmt.Errorf("realk8s: delays must satisfy 0 < DelayMin <= DelayMax, got [%v, %v]", cfg.DelayMin, cfg.DelayMax)
	}
	for i, f := range cfg.Faults {
		switch {
		case f.Node != Leader && !slices.Contains(cfg.Holders, f.Node):
			return nil, fmt.Errorf("realk8s: fault %d (%s): node %q is not a holder (%s) or %q", i, f.Kind, f.Node, strings.Join(cfg.Holders, ", "), Leader)
		case f.Kind != Crash && f.Until <= f.At:
			return nil, fmt.Errorf("realk8s: fault %d (%s): until %v must be after at %v", i, f.Kind, f.Until, f.At)
		case f.Kind == SlowAnswers && f.By <= 0:
			return nil, fmt.Errorf("realk8s: fault %d (slow): by must be > 0, got %v", i, f.By)
		}
	}
	rec := &recorder{start: time.Now(), open: map[string]int{}}
	span := int64(cfg.DelayMax - cfg.DelayMin)
	s := &store{rec: rec, loss: cfg.Loss, rngs: map[string]*rand.Rand{}, links: map[string]*link{},
		delay: func(r *rand.Rand) time.Duration {
			return cfg.DelayMin + time.Duration(r.Int64N(span+1))
		}}
	for i, h := range cfg.Holders {
		s.rngs[h] = rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))
		s.links[h] = &link{}
	}
	// The resource's delays come from their own source.
	wrng := rand.New(rand.NewPCG(cfg.Seed, 0))
	var wmu sync.Mutex

	logger := logr.Discard()
	base := klog.NewContext(context.Background(), logger)
	runCtx, stopAll := context.WithCancel(base)
	var wg sync.WaitGroup
	cancels := map[string]context.CancelFunc{}
	crashed := map[string]bool{}
	var cmu sync.Mutex

	for _, h := range cfg.Holders {
		l := &lock{s: s, id: h, timeout: cfg.RenewDeadline}
		ctx, cancel := context.WithCancel(runCtx)
		cancels[h] = cancel
		lec := leaderelection.LeaderElectionConfig{
			Lock: l, Name: "leader",
			LeaseDuration: cfg.LeaseDuration, RenewDeadline: cfg.RenewDeadline, RetryPeriod: cfg.RetryPeriod,
			Callbacks: leaderelection.LeaderCallbacks{
				OnStartedLeading: func(ctx context.Context) {
					epoch := uint64(l.written())
					rec.claim(h, epoch)
					if cfg.WriteEvery <= 0 {
						return
					}
					for sleep(ctx, cfg.WriteEvery) {
						sent := rec.now()
						wmu.Lock()
						d := cfg.DelayMin + time.Duration(wrng.Int64N(span+1))
						wmu.Unlock()
						wg.Add(1)
						go func() { // the write travels to the resource, which takes it
							defer wg.Done()
							time.Sleep(d)
							rec.mu.Lock()
							rec.h.Writes = append(rec.h.Writes, history.Write{Writer: h, Epoch: epoch, Sent: sent, At: rec.now(), Accepted: true})
							rec.mu.Unlock()
						}()
					}
				},
				OnStoppedLeading: func() {
					if cfg.ClaimByIsLeader && ctx.Err() == nil {
						return // the application asks IsLeader instead
					}
					why := history.EndRelease
					cmu.Lock()
					if crashed[h] {
						why = history.EndCrash
					}
					cmu.Unlock()
					if runCtx.Err() != nil {
						why = history.EndRunEnd
					}
					rec.release(h, why)
				},
			},
		}
		if _, err := leaderelection.NewLeaderElector(lec); err != nil {
			stopAll()
			return nil, fmt.Errorf("realk8s: %s: %w", h, err)
		}
		// Each candidate starts after a seeded offset in (0, RetryPeriod], as the model's
		// electors do: processes do not start in the same instant.
		s.mu.Lock()
		offset := time.Duration(s.rngs[h].Int64N(int64(cfg.RetryPeriod)) + 1)
		s.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !sleep(ctx, offset) {
				return
			}
			// A leader that stops leading runs for election again with a new elector, as
			// a restarted process would (kube-controller-manager exits on losing the
			// lease and is restarted).
			for ctx.Err() == nil {
				le, _ := leaderelection.NewLeaderElector(lec)
				le.Run(ctx)
				if cfg.ClaimByIsLeader && ctx.Err() == nil {
					for le.IsLeader() && sleep(ctx, cfg.RetryPeriod) {
					}
					if ctx.Err() == nil {
						rec.release(h, history.EndRelease)
					}
				}
			}
		}()
	}

	// The fault schedule.
	faults := slices.Clone(cfg.Faults)
	slices.SortStableFunc(faults, func(a, b Fault) int { return int(a.At - b.At) })
	type change struct {
		at    time.Duration
		apply func()
	}
	var changes []change
	for _, f := range faults {
		f := f
		var node string
		resolve := func() string {
			if f.Node == Leader {
				return rec.leader()
			}
			return f.Node
		}
		set := func(on bool) func() {
			return func() {
				if on {
					node = resolve()
				}
				if node == "" {
					return
				}
				s.setLink(node, func(l *link) {
					switch f.Kind {
					case Partition:
						l.dropRequests, l.dropAnswers = on, on
					case CutRequests:
						l.dropRequests = on
					case Refuse:
						l.refuse = on
					case SlowAnswers:
						l.slowAnswers = 0
						if on {
							l.slowAnswers = f.By
						}
					}
				})
				if on {
					rec.mu.Lock()
					rec.h.Faults = append(rec.h.Faults, history.Fault{Kind: string(f.Kind), Nodes: []string{node},
						From: int64(f.At), To: int64(min(f.Until, cfg.Duration))})
					rec.mu.Unlock()
				}
			}
		}
		switch f.Kind {
		case Crash:
			changes = append(changes, change{f.At, func() {
				node := resolve()
				if node == "" {
					return
				}
				cmu.Lock()
				crashed[node] = true
				cmu.Unlock()
				rec.mu.Lock()
				rec.h.Faults = append(rec.h.Faults, history.Fault{Kind: "crash", Nodes: []string{node}, From: int64(f.At), To: int64(f.At)})
				rec.h.Up = append(rec.h.Up, history.Up{Holder: node, From: 0, To: int64(f.At)})
				rec.mu.Unlock()
				cancels[node]()
			}})
		case Partition, CutRequests, Refuse, SlowAnswers:
			changes = append(changes, change{f.At, set(true)}, change{f.Until, set(false)})
		default:
			stopAll()
			wg.Wait()
			return nil, fmt.Errorf("realk8s: fault kind %q is not one of crash, partition, cut_oneway, slow, refuse", f.Kind)
		}
	}
	slices.SortStableFunc(changes, func(a, b change) int { return int(a.at - b.at) })
	for _, c := range changes {
		if c.at >= cfg.Duration {
			break
		}
		time.Sleep(c.at - time.Duration(rec.now()))
		c.apply()
	}
	time.Sleep(cfg.Duration - time.Duration(rec.now()))
	end := rec.now()
	// Claims still open at the end are cut there.
	rec.mu.Lock()
	for h, i := range rec.open {
		rec.h.Claims[i].To, rec.h.Claims[i].End = end, history.EndRunEnd
		delete(rec.open, h)
	}
	rec.mu.Unlock()
	stopAll()
	wg.Wait()

	h := &rec.h
	h.Meta = history.Meta{Scenario: "realk8s", Protocol: "k8s", Seed: cfg.Seed, Start: 0, End: end,
		Holders: slices.Clone(cfg.Holders), Issuers: []string{"Q"}, Resource: "R",
		Params: map[string]string{"lease_duration": cfg.LeaseDuration.String(), "renew_deadline": cfg.RenewDeadline.String(), "retry_period": cfg.RetryPeriod.String()}}
	// Keep only what happened inside the window, in a stable order.
	h.Claims = slices.DeleteFunc(h.Claims, func(c history.Claim) bool { return c.From >= end })
	h.Writes = slices.DeleteFunc(h.Writes, func(w history.Write) bool { return w.At >= end })
	for i := range h.Ops {
		if h.Ops[i].Return != history.Forever && h.Ops[i].Return > end {
			h.Ops[i].Return = history.Forever
		}
	}
	h.Ops = slices.DeleteFunc(h.Ops, func(o history.Op) bool { return o.Call >= end })
	slices.SortStableFunc(h.Ops, func(a, b history.Op) int { return int(a.Call - b.Call) })
	slices.SortStableFunc(h.Writes, func(a, b history.Write) int { return int(a.At - b.At) })
	slices.SortStableFunc(h.Claims, func(a, b history.Claim) int { return int(a.From - b.From) })
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("realk8s: the recorded history is not valid: %w", err)
	}
	return h, nil
}
