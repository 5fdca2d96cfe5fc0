package live

import (
	"context"
	"fmt"
	"sort"
	"syscall"
	"time"

	"github.com/leasesim/leasesim/history"
)

// action is the start or the end of one plan fault.
type action struct {
	at    time.Duration
	end   bool
	fault int
}

// activeFault is a started fault: whom it hit, since when, and how to undo it.
type activeFault struct {
	holder string
	from   int64
	undo   func() error
	// after, when set, says what the fault led to, for the history's Detail at its end.
	after func() string
}

// applyPlan applies the plan's faults at their times and returns the end of the trial
// once its duration has passed (or ctx's error). Faults still active at the end are
// recorded as lasting to the end; teardown removes them.
func (t *trial) applyPlan(ctx context.Context) (end int64, err error) {
	faults := t.cfg.Plan.Faults
	var actions []action
	for i, f := range faults {
		if f.At >= t.cfg.Duration {
			t.note("%s starts at %v, after the trial's end (%v): not applied", f.describe(), f.At, t.cfg.Duration)
			continue
		}
		actions = append(actions, action{at: f.At, fault: i})
		if f.Kind != Reset && f.Until > 0 && f.Until < t.cfg.Duration {
			actions = append(actions, action{at: f.Until, end: true, fault: i})
		}
	}
	// In time order; at equal times ends before starts, then in plan order.
	sort.SliceStable(actions, func(i, j int) bool {
		a, b := actions[i], actions[j]
		if a.at != b.at {
			return a.at < b.at
		}
		return a.end && !b.end
	})
	active := map[int]*activeFault{}
	for _, a := range actions {
		if err := t.sleepUntil(ctx, a.at); err != nil {
			return 0, err
		}
		if a.end {
			if af := active[a.fault]; af != nil {
				delete(active, a.fault)
				if err := t.endFault(faults[a.fault], af); err != nil {
					return 0, err
				}
			}
			continue
		}
		af, err := t.startFault(faults[a.fault])
		if err != nil {
			return 0, err
		}
		if af != nil {
			active[a.fault] = af
		}
	}
	if err := t.sleepUntil(ctx, t.cfg.Duration); err != nil {
		return 0, err
	}
	end = t.clock()
	for i, af := range active {
		f := faults[i]
		t.rec.fault(history.Fault{Kind: f.historyKind(), Nodes: []string{af.holder}, From: af.from, To: end, Detail: f.describe()})
	}
	return end, nil
}

