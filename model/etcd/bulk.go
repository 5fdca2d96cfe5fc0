package etcd

import (
	"fmt"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// bulkLease is one of the first holder's key leases: a lease with its share of the
// scenario's keys (a service's registrations, shard locks), kept alive like the
// election's. While the lease may still be alive and every one of its keys is known to
// be put, the holder claims keys/<holder>/<n>; so the run's key unavailability is the
// mean over these claims (checker.Metrics.KeysUnavailableFraction).
type bulkLease struct {
	name     string   // the claim's name
	keys     []string // the keys bound to it
	put      []bool   // which keys are known put under the current lease
	nput     int
	lease    int64 // 0: none yet
	granting int64 // when the Grant in flight was sent (0: none)
	putting  int64 // when the missing keys were last sent
	deadline int64 // when the lease may have run out, on the holder's monotonic clock
	claimed  bool
	// keepAlive is the KeepAlive request of the current lease, sent every period.
	keepAlive *request
}

// newBulk returns the key leases of holder name: none unless it is the scenario's first
// holder and the scenario has keys.
func newBulk(cfg *config, name string) []bulkLease {
	if cfg.keys == 0 || name != cfg.bulkHolder {
		return nil
	}
	per := cfg.keys / cfg.keyLeases
	out := make([]bulkLease, cfg.keyLeases)
	for i := range out {
		b := &out[i]
		b.name = fmt.Sprintf("%s%s/%d", history.KeysPrefix, name, i)
		b.keys = make([]string, per)
		for k := range b.keys {
			b.keys[k] = fmt.Sprintf("data/%s/%d", name, i*per+k)
		}
		b.put = make([]bool, per)
	}
	return out
}

// bulkTick keeps key lease i going: grant it, put its keys, keep it alive.
func (h *holder) bulkTick(env *sim.Env, i int) {
	b := &h.bulk[i]
	now := env.Mono()
	switch {
	case b.lease == 0:
		if b.granting == 0 || now-b.granting > 2*h.cfg.keepalive {
			b.granting = now
			// No owner: the issuer's failure declarations follow election leases only.
			h.callFor(env, &request{Method: methodGrant, TTL: h.cfg.ttl}, i+1, 0)
		}
	default:
		if b.keepAlive == nil || b.keepAlive.Lease != b.lease {
			b.keepAlive = h.reqs.new(request{Method: methodKeepAlive, Lease: b.lease})
		}
		h.callShared(env, b.keepAlive, i+1, 0)
		if b.nput < len(b.keys) && now-b.putting >= h.cfg.keepalive {
			h.putKeys(env, i)
		}
	}
	if b.claimed && now >= b.deadline {
		b.claimed = false
		env.Release(b.name)
	}
}

// putKeys sends a Put for every key of lease i not known to be put yet.
func (h *holder) putKeys(env *sim.Env, i int) {
	b := &h.bulk[i]
	b.putting = env.Mono()
	for k, key := range b.keys {
		if !b.put[k] {
			h.callFor(env, &request{Method: methodPut, Key: key, Value: env.Name(), Lease: b.lease}, i+1, k)
		}
	}
}

// bulkAnswered acts on an answer to a call for a key lease.
func (h *holder) bulkAnswered(env *sim.Env, p pending, r *response) {
	i := p.bulk - 1
	b := &h.bulk[i]
	switch p.method {
	case methodGrant:
		b.granting = 0
		if r.Ok && b.lease == 0 {
			b.lease, b.deadline, b.nput = r.Lease, 0, 0
			clear(b.put)
			h.bulkExtend(env, i, p.sent)
			h.putKeys(env, i)
		}
	case methodPut:
		switch {
		case r.Ok && p.req.Lease == b.lease && !b.put[p.key]:
			b.put[p.key] = true
			b.nput++
			h.bulkExtend(env, i, 0)
		case r.Err == errLeaseNotFound && p.req.Lease == b.lease:
			h.bulkLost(env, i)
		}
	case methodKeepAlive:
		switch {
		case r.Ok && r.Lease == b.lease:
			h.bulkExtend(env, i, p.sent)
		case r.Err == errLeaseNotFound && r.Lease == b.lease:
			h.bulkLost(env, i)
		}
	}
}

// bulkExtend moves lease i's deadline after an acknowledgement of a request sent at sent
// (0: none, only claim if the keys are now all put), and claims it while it runs and its
// keys are all put.
func (h *holder) bulkExtend(env *sim.Env, i int, sent int64) {
	b := &h.bulk[i]
	if sent != 0 {
		b.deadline = max(b.deadline, sent+h.cfg.ttl-h.cfg.ttl/100)
	}
	if b.nput == len(b.keys) && b.deadline > env.Mono() {
		b.claimed = true
		env.Claim(b.name, uint64(b.lease), sim.Mono, b.deadline)
	}
}

// bulkLost forgets lease i, which the issuer no longer has: its keys are gone.
func (h *holder) bulkLost(env *sim.Env, i int) {
	b := &h.bulk[i]
	if b.claimed {
		b.claimed = false
		env.Release(b.name)
	}
	b.lease, b.nput, b.deadline = 0, 0, 0
	clear(b.put)
}
