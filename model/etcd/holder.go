package etcd

import (
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// electionPrefix is where holders campaign.
const electionPrefix = "election/"

// pending is a request sent: its recorded operation and when it was sent; bulk is the
// index+1 of the key lease it is for (0: the election's), key the key's index; in says
// whether it is still in flight (neither answered nor forgotten).
type pending struct {
	op     sim.OpID
	sent   int64
	method string
	req    *request
	to     sim.NodeID
	bulk   int
	key    int
	in     bool
}

// holder is a client that campaigns for leadership. It sends to one issuer node at a
// time and fails over: to the leader a non-leader names, or to the next issuer when the
// one it uses has answered nothing for a keepalive period.
type holder struct {
	cfg     *config
	issuers []sim.NodeID
	target  int
	// unanswered is when the oldest request to the target that no answer from it has
	// followed was sent (0: none).
	unanswered int64
	seq        uint64
	// sent holds the requests sent, back to the oldest that may still be in flight
	// (forget drops from its front); calls the last request of each call (the
	// one-in-flight rule). holdercalls.go.
	sent     callWindow
	calls    callSlots
	reqs     slab[request]
	key      string
	liveName string
	// lease is the holder's lease (0: none yet), granting whether a Grant is in flight
	// and since when; createRev the create revision of its election key (0: not put).
	lease     int64
	granting  int64
	putting   int64
	createRev int64
	// deadline is when the lease may have run out on the holder's monotonic clock (with
	// client etcd-go: when the client's once-a-second check notices it has).
	deadline int64
	// ttl is the lease's TTL as the issuer granted it (its Grant answer), which may be
	// more than asked for; started is when the holder started, the phase of etcd-go's
	// deadline checks.
	ttl, started int64
	leading      bool
	// bulk are the key leases, for the first holder when the scenario has keys.
	bulk []bulkLease
}

func (h *holder) Start(env *sim.Env) {
	h.issuers = env.Issuers()
	h.target = env.Rand().IntN(len(h.issuers))
	h.bulk = newBulk(h.cfg, env.Name())
	if len(h.bulk) > 0 {
		h.calls.init(len(h.bulk), len(h.bulk[0].keys))
	} else {
		h.calls.init(0, 0)
	}
	h.ttl, h.started = h.cfg.ttl, env.Mono()
	h.key = electionPrefix + env.Name()
	h.liveName = history.LivenessLease(env.Name())
	// Request numbers start at a random point in every incarnation, so that a late
	// answer to a previous incarnation's request is never taken for a new one's.
	h.seq = env.Rand().Uint64() >> 1
	env.After(env.Rand().Int64N(h.cfg.keepalive), sim.Message{Type: msgTick})
	if env.Resource() != sim.NoNode {
		env.After(env.Rand().Int64N(h.cfg.writeEvery)+1, sim.Message{Type: msgWriteTick})
	}
}

// call sends a request to the issuer in use, unless one of the same method was sent to
// it less than a keepalive period ago and is still unanswered: like a real client, a
// holder waits for an answer, but not for longer than a period, as etcd's client sends a
// KeepAlive every period whatever became of the last (waiting longer would let one lost
// message cost the lease). An answer counts as long as it can still extend the lease,
// up to a TTL after the send; then the request is abandoned (its operation stays pending
// and a late answer is ignored). Calls thus never pile up behind a slow or paused issuer,
// which also keeps the client history's concurrency — porcupine's search — small.
func (h *holder) call(env *sim.Env, r request) { h.callFor(env, &r, 0, 0) }

// callFor is call for key lease bulk (index+1; 0: the election's) and key index key. The
// request sent is a copy of *r.
func (h *holder) callFor(env *sim.Env, r *request, bulk, key int) {
	now, slot := env.Mono(), h.calls.index(r.Method, bulk, key)
	if !h.held(now, r, slot) {
		h.send(env, now, h.reqs.new(*r), bulk, key, slot)
	}
}

// callShared is callFor sending r itself, which must never change: a request nobody
// changes can be sent again (the issuer only reads requests), as a key lease's KeepAlive
// is every period.
func (h *holder) callShared(env *sim.Env, r *request, bulk, key int) {
	now, slot := env.Mono(), h.calls.index(r.Method, bulk, key)
	if !h.held(now, r, slot) {
		h.send(env, now, r, bulk, key, slot)
	}
}

// held reports whether the one-in-flight rule holds call r, of call slot slot
// (callSlots.index), back now: its last request went to the issuer in use less than a
// keepalive period ago and is still unanswered.
func (h *holder) held(now int64, r *request, slot int) bool {
	ce := callEntry{method: r.Method, key: r.Key, lease: r.Lease, to: h.issuers[h.target]}
	if s, ok := h.calls.latestAt(slot, ce); ok {
		if p := h.sent.get(s); p != nil && now-p.sent < h.cfg.keepalive {
			return true
		}
	}
	return false
}

// send sends req, of call slot slot, to the issuer in use at now (the holder's monotonic
// clock) and records it.
func (h *holder) send(env *sim.Env, now int64, req *request, bulk, key, slot int) {
	to := h.issuers[h.target]
	h.seq++
	op := env.Invoke(history.Op{Method: req.Method, Key: req.Key, Value: req.Value, Lease: req.Lease, TTL: req.TTL})
	h.sent.add(h.seq, pending{op: op, sent: now, method: req.Method, req: req, to: to, bulk: bulk, key: key})
	h.calls.setAt(slot, callEntry{method: req.Method, key: req.Key, lease: req.Lease, to: to, seq: h.seq}, &h.sent)
	env.Send(sim.Message{Type: msgRequest, To: to, Seq: h.seq, Payload: req, AtMostOnce: true})
	if h.unanswered == 0 {
		h.unanswered = now
	}
}

// forget abandons the requests sent a TTL ago or more: an answer could extend nothing.
// Their operations stay pending and late answers are ignored. The requests are taken
// from the front of h.sent, oldest first, rather than by scanning every request in
// flight (2,000 with 1,000 key leases) on every tick.
func (h *holder) forget(now int64) { h.sent.forget(now - h.cfg.ttl) }

// Step handles a message; the kernel calls StepMessage instead.
func (h *holder) Step(env *sim.Env, m sim.Message) { h.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (h *holder) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgTick:
		h.tick(env)
		env.After(h.cfg.keepalive, sim.Message{Type: msgTick})
	case msgWriteTick:
		if h.valid(env) {
			resource.Write(env, uint64(h.createRev), uint64(h.createRev))
		}
		env.After(h.cfg.writeEvery, sim.Message{Type: msgWriteTick})
	case msgResponse:
		in := h.sent.get(m.Seq)
		resp, isResp := m.Payload.(*response)
		if in == nil || !isResp {
			return
		}
		in.in = false
		p := *in
		if m.From == h.issuers[h.target] {
			h.unanswered = 0
		}
		if resp.Err == errNotLeader {
			h.redirect(resp.Leader)
		}
		out := history.Op{Ok: resp.Ok, Found: resp.Found, OutValue: resp.Value, OutLease: resp.Lease,
			OutTTL: resp.TTL, Revision: resp.CreateRev, Err: resp.Err}
		if p.method == methodFirst {
			out.OutValue = resp.Key // First answers with a key; its call's Key is the prefix
		}
		env.Complete(p.op, out)
		if p.bulk > 0 {
			h.bulkAnswered(env, p, resp)
		} else {
			h.answered(env, p, resp)
		}
		if resp.Err == errNotLeader && resp.Leader != sim.NoNode && resp.Leader != m.From {
			// Ask the leader it named at once, as etcd's client retries on another
			// endpoint, rather than a keepalive period later.
			switch {
			case p.bulk > 0:
			case p.method == methodGrant:
				h.granting = env.Mono()
			case p.method == methodPut:
				h.putting = env.Mono()
			}
			h.callShared(env, p.req, p.bulk, p.key) // sent before: nobody changes it
		}
	}
}

