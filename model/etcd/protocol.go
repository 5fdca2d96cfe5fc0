package etcd

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// The mutants of the etcd protocol.
const (
	MutantExpireEarly        = "expire-early"
	MutantCountsFromReceipt  = "holder-counts-from-receipt"
	MutantExpireOnFollower   = "expire-on-follower"
	MutantNoRenewOnPromotion = "no-renew-on-promotion"
	MutantGuardShort         = "guard-short-5pct"
)

type config struct {
	ttl, keepalive, writeEvery     int64
	electionTimeout, heartbeatTick int64
	electionTicks                  int
	checkpoint                     bool
	checkpointEvery                int64
	mutant                         string
	// keys and keyLeases: the first holder (bulkHolder) also keeps keys keys alive,
	// spread evenly over keyLeases leases of its own.
	keys, keyLeases int
	bulkHolder      string
	// requestCost is how long an issuer node takes to serve one client request.
	requestCost int64
	// minTTL is the shortest TTL the issuer grants (minLeaseTTL); client is the holder's
	// lease bookkeeping, ClientCareful or ClientEtcdGo.
	minTTL int64
	client string
}

// The holder's clients (the client parameter).
const (
	// ClientCareful counts the lease from the send of the last acknowledged KeepAlive,
	// less a 1% drift margin, and steps down the moment it runs out.
	ClientCareful = "careful"
	// ClientEtcdGo is etcd's Go client (clientv3 lease.go): recvKeepAlive sets the
	// deadline to the response's arrival plus the TTL the response carries, and
	// deadlineLoop compares it with the time once a second, so the holder stops
	// believing up to a second after that deadline.
	ClientEtcdGo = "etcd-go"
)

// etcdGoDeadlineCheck is how often etcd's Go client checks its keepalive deadlines
// (clientv3 lease.go deadlineLoop: a one-second timer).
const etcdGoDeadlineCheck = int64(1e9)

// minLeaseTTL is the shortest lease TTL an etcd server grants, as etcd computes it
// (server/etcdserver/server.go: minTTL := time.Duration((3*cfg.ElectionTicks)/2) *
// heartbeat; MinLeaseTTL: int64(math.Ceil(minTTL.Seconds()))), and lease/lessor.go's
// Grant raises any shorter TTL to it: 1.5 election timeouts, in integer ticks, rounded up
// to whole seconds. With the defaults (heartbeat 100ms, election 1s: 10 ticks) it is 2s.
func minLeaseTTL(electionTicks int, heartbeat int64) int64 {
	d := int64((3*electionTicks)/2) * heartbeat
	return (d + 1e9 - 1) / 1e9 * 1e9
}

// grantTTL is the TTL the issuer grants for a request of ttl: at least minTTL.
func (c *config) grantTTL(ttl int64) int64 { return max(ttl, c.minTTL) }

