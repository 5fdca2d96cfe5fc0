package history

import "math"

// Forever is the end of an interval that has no end within the run (a pending operation, a
// claim that never expires). Checkers treat it as +infinity.
const Forever int64 = math.MaxInt64

// LeaderLease is the name of the lease that leader election protocols contend for. It is
// the lease whose gaps count as unavailability unless Meta.Lease names another.
const LeaderLease = "leader"

// LivenessLease returns the name of the liveness lease that node holds from the issuer
// (P4, docs/semantics.md): "live/" + node.
func LivenessLease(node string) string { return "live/" + node }

// KeysPrefix starts the names of leases that keep a set of keys alive (a service's
// registrations, shard locks): a holder claims keys/<holder>/<n> while the keys bound to
// its n-th such lease exist. Every such lease carries as many keys, so the mean of their
// unavailability is the keys' (checker.Metrics.KeysUnavailableFraction).
const KeysPrefix = "keys/"

// History is everything a checker or a report needs to know about one run.
type History struct {
	Meta     Meta
	Claims   []Claim
	Writes   []Write
	Ops      []Op
	Faults   []Fault
	Statuses []Status
	Up       []Up
	// Msgs and Clocks are recorded on request only (Msg): what reports draw to show why
	// a finding happened.
	Msgs   []Msg
	Clocks []ClockPiece
}

// Meta describes the run a history came from.
type Meta struct {
	Scenario string            `json:"scenario"`
	Protocol string            `json:"protocol"`
	Mutant   string            `json:"mutant,omitempty"`
	Seed     uint64            `json:"seed"`
	Params   map[string]string `json:"params,omitempty"`
	// Start and End bound the observed window; metrics are computed over [Start, End).
	Start int64 `json:"start"`
	End   int64 `json:"end"`
	// Lease is the lease whose availability is measured; empty means LeaderLease.
	Lease    string   `json:"lease,omitempty"`
	Holders  []string `json:"holders"`
	Issuers  []string `json:"issuers,omitempty"`
	Resource string   `json:"resource,omitempty"`
	// Live is true for a run against a real system, where times come from the driver's
	// monotonic clock rather than a simulator.
	Live bool `json:"live,omitempty"`
	// TraceHash is a hash of the full event trace of a simulated run: equal scenario, seed
	// and version give equal hashes. Empty for live runs.
	TraceHash string `json:"trace_hash,omitempty"`
	// Events and Messages count the simulator's processed events and sent messages.
	Events   int64 `json:"events,omitempty"`
	Messages int64 `json:"messages,omitempty"`
	// IssuerMessages counts messages sent or received by issuer nodes.
	IssuerMessages int64 `json:"issuer_messages,omitempty"`
	// Swarm describes, one line per swarm `random:` entry of the scenario, the mix of
	// fault kinds and rates this seed drew (scenarios.SwarmMix); no verdict depends on it.
	Swarm []string `json:"swarm,omitempty"`
}

// LeaseName returns the lease whose availability the run measures.
func (m Meta) LeaseName() string {
	if m.Lease == "" {
		return LeaderLease
	}
	return m.Lease
}

// EndReason says why a claim ended.
type EndReason string

// The reasons a claim ends.
const (
	EndDeadline EndReason = "deadline" // the holder's clock reached the claimed deadline
	EndRelease  EndReason = "release"  // the holder released it (stepped down)
	EndCrash    EndReason = "crash"    // the holder crashed
	EndReplaced EndReason = "replaced" // a claim under a new epoch replaced it
	EndRunEnd   EndReason = "run-end"  // the run ended while it was held
)

// Claim is one interval during which Holder believed it held Lease: [From, To).
// Renewals under the same epoch extend a claim rather than start a new one.
type Claim struct {
	Holder string `json:"holder"`
	Lease  string `json:"lease"`
	// Epoch is the grant the holder believed it held (a lease epoch, a fencing token, a
	// raft-backed revision); 0 when the protocol has none.
	Epoch uint64    `json:"epoch"`
	From  int64     `json:"from"`
	To    int64     `json:"to"`
	End   EndReason `json:"end"`
	// Clock says which of the holder's clocks the deadline was read on ("mono", "wall"),
	// or "" when the claim had no deadline.
	Clock string `json:"clock,omitempty"`
}

// Write is one write the resource accepted (or rejected, when Accepted is false).
type Write struct {
	Writer string `json:"writer"`
	// Epoch is the grant the writer believed it held when it issued the write.
	Epoch uint64 `json:"epoch"`
	// Token is the fencing token the write carried, 0 for none.
	Token uint64 `json:"token,omitempty"`
	// Sent is when the writer issued it; At is when the resource processed it.
	Sent     int64 `json:"sent"`
	At       int64 `json:"at"`
	Accepted bool  `json:"accepted"`
}