// redirect turns to the issuer a non-leader named, or to the next one.
func (h *holder) redirect(leader sim.NodeID) {
	h.unanswered = 0
	for i, q := range h.issuers {
		if q == leader {
			h.target = i
			return
		}
	}
	h.target = (h.target + 1) % len(h.issuers)
}

// checkAfter is the first of etcd-go's once-a-second deadline checks that finds a
// deadline of d passed: the first check strictly after d (ka.deadline.Before(now)).
func (h *holder) checkAfter(d int64) int64 {
	k := (d-h.started)/etcdGoDeadlineCheck + 1
	return h.started + k*etcdGoDeadlineCheck
}

// valid reports whether the holder believes it leads now.
func (h *holder) valid(env *sim.Env) bool { return h.leading && env.Mono() < h.deadline }

// tick moves the campaign on: grant a lease, put the election key, then keep the lease
// alive and ask who leads. A step whose answer has not come back within a TTL is retried.
func (h *holder) tick(env *sim.Env) {
	now := env.Mono()
	h.forget(now)
	if h.unanswered != 0 && now-h.unanswered >= h.cfg.keepalive {
		h.redirect(sim.NoNode) // the issuer in use is silent: try the next one
	}
	retry := 2 * h.cfg.keepalive
	switch {
	case h.lease == 0:
		if h.granting == 0 || now-h.granting > retry {
			h.granting = now
			h.call(env, request{Method: methodGrant, TTL: h.cfg.ttl, Value: env.Name()})
		}
	case h.createRev == 0:
		// Keep the lease alive while the key is not put yet.
		h.call(env, request{Method: methodKeepAlive, Lease: h.lease})
		// A Put of the same key and lease is idempotent: retry it every period.
		if h.putting == 0 || now-h.putting >= h.cfg.keepalive {
			h.putting = now
			h.call(env, request{Method: methodPut, Key: h.key, Value: env.Name(), Lease: h.lease})
		}
	default:
		h.call(env, request{Method: methodKeepAlive, Lease: h.lease})
		h.call(env, request{Method: methodFirst, Key: electionPrefix})
	}
	if h.leading && now >= h.deadline {
		h.stepDown(env)
	}
	for i := range h.bulk {
		h.bulkTick(env, i)
	}
}

