package live

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// How long teardown waits for a killed holder to be reaped, and setup for etcd.
const (
	reapTimeout  = 10 * time.Second
	watchTimeout = 10 * time.Second
)

// parentProxies is the key in trial.proxies of the parent's own proxies (no holder can
// be named so).
const parentProxies = " parent"

// trial is one live trial: its timeline, holders, proxies and recorder.
type trial struct {
	cfg       *Config
	index     int
	seed      uint64
	endpoints []string
	// cluster is the embedded etcd, for member faults (nil with given endpoints).
	cluster  *Cluster
	election string // election key prefix
	resource string // resource key
	prefix   string // every key of the trial

	start time.Time
	rec   *recorder
	rng   *rand.Rand

	outMu sync.Mutex

	mu      sync.Mutex
	proxies map[string][]*Proxy
	procs   map[string]*holderProc // the current process of each holder
	all     []*holderProc
	killed  map[*holderProc]bool // processes this trial killed on purpose
	paused  map[string]int       // active pause faults per holder
	notes   []string
	ports   []int
}

func newTrial(cfg *Config, index int, endpoints []string, runID string) *trial {
	seed := cfg.Seed + uint64(index)
	prefix := fmt.Sprintf("/leasesim/%s/trial-%d/", runID, index)
	return &trial{
		cfg: cfg, index: index, seed: seed, endpoints: endpoints,
		prefix: prefix, election: prefix + "election/", resource: prefix + "resource",
		rec:     newRecorder(),
		rng:     rand.New(rand.NewPCG(seed, 0x6c65617365)),
		proxies: map[string][]*Proxy{},
		procs:   map[string]*holderProc{},
		killed:  map[*holderProc]bool{},
		paused:  map[string]int{},
	}
}

// clock is the trial's single reference timeline: ns since the trial started, on this
// process's monotonic clock.
func (t *trial) clock() int64 { return int64(time.Since(t.start)) }

func (t *trial) say(format string, args ...any) {
	if t.cfg.Out == nil {
		return
	}
	t.outMu.Lock()
	defer t.outMu.Unlock()
	progress(t.cfg.Out, "trial %d %7.3fs  %s", t.index, time.Duration(t.clock()).Seconds(), fmt.Sprintf(format, args...))
}

func (t *trial) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	t.mu.Lock()
	t.notes = append(t.notes, s)
	t.mu.Unlock()
	t.say("%s", s)
}

// run runs the trial and always tears it down before returning.
func (t *trial) run(ctx context.Context) (res TrialResult, err error) {
	t.start = time.Now()
	endpoints := t.endpoints
	if t.cluster != nil && t.cluster.Members() > 1 {
		// The parent's own client (the resource watch) reaches the members through
		// proxies too, that a member crash resets: otherwise etcd, stopping, would wait
		// its request timeout for the watch stream to end before it closed.
		endpoints = nil
		for k, ep := range t.endpoints {
			p, err := NewProxy(ep, t.seed^uint64(k)<<32, t.cfg.RTO)
			if err != nil {
				return res, err
			}
			t.mu.Lock()
			t.proxies[parentProxies] = append(t.proxies[parentProxies], p)
			t.ports = append(t.ports, p.Port())
			t.mu.Unlock()
			endpoints = append(endpoints, p.Addr())
		}
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: watchTimeout, Logger: zap.NewNop()})
	if err != nil {
		return res, fmt.Errorf("connect to etcd %v: %w", t.endpoints, err)
	}
	wctx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	defer func() {
		if terr := t.teardown(cli, stopWatch, watchDone); terr != nil && err == nil {
			err = terr
		}
	}()

	if err := t.watchResource(wctx, cli, watchDone); err != nil {
		return res, err
	}
	for _, h := range t.cfg.Holders {
		for k, ep := range t.endpoints {
			p, err := NewProxy(ep, t.seed^hashName(h)^uint64(k)<<32, t.cfg.RTO)
			if err != nil {
				return res, err
			}
			t.mu.Lock()
			t.proxies[h] = append(t.proxies[h], p)
			t.ports = append(t.ports, p.Port())
			t.mu.Unlock()
		}
	}
	for _, h := range t.cfg.Holders {
		if err := t.startHolder(h, 1); err != nil {
			return res, err
		}
	}
	end, err := t.applyPlan(ctx)
	if err != nil {
		return res, err
	}
	t.rec.seal(end)
	t.say("end")
	return t.result(end), nil
}

