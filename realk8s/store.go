package realk8s

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
)

// LeaseKey is the key the Lease object's operations carry in the history, the k8s
// model's key, so that the same P3 model (k8s.OpModel) reads both.
const LeaseKey = "leases/kube-system/leader"

// errRefused is the answer to a request from a candidate whose requests are refused
// (connection refused: it fails at once and never reaches the store).
var errRefused = errors.New("realk8s: connection refused")

// errConflict is the store's answer to an update whose expected revision is not the
// object's (Kubernetes' 409 Conflict on resourceVersion).
var errConflict = errors.New("realk8s: conflict: the object has been modified")

// link is one candidate's connection to the store as the faults have it now.
type link struct {
	dropRequests bool          // requests never arrive (partition, cut)
	dropAnswers  bool          // answers never arrive (partition)
	refuse       bool          // requests fail at once (connection refused)
	slowAnswers  time.Duration // added to every answer's delay
}

// store is the in-memory Lease object and the network between it and the candidates: it
// executes each request at most once, at its arrival, and records every operation with
// its call and return times.
type store struct {
	rec   *recorder
	delay func(r *rand.Rand) time.Duration
	loss  float64

	mu     sync.Mutex
	rngs   map[string]*rand.Rand // per candidate: its delays and losses
	links  map[string]*link
	spec   []byte // the stored LeaseSpec as JSON; nil when the object does not exist
	rev    int64  // the object's mod revision
	global int64  // the store's revision counter
}

func (s *store) linkOf(node string) link {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.links[node]
}

// setLink changes node's link under the store's lock.
func (s *store) setLink(node string, f func(l *link)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.links[node])
}

// draw returns a one-way delay for node and whether the message is lost, from node's own
// seeded source.
func (s *store) draw(node string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rngs[node]
	d := s.delay(r)
	lost := s.loss > 0 && r.Float64() < s.loss
	return d, lost
}

// sleep waits d or until ctx is done, and reports whether the whole d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// call sends one request from node: exec runs at the store when (if) it arrives, and
// fills in op's results. The operation is recorded with Return = Forever when its answer
// never reached node (lost, or ctx ended first).
func (s *store) call(ctx context.Context, node string, op history.Op, exec func(op *history.Op) error) error {
	op.Client, op.Key, op.Call, op.Return = node, LeaseKey, s.rec.now(), history.Forever
	if s.linkOf(node).refuse {
		return errRefused // never sent: nothing to record
	}
	d, lost := s.draw(node)
	if !sleep(ctx, d) {
		s.rec.op(op)
		return ctx.Err()
	}
	if lost || s.linkOf(node).dropRequests {
		<-ctx.Done()
		s.rec.op(op)
		return ctx.Err()
	}
	s.mu.Lock()
	err := exec(&op)
	s.mu.Unlock()
	d, lost = s.draw(node)
	l := s.linkOf(node)
	if lost || l.dropAnswers {
		<-ctx.Done()
		s.rec.op(op)
		return ctx.Err()
	}
	if !sleep(ctx, d+l.slowAnswers) {
		s.rec.op(op)
		return ctx.Err()
	}
	op.Return = s.rec.now()
	s.rec.op(op)
	return err
}

// get reads the object: its spec and revision, or found = false.
func (s *store) get(ctx context.Context, node string) (spec *coordinationv1.LeaseSpec, rev int64, found bool, err error) {
	err = s.call(ctx, node, history.Op{Method: etcd.MethodGet}, func(op *history.Op) error {
		op.Ok = true
		if s.spec == nil {
			return nil
		}
		op.Found, op.OutValue, op.Revision = true, string(s.spec), s.rev
		spec, rev, found = new(coordinationv1.LeaseSpec), s.rev, true
		return json.Unmarshal(s.spec, spec)
	})
	return spec, rev, found, err
}

// cas writes spec if the object's revision is expect (0: the object must not exist) and
// returns the new revision.
func (s *store) cas(ctx context.Context, node string, spec coordinationv1.LeaseSpec, expect int64) (int64, error) {
	b, err := json.Marshal(spec)
	if err != nil {
		return 0, err
	}
	var rev int64
	err = s.call(ctx, node, history.Op{Method: etcd.MethodCAS, Value: string(b), Expect: expect}, func(op *history.Op) error {
		cur := s.rev
		if s.spec == nil {
			cur = 0
		}
		if cur != expect {
			op.Err = etcd.ErrConflict
			return errConflict
		}
		s.global++
		s.spec, s.rev = b, s.global
		op.Ok, op.Revision, rev = true, s.global, s.global
		return nil
	})
	return rev, err
}