// Op is one client operation against an issuer's client API (P3, docs/semantics.md), with its call
// and return times. Return is Forever for an operation that never returned.
//
// The fields are the union of what the lease APIs in the catalog need; a protocol's
// porcupine model says which it reads.
type Op struct {
	Client string `json:"client"`
	Call   int64  `json:"call"`
	Return int64  `json:"return"`
	// Method is the API call: "grant", "keepalive", "revoke", "put", "get", "delete", …
	Method string `json:"method"`
	Key    string `json:"key,omitempty"`
	Value  string `json:"value,omitempty"`
	Lease  int64  `json:"lease,omitempty"`
	TTL    int64  `json:"ttl,omitempty"`
	// Expect is the mod revision a conditional write requires the key to have (0: the
	// key must not exist).
	Expect int64 `json:"expect,omitempty"`
	// Results.
	Ok       bool   `json:"ok"`
	Found    bool   `json:"found,omitempty"`
	OutValue string `json:"out_value,omitempty"`
	OutLease int64  `json:"out_lease,omitempty"`
	OutTTL   int64  `json:"out_ttl,omitempty"`
	Revision int64  `json:"revision,omitempty"`
	Err      string `json:"err,omitempty"`
}

// Fault is one injected fault as it was applied: [From, To), or an instant when To == From.
type Fault struct {
	Kind   string   `json:"kind"`
	Nodes  []string `json:"nodes,omitempty"`
	From   int64    `json:"from"`
	To     int64    `json:"to"`
	Detail string   `json:"detail,omitempty"`
}

// StatusKind names an issuer decision about a node.
type StatusKind string

// The issuer decisions a history records.
const (
	// StatusDeclaredFailed: the issuer declared Node failed and acted on it. P4 requires
	// that Node's own liveness claim has already ended by then.
	StatusDeclaredFailed StatusKind = "declared-failed"
	// StatusPromoted: the issuer made Node the leader (granted it the leader lease).
	StatusPromoted StatusKind = "promoted"
	// StatusExpired: the issuer expired Node's lease Lease (the grant Epoch, or any when
	// Epoch is 0) and acted on it: deleted the keys it kept alive. P4 requires that Node's
	// claims on Lease (under Epoch) have ended by then.
	StatusExpired StatusKind = "expired"
)

// Status is one issuer decision about a node at a time.
type Status struct {
	Issuer string     `json:"issuer"`
	Node   string     `json:"node"`
	Kind   StatusKind `json:"kind"`
	At     int64      `json:"at"`
	// Lease and Epoch say which of Node's leases expired (StatusExpired only): the name
	// Node claims it by (KeysPrefix + Node + "/<n>") and the grant, as Node's claims carry
	// it (0: any grant). Empty for the other kinds, and then not written.
	Lease string `json:"lease,omitempty"`
	Epoch uint64 `json:"epoch,omitempty"`
}

// Up is an interval [From, To) during which a holder's process was running and wanted
// the lease (it was not crashed). A holder with no Up records wanted it for the whole run.
type Up struct {
	Holder string `json:"holder"`
	From   int64  `json:"from"`
	To     int64  `json:"to"`
}

// Msg is one message between two nodes, recorded only when the producer was asked to
// (the simulator's Config.RecordMessages; `run --out` and failure bundles ask): from its
// send at Sent to its delivery at At, or to the moment it was dropped when Dropped says
// why ("lost", "cut", "cut in flight", "destination down"). The clocks are the sender's
// monotonic clock at the send and the receiver's at At, so that a report can say what
// each side believed the time was. No verdict depends on messages.
type Msg struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Kind is the protocol's name for the message ("grant", "renew", "heartbeat", …).
	Kind      string `json:"kind"`
	Sent      int64  `json:"sent"`
	At        int64  `json:"at"`
	Dropped   string `json:"dropped,omitempty"`
	SentClock int64  `json:"sent_clock"`
	AtClock   int64  `json:"at_clock"`
	// Epoch is the lease epoch, term or version the message carries, 0 for none.
	Epoch uint64 `json:"epoch,omitempty"`
}

// ClockPiece is one linear piece of a node's clocks, recorded with the messages: from
// true time At on (until the node's next piece), its monotonic clock reads
// Mono + x + x*DriftPPB/1e9 at At + x, and its wall clock reads that plus Wall − Mono. A
// producer records a node's first piece at the run's start and a new one at every drift
// change and clock step.
type ClockPiece struct {
	Node     string `json:"node"`
	At       int64  `json:"at"`
	Mono     int64  `json:"mono"`
	Wall     int64  `json:"wall"`
	DriftPPB int64  `json:"drift_ppb"`
}

// MonoAt returns the monotonic reading of the piece at true time t (t >= At), to within
// a nanosecond (floating point).
func (c ClockPiece) MonoAt(t int64) int64 {
	x := t - c.At
	return c.Mono + x + int64(float64(x)*float64(c.DriftPPB)/1e9)
}