// watchResource watches the resource key from now on: etcd's accepted writes, in the
// order it accepted them, stamped as they arrive.
func (t *trial) watchResource(ctx context.Context, cli *clientv3.Client, done chan struct{}) error {
	// cli.Watch itself blocks until it reaches etcd, and only ctx ends that wait: call it
	// aside, so that an etcd gone quiet fails the trial after watchTimeout (teardown's
	// stopWatch then ends the call).
	opened := make(chan clientv3.WatchChan, 1)
	go func() { opened <- cli.Watch(ctx, t.resource, clientv3.WithCreatedNotify()) }()
	timeout := time.After(watchTimeout)
	var wch clientv3.WatchChan
	select {
	case wch = <-opened:
	case <-timeout:
		close(done)
		return fmt.Errorf("watch %s: etcd %v did not answer within %v", t.resource, t.endpoints, watchTimeout)
	case <-ctx.Done():
		close(done)
		return ctx.Err()
	}
	select {
	case resp, ok := <-wch:
		if !ok || !resp.Created {
			close(done)
			return fmt.Errorf("watch %s on etcd %v: %v", t.resource, t.endpoints, resp.Err())
		}
	case <-timeout:
		close(done)
		return fmt.Errorf("watch %s: etcd %v did not answer within %v", t.resource, t.endpoints, watchTimeout)
	case <-ctx.Done():
		close(done)
		return ctx.Err()
	}
	go func() {
		defer close(done)
		for resp := range wch {
			stamp := t.clock()
			if err := resp.Err(); err != nil && ctx.Err() == nil {
				t.note("watch on the resource key failed: %v", err)
			}
			for _, ev := range resp.Events {
				if ev.Type != clientv3.EventTypePut {
					continue
				}
				v, err := parseResourceValue(string(ev.Kv.Value))
				if err != nil {
					t.note("%v", err)
					continue
				}
				t.rec.writeAccepted(v, ev.Kv.ModRevision, stamp)
			}
		}
	}()
	return nil
}

// startHolder starts incarnation n of holder h behind its proxies.
func (t *trial) startHolder(h string, n int) error {
	t.mu.Lock()
	addrs := make([]string, 0, len(t.proxies[h]))
	for _, p := range t.proxies[h] {
		addrs = append(addrs, p.Addr())
	}
	t.mu.Unlock()
	flags := []string{
		"-name", h,
		"-endpoints", strings.Join(addrs, ","),
		"-ttl", strconv.Itoa(int(t.cfg.TTL / time.Second)),
		"-election", t.election,
		"-resource", t.resource,
		"-write-every", t.cfg.WriteEvery.String(),
	}
	if t.cfg.Unfenced {
		flags = append(flags, "-unfenced")
	}
	// The process exists no earlier than this stamp.
	t.rec.started(h, t.clock())
	p, err := startProc(t.cfg.HolderCommand, t.cfg.HolderEnv, flags, h, n, t.clock,
		procHooks{line: t.onLine, exit: t.onExit})
	if err != nil {
		t.rec.exited(h, t.clock())
		return err
	}
	t.mu.Lock()
	t.procs[h] = p
	t.all = append(t.all, p)
	t.mu.Unlock()
	t.say("%s started (pid %d, incarnation %d)", h, p.pid, n)
	return nil
}

// onLine handles one stamped line of a holder.
func (t *trial) onLine(p *holderProc, stamp int64, line string) {
	e, err := parseEvent(line)
	if err != nil {
		t.note("%s: %v", p.name, err)
		return
	}
	switch e.Kind {
	case evWon:
		t.rec.won(p.name, e.Rev, stamp)
		// The holder acts on its win only after this acknowledgement, so its claim's
		// recorded start is no later than anything it does as leader.
		if err := p.send(fmt.Sprintf("%s %d", cmdGo, e.Rev)); err != nil && p.alive() {
			t.note("%s: acknowledge win: %v", p.name, err)
		}
		t.say("%s won, epoch %d", p.name, e.Rev)
	case evLost:
		t.rec.lost(p.name, e.Rev, stamp)
		t.say("%s lost epoch %d (%s)", p.name, e.Rev, e.Text)
	case evWrite:
		t.rec.writeSent(p.name, e.Rev, e.Seq, stamp)
	case evWriteRejected:
		var token uint64
		if !t.cfg.Unfenced {
			token = uint64(e.Rev)
		}
		t.rec.writeRejected(p.name, e.Rev, e.Seq, stamp, token)
		t.say("%s: write %d of epoch %d rejected by the fence", p.name, e.Seq, e.Rev)
	case evError:
		t.say("%s: %s", p.name, e.Text)
	}
}

