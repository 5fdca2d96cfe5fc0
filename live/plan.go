package live

import (
	"fmt"
	"regexp"
	"time"

	"github.com/leasesim/leasesim/sim"
)

// FaultKind names a live fault.
type FaultKind string

// The live fault kinds. Link faults act on a holder's fault proxy, process faults on its
// subprocess.
const (
	// Blackhole stops forwarding on the holder's proxy in Dir until the fault ends; the
	// bytes are held, as TCP would keep retransmitting them, and delivered after it ends.
	Blackhole FaultKind = "blackhole"
	// Delay adds Delay plus a uniform draw in [0, Jitter] to every chunk in Dir, keeping
	// the stream in order.
	Delay FaultKind = "delay"
	// Loss loses each chunk in Dir with probability Loss; a lost chunk is retransmitted
	// after a retransmission timeout that doubles on every further loss (TCP semantics).
	Loss FaultKind = "loss"
	// Reset closes every open connection through the holder's proxy with a TCP RST
	// (instantaneous; the client reconnects).
	Reset FaultKind = "reset"
	// Pause stops the holder's process group with SIGSTOP and resumes it with SIGCONT.
	Pause FaultKind = "pause"
	// Crash kills the holder's process group with SIGKILL and, when Until > 0, starts a
	// new holder process with the same name at Until.
	Crash FaultKind = "crash"
	// MemberCrash stops an embedded etcd member (Target: its name, Q1..Qn, or
	// TargetEtcdLeader) and, when Until > 0, restarts it with its data at Until. Only
	// with the embedded cluster (Config.Members).
	MemberCrash FaultKind = "member-crash"
	// MemberIsolate cuts an embedded etcd member (Target as for MemberCrash) off from its
	// peers (Cluster.Isolate) and from every client until Until. Several members only.
	MemberIsolate FaultKind = "member-isolate"
)

// onMember reports whether the kind acts on an etcd member rather than a holder.
func (k FaultKind) onMember() bool { return k == MemberCrash || k == MemberIsolate }

// TargetEtcdLeader, the target of a member fault, is the member that is raft leader when
// the fault starts.
const TargetEtcdLeader = "etcd-leader"

// memberTarget matches the names of embedded etcd members.
var memberTarget = regexp.MustCompile(`^Q[0-9]*$`)

// Direction says which way through a holder's proxy a link fault applies.
type Direction uint8

// The directions through a proxy.
const (
	Both     Direction = iota // both ways
	ToServer                  // holder → etcd (requests, keepalives)
	ToClient                  // etcd → holder (responses)
)

func (d Direction) String() string {
	switch d {
	case Both:
		return "both ways"
	case ToServer:
		return "holder→etcd"
	case ToClient:
		return "etcd→holder"
	}
	return fmt.Sprintf("Direction(%d)", d)
}

// Targets with a special meaning in Fault.Target (the same words as in scenario files).
const (
	// TargetLeader is the holder that claims the lease when the fault starts; the fault
	// does nothing when none does.
	TargetLeader = sim.TargetLeader
	// TargetRandom is a choice among the holders from the trial's seeded RNG.
	TargetRandom = sim.TargetRandom
)

// Fault is one live fault on one holder, timed from the trial's start.
type Fault struct {
	Kind FaultKind
	// Target is a holder name, TargetLeader or TargetRandom, resolved when the fault
	// starts.
	Target string
	// At is when the fault starts; Until when it ends. Until == 0 means it lasts to the
	// end of the trial (for Crash: the holder is not restarted). Reset ignores Until.
	At, Until time.Duration
	// Dir is the direction of a link fault (Blackhole, Delay, Loss).
	Dir Direction
	// Delay and Jitter shape a Delay fault.
	Delay, Jitter time.Duration
	// Loss is the loss probability of a Loss fault, in [0, 1).
	Loss float64
	// Label is the kind recorded in the history (the scenario's fault kind, such as
	// "isolate", when the fault was converted by PlanFromSim); empty means Kind.
	Label string
	// Origin says where the fault came from, for messages ("faults[2] (cut)").
	Origin string
}

// Plan is the fault schedule of one live trial.
type Plan struct {
	Faults []Fault
}

