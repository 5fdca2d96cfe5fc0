package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/leasesim/leasesim/history"
)

// procState is a node's process state.
type procState uint8

const (
	procUp procState = iota
	procCrashed
)

// proc is the kernel's record of one node: its state machine, its clocks, its process
// state, and what the kernel holds for it while it is paused.
type proc struct {
	id   NodeID
	spec NodeSpec
	node Node
	// byPtr is node as a MessageStepper, nil when it is not one.
	byPtr MessageStepper
	env   Env
	clock clock
	dyn   *clockDyn // nil for a clock without periodic or slew components
	rng   *rand.Rand

	state       procState
	issuer      bool // the node is an issuer (Role), for the count of issuer messages
	crashDepth  int  // overlapping crash faults
	pauseDepth  int  // overlapping pause faults
	incarnation uint32
	upSince     int64
	durable     any

	// inbox holds messages and fired timers that arrived while paused; held holds
	// outgoing messages whose departure fell inside a pause.
	inbox []Message
	held  []Message

	claims []openClaim
	// claimIndex maps a lease to the slot of its active claim once p has claimIndexFrom
	// slots (nil before); firstFree is then at or below p's first inactive slot.
	claimIndex map[string]int32
	firstFree  int
}

func (p *proc) paused() bool { return p.pauseDepth > 0 }

// Sim is one run of the kernel. Create it with New and run it with Run; a Sim is used
// once.
type Sim struct {
	cfg   Config
	now   int64
	end   int64
	q     eventQueue
	procs []*proc
	names map[string]NodeID

	holders, issuers []NodeID
	resource         NodeID
	// issuerID[id] reports whether node id is an issuer (index 0: NoNode), for the
	// count of issuer messages that every send takes.
	issuerID []bool

	net    network
	faults []activeFault
	timers timerTable

	hist   *history.History
	ops    opLog // the history's Ops until the run ends
	hash   history.TraceHasher
	tracer *tracer
	rec    *msgRecorder // nil unless Config.RecordMessages

	events, messages, issuerMessages int64
	ran                              bool
}

// Run builds and runs a simulation, returning its history.
func Run(cfg Config) (*history.History, error) {
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return s.Run(), nil
}

