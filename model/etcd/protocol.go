package etcd

import (
	"fmt"
	"time"

	"leasesim/model"
	"leasesim/model/resource"
	"leasesim/sim"
)

// The mutants of the etcd protocol.
const (
	MutantExpireEarly        = "expire-early"
	MutantCountsFromReceipt  = "holder-counts-from-receipt"
	MutantExpireOnFollower   = "expire-on-follower"
	MutantNoRenewOnPromotion = "no-renew-on-promotion"
)

type config struct {
	ttl, keepalive, writeEvery     int64
	electionTimeout, heartbeatTick int64
	electionTicks                  int
	checkpoint                     bool
	checkpointEvery                int64
	mutant                         string
}

// lifetime is how long the issuer keeps a lease of ttl after refreshing it.
func (c *config) lifetime(ttl int64) int64 {
	if c.mutant == MutantExpireEarly {
		return ttl / 2
	}
	return ttl
}

func init() {
	model.Register(&model.Protocol{
		Name: "etcd",
		Doc:  "etcd-like lease service (Grant, KeepAlive, Revoke, keys bound to leases) and election by lowest create revision; issuer: one node or a 3/5-node go.etcd.io/raft cluster",
		Params: []model.Param{
			{Name: "ttl", Kind: model.Duration, Default: "5s", Doc: "lease TTL"},
			{Name: "keepalive", Kind: model.Duration, Default: "1s", Doc: "how often a holder sends KeepAlive and asks who leads"},
			{Name: "election_timeout", Kind: model.Duration, Default: "1s", Doc: "raft election timeout; a new leader also extends every lease by it"},
			{Name: "heartbeat_tick", Kind: model.Duration, Default: "100ms", Doc: "raft tick (heartbeat interval) on each issuer's monotonic clock"},
			{Name: "checkpoint", Kind: model.Bool, Default: "false", Doc: "checkpoint remaining TTLs through the log every TTL/2, so that a new leader does not renew leases in full"},
		},
		Mutants: []model.Mutant{
			{Name: MutantExpireEarly, Breaks: "p1", Doc: "the issuer expires leases at half their TTL: a holder still within its lease sees another elected"},
			{Name: MutantCountsFromReceipt, Breaks: "p1", Doc: "the client counts its lease from the KeepAlive answer's arrival, so a slow answer extends it past the issuer's expiry"},
			{Name: MutantExpireOnFollower, Breaks: "p1", Doc: "raft followers expire leases too, by the deadlines they know (TTL after the grant; they never see KeepAlives)"},
			{Name: MutantNoRenewOnPromotion, Breaks: "p1", Doc: "a new raft leader keeps the deadlines it knew as a follower instead of renewing every lease: leases kept alive with the old leader expire early"},
		},
		MaxIssuers: 5,
		Validate: func(v model.Values) error {
			ttl, ka := v.Duration("ttl"), v.Duration("keepalive")
			if ttl < int64(time.Millisecond) {
				return &model.ParamError{Param: "ttl", Msg: "must be at least 1ms"}
			}
			if ka <= 0 || ka >= ttl {
				return &model.ParamError{Param: "keepalive", Msg: fmt.Sprintf("keepalive %v must be > 0 and shorter than ttl %v", time.Duration(ka), time.Duration(ttl))}
			}
			return ValidateService(v)
		},
		Build:   build,
		MsgName: MsgName,
		OpModel: OpModel,
		// The model accounts for an unanswered call's effects when a later answer shows
		// them (a lease or key seen that it never saw granted or put).
		PendingOpsInvisible: true,
	})
}

func build(s model.Setup) (map[string]func() sim.Node, error) {
	if n := len(s.Issuers); n < 1 || n > 5 {
		return nil, fmt.Errorf("etcd: issuers must be 1 to 5, got %d", n)
	}
	cfg := &config{ttl: s.Params.Duration("ttl"), keepalive: s.Params.Duration("keepalive"),
		writeEvery:      s.Params.Duration("write_every"),
		electionTimeout: s.Params.Duration("election_timeout"), heartbeatTick: s.Params.Duration("heartbeat_tick"),
		checkpoint: s.Params.Bool("checkpoint"), mutant: s.Mutant}
	cfg.electionTicks = int(cfg.electionTimeout / cfg.heartbeatTick)
	cfg.checkpointEvery = max(cfg.ttl/2, expireEvery)
	out := map[string]func() sim.Node{}
	for _, q := range s.Issuers {
		out[q] = func() sim.Node { return &issuer{cfg: cfg} }
	}
	for _, h := range s.Holders {
		out[h] = func() sim.Node { return &holder{cfg: cfg} }
	}
	if s.Resource != "" {
		out[s.Resource] = resource.New(true)
	}
	return out, nil
}
