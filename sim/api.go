package sim

import (
	"fmt"
	"io"

	"github.com/leasesim/leasesim/history"
)

// NodeID identifies a node within one run: 1 + its index in Config.Nodes, so that the
// zero value of a Message field means "no node".
type NodeID int32

// NoNode is the NodeID of no node: the zero value.
const NoNode NodeID = 0

// Role is what a node is in the run.
type Role uint8

// The roles of nodes.
const (
	RoleIssuer   Role = iota // grants leases (Q, or Q1..Qn)
	RoleHolder               // contends for and holds leases (A, B, C, …)
	RoleResource             // the data leaders write to (R)
)

func (r Role) String() string {
	switch r {
	case RoleIssuer:
		return "issuer"
	case RoleHolder:
		return "holder"
	case RoleResource:
		return "resource"
	}
	return fmt.Sprintf("Role(%d)", r)
}

// MsgType is a protocol-defined message kind. Values below MsgUser are reserved for the
// kernel.
type MsgType uint16

// MsgUser is the first MsgType a protocol may define.
const MsgUser MsgType = 16

// Message is what nodes exchange, in the shape of raftpb.Message: flat fields that cover
// what lease protocols carry, so that sending one does not allocate, plus Payload for the
// protocols that need more (raft's own messages). Timers come back to their node as
// Messages too (From == To == the node), with the Type the node chose. The fields are
// ordered to pack into 72 bytes without padding, since the kernel copies every message
// into its queue entry and hands it to Step by value.
type Message struct {
	Type MsgType
	// AtMostOnce asks the network never to duplicate the message (it may still lose,
	// delay or reorder it): a client request over a connection, as etcd's gRPC over TCP,
	// which no network delivers twice. Network.Duplicate applies to every other message.
	AtMostOnce bool
	From       NodeID
	To         NodeID
	// Subject is a node the message is about (the holder granted, the leader named).
	Subject NodeID
	// Epoch is a lease epoch, a term or a version.
	Epoch uint64
	// Seq matches a reply to its request.
	Seq uint64
	// Token is a fencing token.
	Token uint64
	// Time is a duration or a timestamp, in the units of the sender's clock.
	Time int64
	// Payload carries anything else. The kernel never looks inside it.
	Payload any

	// sent is the true time the message left its sender; set by the kernel, read by
	// Env.RecordWrite.
	sent int64
}

// Node is a protocol participant: a deterministic state machine driven by the kernel.
// Implementations must not retain env beyond the call.
type Node interface {
	// Start is called when the node's process starts: at the beginning of the run and
	// after every restart (a new Node value from NodeSpec.New, with only what it saved
	// through Env.SetDurable).
	Start(env *Env)
	// Step handles one delivered message or one fired timer.
	Step(env *Env, m Message)
}

// MessageStepper is an optional interface of a Node: a node that has it receives each
// message by pointer, through StepMessage, instead of a copy through Step. The kernel
// then saves the two copies the compiler makes of a Message passed by value through an
// interface call (a few percent of a cheap protocol's CPU per event). *m is valid only
// during the call: a node must not keep the pointer, nor change the message. Step must
// still do the same (the built-in protocols' Step calls StepMessage with &m); users'
// protocols need only Step.
type MessageStepper interface {
	StepMessage(env *Env, m *Message)
}

// TimerID names a pending timer so that it can be cancelled.
type TimerID uint64

// ClockKind names one of a node's two clocks.
type ClockKind uint8

// A node's clocks.
const (
	// Mono is the monotonic clock: rate 1 + drift, never jumps.
	Mono ClockKind = iota
	// Wall is the wall clock: the monotonic clock plus an offset, plus every step.
	Wall
)

func (k ClockKind) String() string {
	if k == Wall {
		return "wall"
	}
	return "mono"
}

// NodeSpec describes one node of a run.
type NodeSpec struct {
	Name string
	Role Role
	// New returns the node's state machine; it is called at the start and at every
	// restart.
	New func() Node
	// Clock is the node's clock model.
	Clock ClockSpec
	// ProcessingDelay is how long after a step its outgoing messages leave (true time);
	// a pause that starts inside it holds them until the pause ends. Default 0.
	ProcessingDelay int64
}

// ClockSpec is a node's clock model. Drift is in parts per million: a clock with drift
// +100 advances 1.0001 s per true second. The monotonic clock reads 0 at true time 0; the
// wall clock reads the monotonic clock plus Offset.
type ClockSpec struct {
	DriftPPM float64
	// DriftRangePPM > 0 adds a draw, uniform in ±DriftRangePPM, from the clocks stream.
	DriftRangePPM float64
	Offset        int64
	// OffsetRange > 0 adds a draw, uniform in ±OffsetRange ns, from the clocks stream.
	OffsetRange int64
	// Periodic adds a sinusoidal rate component and Slew an NTP-like correction toward
	// true time (clockdyn.go); nil for none.
	Periodic *PeriodicRate
	Slew     *Slew
}

