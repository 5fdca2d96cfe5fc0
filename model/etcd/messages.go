package etcd

import (
	"fmt"

	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// The protocol's messages and timers. Client calls travel as msgRequest with a *request
// payload, answers as msgResponse with a *response, matched by Seq.
const (
	msgRequest        sim.MsgType = sim.MsgUser + iota // holder -> Q
	msgResponse                                        // Q -> holder
	msgTick                                            // holder timer: keep alive, campaign
	msgWriteTick                                       // holder timer: write to R while leading
	msgExpireTick                                      // issuer timer: expire leases
	msgRaft                                            // issuer -> issuer: a raftpb.Message
	msgRaftTick                                        // issuer timer: raft's heartbeat tick
	msgCheckpointTick                                  // issuer timer: checkpoint remaining TTLs
	msgServe                                           // issuer timer: a queued request's turn (request_cost)
)

// The errors an issuer answers with (response.Err).
const (
	errNotLeader     = "not leader"
	errLeaseNotFound = "lease not found"
	errConflict      = "conflict" // a compare-and-swap found another mod revision
)

// The client API's methods, as history.Op.Method.
const (
	methodGrant     = "grant"
	methodKeepAlive = "keepalive"
	methodRevoke    = "revoke"
	methodPut       = "put"
	methodGet       = "get"
	methodFirst     = "first" // the key under a prefix with the lowest create revision
	// methodCAS puts Key=Value (bound to no lease) if the key's mod revision is Rev (0:
	// the key does not exist): etcd's Txn(If(ModRevision(k) == rev), Then(Put)), which
	// Kubernetes' optimistic concurrency on resourceVersion is built on.
	methodCAS = "cas"
)

type request struct {
	Method string
	Key    string
	Value  string
	Lease  int64
	TTL    int64
	// Rev is the mod revision a compare-and-swap expects.
	Rev int64
}

type response struct {
	Ok        bool
	Found     bool
	Key       string
	Value     string
	Lease     int64
	TTL       int64
	CreateRev int64
	Rev       int64
	// ModRev is the key's mod revision (get, cas): Kubernetes' resourceVersion.
	ModRev int64
	Err    string
	// Leader is the issuer node a non-leader believes leads (errNotLeader), or NoNode.
	Leader sim.NodeID
}

var msgNames = map[sim.MsgType]string{msgRequest: "Request", msgResponse: "Response", msgTick: "Tick",
	msgWriteTick: "WriteTick", msgExpireTick: "ExpireTick", msgRaft: "Raft", msgRaftTick: "RaftTick", msgCheckpointTick: "CheckpointTick", msgServe: "Serve",
	resource.MsgWrite: "Write"}

// MsgName names the protocol's messages in transcripts.
func MsgName(t sim.MsgType) string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("msg%d", t)
}