// margin is how much of a lease's TTL a holder gives up for drift: 1%, which covers clock
// rates within 1 ± 0.01/1.99 (about ±5025 ppm: (ttl − ttl/100)/(1−ρ) <= ttl/(1+ρ)); the
// guard-short-5pct mutant gives up 5% less.
func (c *config) margin(ttl int64) int64 {
	if c.mutant == MutantGuardShort {
		return ttl/100 - ttl/2000
	}
	return ttl / 100
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
			{Name: "ttl", Kind: model.Duration, Default: "5s", Doc: "lease TTL the holders ask for, in whole seconds (etcd's unit); the issuer raises a shorter one to its minimum, ceil(1.5 election timeouts) in seconds (2s with the defaults)"},
			{Name: "keepalive", Kind: model.Duration, Default: "1s", Pacing: model.LeasePeriod, Times: "key_leases", Doc: "how often a holder sends KeepAlive and asks who leads"},
			{Name: "election_timeout", Kind: model.Duration, Default: "1s", Doc: "raft election timeout; a new leader also extends every lease by it"},
			{Name: "heartbeat_tick", Kind: model.Duration, Default: "100ms", Pacing: model.Period, Doc: "raft tick (heartbeat interval) on each issuer's monotonic clock"},
			{Name: "checkpoint", Kind: model.Bool, Default: "false", Doc: "checkpoint remaining TTLs through the log every TTL/2, so that a new leader does not renew leases in full"},
			{Name: "keys", Kind: model.Int, Default: "0", Doc: "the first holder also keeps this many keys alive (a service's registrations, shard locks), as keys/... claims"},
			{Name: "key_leases", Kind: model.Int, Default: "1", Doc: "the leases those keys are bound to, as many keys on each: 1 key per lease up to all keys on one"},
			{Name: "client", Kind: model.Enum, Values: []string{ClientCareful, ClientEtcdGo}, Default: ClientCareful, Doc: "the holder's lease bookkeeping: careful counts from the last acknowledged KeepAlive's send less 1% for drift and steps down on time; etcd-go is etcd's Go client, which counts from the answer's arrival and checks its deadline once a second (a belief overlap after a slow answer or a cut)"},
			{Name: "request_cost", Kind: model.Duration, Default: "0s", Doc: "issuer time to serve one client request, one at a time in arrival order (0: free), so that KeepAlive load costs latency"},
		},
		Mutants: []model.Mutant{
			{Name: MutantExpireEarly, Breaks: "p1", Doc: "the issuer expires leases at half their TTL: a holder still within its lease sees another elected"},
			{Name: MutantCountsFromReceipt, Breaks: "p1", Doc: "the client counts its lease from the KeepAlive answer's arrival, so a slow answer extends it past the issuer's expiry"},
			{Name: MutantExpireOnFollower, Breaks: "p1", Doc: "raft followers expire leases too, by the deadlines they know (TTL after the grant; they never see KeepAlives)"},
			{Name: MutantNoRenewOnPromotion, Breaks: "p1", Doc: "a new raft leader keeps the deadlines it knew as a follower instead of renewing every lease: leases kept alive with the old leader expire early"},
			{Name: MutantGuardShort, Breaks: "p4", Doc: "the holder gives up 0.95% of the TTL for drift instead of 1%: at the drift that 1% covers, a cut-off holder still believes itself alive (and leading) when the issuer expires its lease"},
		},
		MaxIssuers: 5,
		LeaseParam: "ttl",
		Validate: func(v model.Values) error {
			ttl, ka := v.Duration("ttl"), v.Duration("keepalive")
			if ttl < int64(time.Second) || ttl%int64(time.Second) != 0 {
				return &model.ParamError{Param: "ttl", Msg: fmt.Sprintf("%v; expected a whole number of seconds, at least 1s (etcd's LeaseGrant takes its TTL in seconds)", time.Duration(ttl))}
			}
			if ka <= 0 || ka >= ttl {
				return &model.ParamError{Param: "keepalive", Msg: fmt.Sprintf("keepalive %v must be > 0 and shorter than ttl %v", time.Duration(ka), time.Duration(ttl))}
			}
			keys, kl := v.Int("keys"), v.Int("key_leases")
			switch {
			case keys < 0 || keys > 100000:
				return &model.ParamError{Param: "keys", Msg: fmt.Sprintf("%d is outside [0, 100000]", keys)}
			case keys == 0 && kl != 1:
				// key_leases only shapes the keys; without keys it would be ignored, so a
				// value other than its default is a mistake worth naming.
				return &model.ParamError{Param: "key_leases", Msg: fmt.Sprintf("%d given without keys; key_leases spreads keys over leases, so set keys > 0 or leave key_leases out", kl)}
			case keys > 0 && (kl < 1 || kl > keys):
				return &model.ParamError{Param: "key_leases", Msg: fmt.Sprintf("%d must be between 1 and keys (%d)", kl, keys)}
			case keys > 0 && keys%kl != 0:
				return &model.ParamError{Param: "key_leases", Msg: fmt.Sprintf("keys (%d) must be a multiple of key_leases (%d), so that every lease carries as many keys", keys, kl)}
			case v.Duration("request_cost") < 0:
				return &model.ParamError{Param: "request_cost", Msg: "must be >= 0"}
			}
			return ValidateService(v)
		},
		Build:   build,
		MsgName: MsgName,
		OpModel: OpModel,
		// Unanswered calls stay in the history: the model's partition takes them out of
		// porcupine's search itself, and a later answer may show their writes.
	})
}

func build(s model.Setup) (map[string]func() sim.Node, error) {
	if n := len(s.Issuers); n < 1 || n > 5 {
		return nil, fmt.Errorf("etcd: issuers must be 1 to 5, got %d", n)
	}
	cfg := &config{ttl: s.Params.Duration("ttl"), keepalive: s.Params.Duration("keepalive"),
		writeEvery:      s.Params.Duration("write_every"),
		electionTimeout: s.Params.Duration("election_timeout"), heartbeatTick: s.Params.Duration("heartbeat_tick"),
		checkpoint: s.Params.Bool("checkpoint"), mutant: s.Mutant,
		keys: int(s.Params.Int("keys")), keyLeases: int(s.Params.Int("key_leases")), requestCost: s.Params.Duration("request_cost")}
	if len(s.Holders) > 0 {
		cfg.bulkHolder = s.Holders[0]
	}
	cfg.electionTicks = int(cfg.electionTimeout / cfg.heartbeatTick)
	cfg.minTTL = minLeaseTTL(cfg.electionTicks, cfg.heartbeatTick)
	cfg.client = s.Params.String("client")
	cfg.checkpointEvery = max(cfg.grantTTL(cfg.ttl)/2, expireEvery)
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
