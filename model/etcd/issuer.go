package etcd

import (
	"sort"

	"leasesim/sim"
)

// expireEvery is how often the issuer looks for expired leases (etcd's lessor checks
// every 500ms; a shorter period makes expiry closer to the TTL).
const expireEvery = int64(100e6)

// issuer is Q: the store, and each lease's expiry on Q's monotonic clock.
type issuer struct {
	cfg    *config
	st     *store
	expiry map[int64]int64
}

func (q *issuer) Start(env *sim.Env) {
	q.expiry = map[int64]int64{}
	if st, ok := env.Durable().(*store); ok {
		// A restart: every lease is renewed to its full TTL, as a new etcd leader does.
		q.st = st
		now := env.Mono()
		for id, l := range st.leases {
			q.expiry[id] = now + q.cfg.lifetime(l.ttl)
		}
	} else {
		q.st = newStore()
		// The store is written through: every change is on disk before the answer.
		env.SetDurable(q.st)
	}
	env.After(expireEvery, sim.Message{Type: msgExpireTick})
}

func (q *issuer) Step(env *sim.Env, m sim.Message) {
	switch m.Type {
	case msgExpireTick:
		q.expire(env)
		env.After(expireEvery, sim.Message{Type: msgExpireTick})
	case msgRequest:
		req, ok := m.Payload.(*request)
		if !ok {
			return
		}
		env.Send(sim.Message{Type: msgResponse, To: m.From, Seq: m.Seq, Payload: q.handle(env, req)})
	}
}

// expire revokes every lease whose time has come, in lease order.
func (q *issuer) expire(env *sim.Env) {
	now := env.Mono()
	var due []int64
	for id, at := range q.expiry {
		if at <= now {
			due = append(due, id)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i] < due[j] })
	for _, id := range due {
		q.st.revoke(id)
		delete(q.expiry, id)
	}
}

func (q *issuer) handle(env *sim.Env, r *request) *response {
	now := env.Mono()
	switch r.Method {
	case methodGrant:
		id := q.st.grant(r.TTL)
		q.expiry[id] = now + q.cfg.lifetime(r.TTL)
		return &response{Ok: true, Lease: id, TTL: r.TTL, Rev: q.st.rev}
	case methodKeepAlive:
		l, ok := q.st.leases[r.Lease]
		if !ok {
			return &response{Err: "lease not found", Lease: r.Lease}
		}
		q.expiry[r.Lease] = now + q.cfg.lifetime(l.ttl)
		return &response{Ok: true, Lease: r.Lease, TTL: l.ttl}
	case methodRevoke:
		if !q.st.revoke(r.Lease) {
			return &response{Err: "lease not found", Lease: r.Lease}
		}
		delete(q.expiry, r.Lease)
		return &response{Ok: true, Lease: r.Lease, Rev: q.st.rev}
	case methodPut:
		rec, ok := q.st.put(r.Key, r.Value, r.Lease)
		if !ok {
			return &response{Err: "lease not found", Lease: r.Lease}
		}
		return &response{Ok: true, Key: r.Key, CreateRev: rec.createRev, Rev: rec.modRev}
	case methodGet:
		rec, ok := q.st.kv[r.Key]
		if !ok {
			return &response{Ok: true, Rev: q.st.rev}
		}
		return &response{Ok: true, Found: true, Key: r.Key, Value: rec.value, Lease: rec.lease, CreateRev: rec.createRev, Rev: q.st.rev}
	case methodFirst:
		k, rec := q.st.first(r.Key)
		if rec == nil {
			return &response{Ok: true, Rev: q.st.rev}
		}
		return &response{Ok: true, Found: true, Key: k, Value: rec.value, Lease: rec.lease, CreateRev: rec.createRev, Rev: q.st.rev}
	}
	return &response{Err: "unknown method " + r.Method}
}