// New checks cfg and prepares a run: node names resolve, every fault names nodes that
// exist, durations are sensible. The errors name the offending node or fault.
func New(cfg Config) (*Sim, error) {
	if cfg.Duration <= 0 {
		return nil, fmt.Errorf("sim: duration %d must be > 0", cfg.Duration)
	}
	if len(cfg.Nodes) == 0 {
		return nil, fmt.Errorf("sim: no nodes")
	}
	s := &Sim{cfg: cfg, end: cfg.Duration, names: map[string]NodeID{}, resource: NoNode,
		ops:  opLog{end: cfg.Duration},
		hash: history.NewTraceHasher()}
	clocks := newStream(cfg.Seed, "clocks")
	for i, spec := range cfg.Nodes {
		if spec.Name == "" || spec.Name == TargetLeader || spec.Name == TargetRandom {
			return nil, fmt.Errorf("sim: node %d has the reserved or empty name %q", i, spec.Name)
		}
		if _, dup := s.names[spec.Name]; dup {
			return nil, fmt.Errorf("sim: two nodes are named %q", spec.Name)
		}
		if spec.New == nil {
			return nil, fmt.Errorf("sim: node %s has no state machine (NodeSpec.New is nil)", spec.Name)
		}
		if spec.ProcessingDelay < 0 {
			return nil, fmt.Errorf("sim: node %s has a negative processing delay", spec.Name)
		}
		if err := spec.Clock.checkDynamics(); err != nil {
			return nil, fmt.Errorf("sim: node %s clock: %w", spec.Name, err)
		}
		id := NodeID(i + 1)
		s.names[spec.Name] = id
		// Draw every node's clock in node order from the clocks stream, whether or not
		// it has a range, so that one node's spec does not shift another's draw.
		dDrift := (clocks.Float64()*2 - 1) * spec.Clock.DriftRangePPM
		dOff := (clocks.Float64()*2 - 1) * float64(spec.Clock.OffsetRange)
		p := &proc{
			id:    id,
			spec:  spec,
			clock: newClock(ppmToPPB(spec.Clock.DriftPPM+dDrift), spec.Clock.Offset+int64(dOff)),
			rng:   newStream(cfg.Seed, "node", spec.Name),
		}
		if spec.Clock.Periodic != nil || spec.Clock.Slew != nil {
			phase := 0.0
			if per := spec.Clock.Periodic; per != nil {
				phase = per.Phase
				if per.RandomPhase {
					// A stream of its own, so that drawing a phase shifts no other draw.
					phase = newStream(cfg.Seed, "clock-phase", spec.Name).Float64() * 2 * math.Pi
				}
			}
			p.dyn = newClockDyn(spec.Clock, p.clock.ppb, phase)
		}
		p.env = Env{s: s, p: p}
		s.procs = append(s.procs, p)
		switch spec.Role {
		case RoleHolder:
			s.holders = append(s.holders, id)
		case RoleIssuer:
			s.issuers = append(s.issuers, id)
		case RoleResource:
			if s.resource != NoNode {
				return nil, fmt.Errorf("sim: two resource nodes (%s, %s)", s.proc(s.resource).spec.Name, spec.Name)
			}
			s.resource = id
		}
	}
	s.issuerID = make([]bool, len(s.procs)+1)
	for _, id := range s.issuers {
		s.issuerID[id] = true
		s.proc(id).issuer = true
	}
	if err := s.net.init(s, cfg.Network); err != nil {
		return nil, err
	}
	faults, err := s.expandFaults(cfg.Faults)
	if err != nil {
		return nil, err
	}
	for i, f := range faults {
		if err := s.checkFault(f); err != nil {
			return nil, fmt.Errorf("sim: fault %d (%s at %s): %w", i, f.Kind, fmtTime(f.At), err)
		}
		s.faults = append(s.faults, activeFault{Fault: f})
	}
	s.hist = &history.History{Meta: cfg.Meta}
	m := &s.hist.Meta
	m.Seed = cfg.Seed
	m.Start, m.End = 0, cfg.Duration
	m.Holders, m.Issuers = s.namesOf(s.holders), s.namesOf(s.issuers)
	if s.resource != NoNode {
		m.Resource = s.proc(s.resource).spec.Name
	}
	if cfg.Trace != nil {
		s.tracer = &tracer{w: cfg.Trace, msgName: cfg.MsgName}
		// The fault mix a swarm seed drew heads the transcript, as in the meta.
		for _, line := range m.Swarm {
			fmt.Fprintf(cfg.Trace, "%14s  swarm %s\n", fmtTime(0), line)
		}
	}
	if cfg.RecordMessages {
		s.rec = &msgRecorder{pieces: make([][]clock, len(s.procs))}
		for _, p := range s.procs {
			s.recClockPiece(p)
		}
	}
	return s, nil
}

func (s *Sim) namesOf(ids []NodeID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.proc(id).spec.Name
	}
	return out
}