// DelayDist is a message-delay distribution.
type DelayDist struct {
	// Kind is "fixed", "uniform" or "lognormal".
	Kind string
	// Fixed is the delay of "fixed".
	Fixed int64
	// Min and Max bound "uniform".
	Min, Max int64
	// Median and P99 shape "lognormal".
	Median, P99 int64
}

// Link overrides the network defaults on the links from every node of From to every node
// of To (names).
type Link struct {
	From, To []string
	Delay    DelayDist
}

// Network is the default behaviour of every link.
type Network struct {
	Delay     DelayDist
	Loss      float64 // probability a message is lost
	Duplicate float64 // probability a message is delivered twice
	Links     []Link
}

// FaultKind names a kind of fault (docs/semantics.md).
type FaultKind string

// The fault kinds.
const (
	FaultCut       FaultKind = "cut"        // Groups[0] <-> Groups[1], both directions
	FaultCutOneway FaultKind = "cut_oneway" // From -> To
	FaultPartition FaultKind = "partition"  // every pair of listed groups
	FaultIsolate   FaultKind = "isolate"    // Node from everyone
	FaultCrash     FaultKind = "crash"      // Node crashes at At, restarts at Until (0: never)
	FaultPause     FaultKind = "pause"      // Node pauses at At, resumes at Until
	FaultSlow      FaultKind = "slow"       // extra delay By on From -> To
	FaultLossy     FaultKind = "lossy"      // extra loss P on From -> To
	FaultClockStep FaultKind = "clock_step" // Node's wall clock jumps By (instant)
	FaultDrift     FaultKind = "drift"      // Node's drift becomes PPM (instant)
	FaultReorder   FaultKind = "reorder"    // links stop being FIFO; extra delay U[0,Window]
	FaultRandom    FaultKind = "random"     // expanded from Random at the start of the run
)

// Node names with a special meaning in a Fault's Node field.
const (
	// TargetLeader is the holder claiming the measured lease when the fault starts; the
	// fault does nothing if no holder claims it.
	TargetLeader = "leader"
	// TargetRandom is a seeded choice among the holders.
	TargetRandom = "random"
)

// Fault is one scheduled fault. At and Until are true times; Until == 0 means the fault
// never ends within the run (for crash: never restarts).
type Fault struct {
	Kind   FaultKind
	At     int64
	Until  int64
	Groups [][]string // cut, partition
	From   []string   // cut_oneway, slow, lossy
	To     []string   // cut_oneway, slow, lossy
	Node   string     // isolate, crash, pause, clock_step, drift: a name, "leader" or "random"
	By     int64      // slow: extra delay; clock_step: the jump (may be negative)
	P      float64    // lossy
	PPM    float64    // drift
	Window int64      // reorder
	Random *RandomFaults
}

// RandomFaults describes a random fault schedule, expanded from the faults stream: faults
// of the given kinds start after exponentially distributed gaps of mean MeanGap between
// From and Until, each lasting an exponentially distributed time of mean MeanLength.
type RandomFaults struct {
	From, Until int64
	Kinds       []FaultKind
	MeanGap     int64
	MeanLength  int64
	// MaxStep bounds random clock steps (±), default 1s; MaxDriftPPM bounds random drift
	// changes (±), default 200.
	MaxStep     int64
	MaxDriftPPM float64
	// HealBy, when > 0, ends every drawn fault by then (a longer one is cut short, a
	// crash restarts then): the fault-free tail of a liveness check.
	HealBy int64
}

// Config is everything that determines a run.
type Config struct {
	Seed     uint64
	Duration int64
	Nodes    []NodeSpec
	Network  Network
	Faults   []Fault
	// Meta is copied into the history's Meta (scenario, protocol, params, lease); the
	// kernel fills in seed, times, nodes, the trace hash and counts.
	Meta history.Meta
	// Trace, when set, receives one line per processed event: a readable transcript.
	Trace io.Writer
	// MsgName names message types in the transcript and in recorded messages; nil
	// prints numbers (or, in recorded messages, the payload's Go type).
	MsgName MsgNamer
	// RecordMessages adds every message (sent, delivered or dropped, with both ends'
	// clocks) and every node's clock pieces to the history (history.Msg,
	// history.ClockPiece), for diagrams that show why a finding happened. It changes
	// neither the run nor its trace hash; off, the history is as without it.
	RecordMessages bool
}

// MsgNamer names message types in transcripts; protocols provide one.
type MsgNamer func(MsgType) string