func (t *trial) sleepUntil(ctx context.Context, at time.Duration) error {
	d := time.Until(t.start.Add(at))
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// resolve turns a fault's target into a holder name; "" when no holder is targeted.
func (t *trial) resolve(target string) string {
	switch target {
	case TargetLeader:
		return t.rec.leader()
	case TargetRandom:
		return t.cfg.Holders[t.rng.IntN(len(t.cfg.Holders))]
	}
	return target
}

// startFault applies a fault; it returns nil for instantaneous faults and for faults
// that hit nobody.
func (t *trial) startFault(f Fault) (*activeFault, error) {
	if f.Kind.onMember() {
		return t.startMemberFault(f)
	}
	h := t.resolve(f.Target)
	if h == "" {
		t.note("%s at %v: no holder claimed the lease, so it did nothing", f.describe(), f.At)
		return nil, nil
	}
	af := &activeFault{holder: h}
	switch f.Kind {
	case Blackhole, Delay, Loss:
		e := Effect{Dir: f.Dir, Blackhole: f.Kind == Blackhole, Delay: f.Delay, Jitter: f.Jitter}
		if f.Kind == Loss {
			e.Loss = f.Loss
		}
		t.mu.Lock()
		var removes []func()
		for _, p := range t.proxies[h] {
			removes = append(removes, p.Apply(e))
		}
		t.mu.Unlock()
		af.undo = func() error {
			for _, r := range removes {
				r()
			}
			return nil
		}
	case Reset:
		t.mu.Lock()
		n := 0
		for _, p := range t.proxies[h] {
			n += p.ResetConnections()
		}
		t.mu.Unlock()
		at := t.clock()
		t.rec.fault(history.Fault{Kind: f.historyKind(), Nodes: []string{h}, From: at, To: at,
			Detail: fmt.Sprintf("%s (%d connections)", f.describe(), n)})
		t.say("%s: %s", h, f.describe())
		return nil, nil
	case Pause:
		t.mu.Lock()
		t.paused[h]++
		p := t.procs[h]
		first := t.paused[h] == 1
		t.mu.Unlock()
		if first {
			if err := p.signal(syscall.SIGSTOP); err != nil {
				return nil, fmt.Errorf("pause %s: %w", h, err)
			}
		}
		af.undo = func() error {
			t.mu.Lock()
			t.paused[h]--
			last := t.paused[h] == 0
			p := t.procs[h]
			t.mu.Unlock()
			if last {
				return p.signal(syscall.SIGCONT)
			}
			return nil
		}
	case Crash:
		t.mu.Lock()
		p := t.procs[h]
		t.mu.Unlock()
		// The crash starts before the kill: the holder's claim ends when it is reaped,
		// so the checker sees that the holder held the lease when it crashed (a failover).
		af.from = t.clock()
		if err := t.kill(p); err != nil {
			return nil, err
		}
		af.undo = func() error { return t.startHolder(h, p.incarnation+1) }
		t.say("%s: %s", h, f.describe())
		return af, nil
	}
	af.from = t.clock()
	t.say("%s: %s", h, f.describe())
	return af, nil
}

// endFault undoes a fault and records it.
func (t *trial) endFault(f Fault, af *activeFault) error {
	detail := f.describe()
	if af.after != nil {
		detail += "; " + af.after()
	}
	err := af.undo()
	to := t.clock()
	t.rec.fault(history.Fault{Kind: f.historyKind(), Nodes: []string{af.holder}, From: af.from, To: to, Detail: detail})
	t.say("%s: end of %s", af.holder, f.describe())
	return err
}

// startMemberFault stops an embedded etcd member: the one named, or the raft leader.
// Its holder field is the member's name, as recorded in the history.
func (t *trial) startMemberFault(f Fault) (*activeFault, error) {
	c := t.cluster
	i := -1
	if f.Target == TargetEtcdLeader {
		i = c.Leader()
	} else {
		for m := range c.Members() {
			if MemberName(m, c.Members()) == f.Target {
				i = m
			}
		}
	}
	if i < 0 {
		t.note("%s at %v: no etcd member is raft leader now, so it did nothing", f.describe(), f.At)
		return nil, nil
	}
	name := MemberName(i, c.Members())
	if c.members[i].etcd == nil {
		t.note("%s at %v: member %s is stopped already, so it did nothing", f.describe(), f.At, name)
		return nil, nil
	}
	af := &activeFault{holder: name, from: t.clock()}
	if f.Kind == MemberIsolate {
		heal, err := c.Isolate(i)
		if err != nil {
			return nil, err
		}
		// Its clients (each holder, and the parent, reach member i through their proxy
		// number i) are cut off too, until the heal.
		heals := []func(){heal}
		t.mu.Lock()
		for _, ps := range t.proxies {
			if i < len(ps) {
				heals = append(heals, ps[i].Apply(Effect{Dir: Both, Blackhole: true}))
			}
		}
		t.mu.Unlock()
		af.undo = func() error {
			for _, h := range heals {
				h()
			}
			return nil
		}
		af.after = func() string {
			if l := c.Leader(); l >= 0 {
				return "raft leader before the heal: " + MemberName(l, c.Members())
			}
			return "no raft leader before the heal"
		}
		t.say("%s: %s", name, f.describe())
		return af, nil
	}
	if err := c.Stop(i); err != nil {
		return nil, err
	}
	// The holders' connections to it end as a dead process's would (each holder reaches
	// member i through its proxy number i), and they reconnect to the others.
	t.mu.Lock()
	for _, ps := range t.proxies {
		if i < len(ps) {
			ps[i].ResetConnections()
		}
	}
	t.mu.Unlock()
	af.undo = func() error { return c.Restart(i) }
	t.say("%s: %s", name, f.describe())
	return af, nil
}