// Run runs the simulation to its duration and returns the history. Events scheduled at
// exactly the duration are not run.
func (s *Sim) Run() *history.History {
	if s.ran {
		panic("sim: Run called twice on one Sim")
	}
	s.ran = true
	for _, p := range s.procs {
		s.q.push(0, evBody{kind: evStart, node: p.id})
	}
	for i, f := range s.faults {
		s.q.push(f.At, evBody{kind: evFaultStart, slot: int32(i)})
	}
	for _, p := range s.procs {
		if p.dyn != nil {
			s.clockTick(p) // the rate from time 0, and the first change
		}
	}
	for {
		// popBefore's sorted path, written out (popBefore does not inline): a call less
		// per event.
		var at int64
		var i int32
		if q := &s.q; q.w == nil && len(q.keys) > 0 && q.keys[len(q.keys)-1].at < s.end {
			k := q.keys[len(q.keys)-1]
			q.keys = q.keys[:len(q.keys)-1]
			at, i = k.at, k.idx()
		} else {
			var ok bool
			if at, i, ok = s.q.popBefore(s.end); !ok {
				break
			}
		}
		s.now = at
		if b := &s.q.bodies[i]; b.kind == evDeliver || b.kind == evTimer {
			s.stepEvent(s.procs[b.node-1], b) // the frequent events, in one call
		} else {
			s.dispatch(b)
		}
		s.q.release(i)
	}
	s.now = s.end
	s.finish()
	return s.hist
}

// dispatch handles every event but a delivery or a timer (stepEvent).
func (s *Sim) dispatch(b *evBody) {
	p := s.procOf(b.node)
	switch b.kind {
	case evStart:
		s.traceEvent(b)
		s.startProc(p)
	case evDepart:
		if p.state == procCrashed || p.incarnation != b.gen {
			return // the sender crashed before its message left
		}
		if p.paused() {
			p.held = append(p.held, b.msg)
			return
		}
		s.net.send(&b.msg)
	case evClaimEnd:
		if int(b.slot) >= len(p.claims) || p.claims[b.slot].gen != b.gen || !p.claims[b.slot].active {
			return
		}
		if !s.claimEndDue(p, int(b.slot)) {
			return // renewed since: queued again for the new deadline
		}
		s.traceEvent(b)
		s.closeClaim(p, int(b.slot), history.EndDeadline)
	case evFaultStart:
		s.startFault(int(b.slot))
	case evFaultEnd:
		s.endFault(int(b.slot))
	case evClock:
		s.clockTick(p)
	}
}

// procOf returns node id's record, or nil for NoNode or an unknown id.
func (s *Sim) procOf(id NodeID) *proc {
	if id <= 0 || int(id) > len(s.procs) {
		return nil
	}
	return s.procs[id-1]
}

// proc returns the record of a node id known to be valid.
func (s *Sim) proc(id NodeID) *proc { return s.procs[id-1] }

// startProc starts (or restarts) a node's process with a fresh state machine.
func (s *Sim) startProc(p *proc) {
	p.state = procUp
	p.incarnation++
	p.upSince = s.now
	p.node = p.spec.New()
	p.byPtr, _ = p.node.(MessageStepper)
	p.node.Start(&p.env)
}

// stepEvent handles a message's delivery or a timer's firing at node p: it traces the
// event (traceEvent) and hands it to the node, or drops it. The two most frequent events
// take this path, in one call from the kernel's loop.
func (s *Sim) stepEvent(p *proc, b *evBody) {
	if b.kind == evTimer {
		if !s.timers.fire(b.slot, b.gen) {
			return // cancelled or rescheduled
		}
	} else {
		if p.state == procCrashed {
			s.traceDrop(b.msg, "destination down")
			return
		}
		if s.net.cutNow(b.msg.From, b.msg.To) {
			s.traceDrop(b.msg, "cut in flight")
			return
		}
		if s.rec != nil {
			s.recMsg(&b.msg, "")
		}
	}
	s.hash.Int(int64(eventWord(s.now, b))) // hashEvent, inlined
	if s.tracer != nil {
		s.traceText(b)
	}
	if p.paused() {
		p.inbox = append(p.inbox, b.msg)
		s.traceNote(p.id, "paused: queued until resume")
		return
	}
	s.events++
	if p.byPtr != nil { // p.step, inline: a call less on every event
		p.byPtr.StepMessage(&p.env, &b.msg)
		return
	}
	p.node.Step(&p.env, b.msg)
}

