package etcd

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// The service's client interface, for protocols whose holders are clients of the
// etcd-like service (model/k8s). A client sends a Request as MsgRequest to an issuer node
// and gets a Response back as MsgResponse with the same Seq.
const (
	MsgRequest  = msgRequest
	MsgResponse = msgResponse
	// MsgFree is the first message type a client protocol may use for its own messages
	// and timers: the service's types are all below it.
	MsgFree = msgServe + 1

	MethodGet = methodGet
	MethodCAS = methodCAS

	ErrNotLeader = errNotLeader
	ErrConflict  = errConflict
)

// Request is a client call to the service.
type Request = request

// Response is the service's answer to a Request.
type Response = response

// ServiceParams are the parameters of the service's issuer nodes, for a client protocol
// to declare alongside its own.
var ServiceParams = []model.Param{
	{Name: "election_timeout", Kind: model.Duration, Default: "1s", Doc: "raft election timeout of the issuer cluster"},
	{Name: "heartbeat_tick", Kind: model.Duration, Default: "100ms", Pacing: model.Period, Doc: "raft tick (heartbeat interval) on each issuer's monotonic clock"},
}

// ValidateService checks the ServiceParams.
func ValidateService(v model.Values) error {
	hb, et := v.Duration("heartbeat_tick"), v.Duration("election_timeout")
	if hb < int64(time.Millisecond) {
		return &model.ParamError{Param: "heartbeat_tick", Msg: fmt.Sprintf("%v is too short; expected at least 1ms", time.Duration(hb))}
	}
	if et < 3*hb {
		return &model.ParamError{Param: "election_timeout", Msg: fmt.Sprintf("election_timeout %v must be at least 3 heartbeat ticks (%v)", time.Duration(et), time.Duration(3*hb))}
	}
	return nil
}

// NewIssuer returns a constructor of the service's issuer nodes (one node, or the raft
// replicas Q1..Qn), configured by the ServiceParams in v, for a protocol whose clients
// use keys only (no leases: nothing expires).
func NewIssuer(v model.Values) func() sim.Node {
	cfg := &config{electionTimeout: v.Duration("election_timeout"), heartbeatTick: v.Duration("heartbeat_tick")}
	cfg.electionTicks = int(cfg.electionTimeout / cfg.heartbeatTick)
	// No leases: ttl only paces how long a node keeps a request whose proposal or read
	// was lost (4 ttl), and checkpointing is off.
	cfg.ttl = cfg.electionTimeout
	cfg.checkpointEvery = expireEvery
	return func() sim.Node { return &issuer{cfg: cfg} }
}

// ServiceMsgName names the service's messages in transcripts ("" for another type).
func ServiceMsgName(t sim.MsgType) string {
	if t >= MsgFree || t < sim.MsgUser {
		return ""
	}
	return MsgName(t)
}
