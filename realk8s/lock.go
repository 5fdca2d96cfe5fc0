package realk8s

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	rl "k8s.io/client-go/tools/leaderelection/resourcelock"
)

// lock is one candidate's resourcelock.Interface over the store, behaving as client-go's
// LeaseLock: Get remembers the object's revision and returns the record with its raw
// bytes marshalled from the record (so with RenewTime at whole seconds, as LeaseLock's
// metav1.Time has it); Create writes only if the object does not exist; Update is a
// compare-and-swap on the revision of the last Get, Create or Update (resourceVersion),
// and fails if there was none. Every call times out after the request timeout, as the
// elector's API client does.
type lock struct {
	s       *store
	id      string
	timeout time.Duration

	mu  sync.Mutex
	rev int64 // the revision last read or written; 0 before any
	// wrote is the revision of the last successful Create or Update: the epoch of a
	// leadership that starts now.
	wrote int64
}

var _ rl.Interface = (*lock)(nil)

var leaseResource = schema.GroupResource{Group: "coordination.k8s.io", Resource: "leases"}

// Get reads the record.
func (l *lock) Get(ctx context.Context) (*rl.LeaderElectionRecord, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	spec, rev, found, err := l.s.get(ctx, l.id)
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, apierrors.NewNotFound(leaseResource, "leader")
	}
	l.mu.Lock()
	l.rev = rev
	l.mu.Unlock()
	rec := rl.LeaseSpecToLeaderElectionRecord(spec)
	raw, err := json.Marshal(*rec)
	if err != nil {
		return nil, nil, err
	}
	return rec, raw, nil
}

// Create writes the record if the object does not exist.
func (l *lock) Create(ctx context.Context, ler rl.LeaderElectionRecord) error {
	return l.write(ctx, ler, 0)
}

// Update writes the record over the revision last seen.
func (l *lock) Update(ctx context.Context, ler rl.LeaderElectionRecord) error {
	l.mu.Lock()
	rev := l.rev
	l.mu.Unlock()
	if rev == 0 {
		return errors.New("lease not initialized, call get or create first")
	}
	return l.write(ctx, ler, rev)
}

func (l *lock) write(ctx context.Context, ler rl.LeaderElectionRecord, expect int64) error {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	rev, err := l.s.cas(ctx, l.id, rl.LeaderElectionRecordToLeaseSpec(&ler), expect)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.rev, l.wrote = rev, rev
	l.mu.Unlock()
	return nil
}

// written returns the revision of the last successful write.
func (l *lock) written() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wrote
}

// RecordEvent does nothing: there is no event sink.
func (l *lock) RecordEvent(string) {}

// Identity is the candidate's name.
func (l *lock) Identity() string { return l.id }

// Describe names the lock in client-go's log lines.
func (l *lock) Describe() string { return "kube-system/leader" }