// extend moves the lease deadline after an acknowledgement of a request sent at sent:
// the issuer refreshed the lease when it handled it, after it was sent, so the lease
// lasts at least the TTL from the send, less a margin for the clocks' drift.
//
// With client etcd-go the holder is etcd's Go client instead (clientv3 lease.go): its
// recvKeepAlive sets the deadline to the answer's arrival plus the TTL, with no margin,
// and its deadlineLoop compares the deadline with the time once a second, so the holder
// believes until the first of those checks after the deadline. An answer that took d to
// come back thus stretches its belief d past the issuer's expiry, and the check up to
// another second: the belief overlap live mode measures against a real etcd.
func (h *holder) extend(env *sim.Env, sent int64) {
	from := sent
	if h.cfg.mutant == MutantCountsFromReceipt {
		from = env.Mono()
	}
	d := from + h.ttl - h.cfg.margin(h.ttl)
	if h.cfg.client == ClientEtcdGo {
		d = h.checkAfter(env.Mono() + h.ttl)
	}
	if d > h.deadline {
		h.deadline = d
	}
	if h.deadline > env.Mono() {
		env.Claim(h.liveName, 1, sim.Mono, h.deadline)
		if h.leading {
			env.Claim(history.LeaderLease, uint64(h.createRev), sim.Mono, h.deadline)
		}
	}
}

func (h *holder) answered(env *sim.Env, p pending, r *response) {
	switch p.method {
	case methodGrant:
		h.granting = 0
		if r.Ok && h.lease == 0 {
			h.lease, h.createRev, h.deadline = r.Lease, 0, 0
			if r.TTL > 0 {
				h.ttl = r.TTL // the issuer may have raised it to its minimum
			}
			h.extend(env, p.sent)
			// Campaign at once, as concurrency.Election does: put the key now.
			h.putting = env.Mono()
			h.call(env, request{Method: methodPut, Key: h.key, Value: env.Name(), Lease: h.lease})
		}
	case methodPut:
		h.putting = 0
		if r.Ok && r.Key == h.key {
			h.createRev = r.CreateRev
			h.call(env, request{Method: methodFirst, Key: electionPrefix})
		} else if r.Err == errLeaseNotFound {
			h.lease, h.createRev = 0, 0 // the lease is gone: start over
		}
	case methodKeepAlive:
		if r.Ok && r.Lease == h.lease {
			h.extend(env, p.sent)
		} else if r.Err == errLeaseNotFound && r.Lease == h.lease {
			// The lease expired on the issuer: its key is gone; campaign again.
			h.stepDown(env)
			h.lease, h.createRev = 0, 0
		}
	case methodFirst:
		mine := r.Found && r.Key == h.key && r.CreateRev == h.createRev && h.createRev != 0
		switch {
		case mine && !h.leading && env.Mono() < h.deadline:
			h.leading = true
			env.Claim(history.LeaderLease, uint64(h.createRev), sim.Mono, h.deadline)
		case !mine && h.leading:
			h.stepDown(env)
		}
	}
}

func (h *holder) stepDown(env *sim.Env) {
	if h.leading {
		h.leading = false
		env.Release(history.LeaderLease)
	}
}