// historyKind is the kind a fault is recorded under in the history.
func (f Fault) historyKind() string {
	if f.Label != "" {
		return f.Label
	}
	return string(f.Kind)
}

// describe says what the fault does, for the history's Detail and progress lines.
func (f Fault) describe() string {
	var s string
	switch f.Kind {
	case Blackhole:
		s = "blackhole " + f.Dir.String()
	case Delay:
		s = fmt.Sprintf("delay %v jitter %v %v", f.Delay, f.Jitter, f.Dir)
	case Loss:
		s = fmt.Sprintf("loss %g %v", f.Loss, f.Dir)
	case Reset:
		s = "reset connections"
	case Pause:
		s = "pause (SIGSTOP, then SIGCONT)"
	case Crash:
		if f.Until > 0 {
			s = "crash (SIGKILL, then restart)"
		} else {
			s = "crash (SIGKILL)"
		}
	case MemberCrash:
		if f.Until > 0 {
			s = "etcd member stopped, then restarted with its data"
		} else {
			s = "etcd member stopped"
		}
	case MemberIsolate:
		s = "etcd member cut off from its peers and clients"
	default:
		s = string(f.Kind)
	}
	if f.Origin != "" {
		s += " [" + f.Origin + "]"
	}
	return s
}

// name identifies the fault in error messages.
func (f Fault) name(i int) string {
	if f.Origin != "" {
		return fmt.Sprintf("plan fault %d (%s, from %s)", i, f.Kind, f.Origin)
	}
	return fmt.Sprintf("plan fault %d (%s)", i, f.Kind)
}

// members returns the member targets of the plan's member faults.
func (p Plan) memberTargets() []string {
	var out []string
	for _, f := range p.Faults {
		if f.Kind.onMember() {
			out = append(out, f.Target)
		}
	}
	return out
}

// Validate checks the plan against the trial's holders and returns an error naming the
// first bad fault and field.
func (p Plan) Validate(holders []string) error {
	known := make(map[string]bool, len(holders))
	for _, h := range holders {
		known[h] = true
	}
	for i, f := range p.Faults {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s: %s", f.name(i), fmt.Sprintf(format, args...))
		}
		switch f.Kind {
		case Blackhole, Delay, Loss, Reset, Pause, Crash:
		case MemberCrash, MemberIsolate:
			if f.Target != TargetEtcdLeader && !memberTarget.MatchString(f.Target) {
				return bad("target %q is not an etcd member (Q1, Q2, ...) or %q", f.Target, TargetEtcdLeader)
			}
		default:
			return bad("unknown kind %q; expected one of blackhole, delay, loss, reset, pause, crash, member-crash, member-isolate", f.Kind)
		}
		if !f.Kind.onMember() && f.Target != TargetLeader && f.Target != TargetRandom && !known[f.Target] {
			return bad("target %q is not a holder %v, %q or %q", f.Target, holders, TargetLeader, TargetRandom)
		}
		if f.At < 0 {
			return bad("at = %v is negative; expected a time from the trial's start", f.At)
		}
		if f.Until != 0 && f.Until <= f.At && f.Kind != Reset {
			return bad("until = %v is not after at = %v; expected a later time, or 0 for the rest of the trial", f.Until, f.At)
		}
		if f.Dir > ToClient {
			return bad("direction %d is unknown; expected Both, ToServer or ToClient", f.Dir)
		}
		switch f.Kind {
		case Delay:
			if f.Delay < 0 || f.Jitter < 0 || f.Delay+f.Jitter == 0 {
				return bad("delay = %v, jitter = %v; expected non-negative values, not both 0", f.Delay, f.Jitter)
			}
		case Loss:
			if !(f.Loss > 0 && f.Loss < 1) {
				return bad("loss = %g; expected a probability in (0, 1) (use blackhole for 1)", f.Loss)
			}
		}
	}
	return nil
}

// end is the fault's end within a trial of length d: Until, or d when it has none.
func (f Fault) end(d time.Duration) time.Duration {
	if f.Until == 0 || f.Until > d {
		return d
	}
	return f.Until
}

// lastTime is the latest At or Until in the plan.
func (p Plan) lastTime() time.Duration {
	var t time.Duration
	for _, f := range p.Faults {
		t = max(t, f.At, f.Until)
	}
	return t
}