// step hands m to p's node: by pointer when the node is a MessageStepper, as a copy
// otherwise.
func (p *proc) step(m *Message) {
	if p.byPtr != nil {
		p.byPtr.StepMessage(&p.env, m)
		return
	}
	p.node.Step(&p.env, *m)
}

// emit is the path of every message a node sends: after the node's processing delay it
// departs into the network.
func (s *Sim) emit(p *proc, m *Message) {
	m.From = p.id
	s.messages++
	if p.issuer || s.isIssuer(m.To) {
		s.issuerMessages++
	}
	if p.spec.ProcessingDelay > 0 {
		s.depart(p, m)
		return
	}
	s.net.send(m)
}

// depart queues m's departure after p's processing delay.
func (s *Sim) depart(p *proc, m *Message) {
	s.q.push(s.now+p.spec.ProcessingDelay, evBody{kind: evDepart, node: p.id, gen: p.incarnation, msg: *m})
}

func (s *Sim) isIssuer(id NodeID) bool {
	return uint(id) < uint(len(s.issuerID)) && s.issuerID[id]
}

// crash stops a node: its volatile state, timers, queued and departing messages are lost,
// and its claims end.
func (s *Sim) crash(p *proc) {
	p.crashDepth++
	if p.state == procCrashed {
		return
	}
	for i := range p.claims {
		if p.claims[i].active {
			s.closeClaim(p, i, history.EndCrash)
		}
	}
	s.timers.cancelNode(p.id)
	p.state = procCrashed
	p.node, p.byPtr = nil, nil
	p.inbox, p.held = nil, nil
	if p.spec.Role == RoleHolder {
		s.hist.Up = append(s.hist.Up, history.Up{Holder: p.spec.Name, From: p.upSince, To: s.now})
	}
}

// restart ends one crash fault; the process starts again when no crash fault remains.
func (s *Sim) restart(p *proc) {
	if p.crashDepth > 0 {
		p.crashDepth--
	}
	if p.crashDepth == 0 && p.state == procCrashed {
		s.traceNote(p.id, "restart")
		s.startProc(p)
	}
}

func (s *Sim) pause(p *proc) { p.pauseDepth++ }

// resume ends one pause fault. When none remains the node sees, at once and in arrival
// order, everything that arrived or fired while it was paused, and its held messages
// leave.
func (s *Sim) resume(p *proc) {
	if p.pauseDepth == 0 {
		return
	}
	p.pauseDepth--
	if p.paused() || p.state == procCrashed {
		return
	}
	held := p.held
	p.held = nil
	for i := range held {
		s.net.send(&held[i])
	}
	for len(p.inbox) > 0 && !p.paused() && p.state == procUp {
		m := p.inbox[0]
		p.inbox = p.inbox[1:]
		s.events++
		p.step(&m)
	}
}

// finish closes what is open at the end of the run and fills in the history's meta.
func (s *Sim) finish() {
	for _, p := range s.procs {
		for i := range p.claims {
			if p.claims[i].active {
				s.closeClaim(p, i, history.EndRunEnd)
			}
		}
		if p.spec.Role == RoleHolder && p.state == procUp {
			s.hist.Up = append(s.hist.Up, history.Up{Holder: p.spec.Name, From: p.upSince, To: s.end})
		}
	}
	for i := range s.faults {
		s.recordFault(i)
	}
	s.hist.Ops = s.ops.all()
	sort.SliceStable(s.hist.Claims, func(i, j int) bool { return s.hist.Claims[i].From < s.hist.Claims[j].From })
	sort.SliceStable(s.hist.Up, func(i, j int) bool {
		a, b := s.hist.Up[i], s.hist.Up[j]
		return a.From < b.From || (a.From == b.From && a.Holder < b.Holder)
	})
	m := &s.hist.Meta
	m.TraceHash = s.hash.Sum()
	m.Events = s.events
	m.Messages = s.messages
	m.IssuerMessages = s.issuerMessages
}