// onExit handles a holder process's exit: its claim and up interval end.
func (t *trial) onExit(p *holderProc, stamp int64, err error) {
	t.mu.Lock()
	current := t.procs[p.name] == p
	killed := t.killed[p]
	t.mu.Unlock()
	if current {
		t.rec.exited(p.name, stamp)
	}
	if !killed {
		t.note("holder %s (pid %d) exited on its own: %v; stderr: %s", p.name, p.pid, err, p.stderr.String())
	}
}

// kill kills a holder process on purpose and waits until it is reaped.
func (t *trial) kill(p *holderProc) error {
	t.mu.Lock()
	t.killed[p] = true
	t.mu.Unlock()
	return p.kill(reapTimeout)
}

// teardown kills every holder, closes every proxy, stops the watch and the client, and
// removes the trial's keys. It returns the first error.
func (t *trial) teardown(cli *clientv3.Client, stopWatch context.CancelFunc, watchDone <-chan struct{}) error {
	t.rec.seal(t.clock())
	var errs []error
	t.mu.Lock()
	procs := append([]*holderProc(nil), t.all...)
	var proxies []*Proxy
	for h, ps := range t.proxies {
		if h != parentProxies {
			proxies = append(proxies, ps...)
		}
	}
	parent := t.proxies[parentProxies]
	t.mu.Unlock()
	for _, p := range procs {
		if err := t.kill(p); err != nil {
			errs = append(errs, err)
		}
	}
	for _, p := range proxies {
		p.Close()
	}
	stopWatch()
	<-watchDone
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	if _, err := cli.Delete(ctx, t.prefix, clientv3.WithPrefix()); err != nil {
		t.say("could not delete the trial's keys %s: %v", t.prefix, err)
	}
	cancel()
	if err := cli.Close(); err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, err)
	}
	for _, p := range parent {
		p.Close()
	}
	return errors.Join(errs...)
}

// result builds the trial's result from its sealed recorder.
func (t *trial) result(end int64) TrialResult {
	params := map[string]string{
		"ttl":          t.cfg.TTL.String(),
		"write_every":  t.cfg.WriteEvery.String(),
		"fenced":       strconv.FormatBool(!t.cfg.Unfenced),
		"endpoints":    strings.Join(t.endpoints, ","),
		"trial":        strconv.Itoa(t.index),
		"election":     t.election,
		"resource_key": t.resource,
	}
	meta := history.Meta{
		Scenario: t.cfg.Scenario, Protocol: Protocol, Seed: t.seed, Params: params,
		Start: 0, End: end, Holders: append([]string(nil), t.cfg.Holders...),
		Issuers: []string{"etcd"}, Resource: resourceName, Live: true,
	}
	if t.cluster != nil {
		meta.Issuers = meta.Issuers[:0]
		for i := range t.cluster.Members() {
			meta.Issuers = append(meta.Issuers, MemberName(i, t.cluster.Members()))
		}
		params["members"] = strconv.Itoa(t.cluster.Members())
	}
	h := t.rec.history(meta, !t.cfg.Unfenced)
	check := checker.Check(h, checker.Options{PorcupineTimeout: t.cfg.PorcupineTimeout})
	j := Judge(check, end)
	r := TrialResult{
		Trial: t.index, Seed: t.seed, Scenario: t.cfg.Scenario, Verdict: j.Verdict,
		BeliefOverlaps: j.BeliefOverlaps, EffectiveOverlaps: j.EffectiveOverlaps, OtherFindings: j.Other,
		Check: check, LeaderChanges: max(len(h.Claims)-1, 0), History: h,
	}
	for _, w := range j.BeliefOverlaps {
		r.MaxBeliefOverlapMS = max(r.MaxBeliefOverlapMS, w.MS)
	}
	for _, w := range h.Writes {
		if w.Accepted {
			r.AcceptedWrites++
		} else {
			r.RejectedWrites++
		}
	}
	t.mu.Lock()
	r.Notes = append(r.Notes, t.notes...)
	r.Ports = append([]int{}, t.ports...)
	r.PIDs = []int{}
	for _, p := range t.all {
		r.PIDs = append(r.PIDs, p.pid)
	}
	t.mu.Unlock()
	return r
}

// hashName mixes a holder's name into a seed.
func hashName(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
