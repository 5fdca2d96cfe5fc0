package etcd

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// TestOpModelLostGrants checks rule 7 of step (a Grant whose answer never came may have
// made one lease, or none) and how partition places such Grants, on hand-made histories.
// Each was checked to fail with the rule it names removed (the comment above it says how).
func TestOpModelLostGrants(t *testing.T) {
	ms := int64(time.Millisecond)
	forever := history.Forever
	tests := []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		// partition: the fresh leases join in one part with the Grants that asked for no id
		// (without the union each part spends the one Grant on its own lease).
		{"one lost grant makes one lease, not one in each of two parts", []history.Op{grantLost("A", 0, 0),
			keepalive("A", s, s+ms, 7, true), keepalive("B", s, s+ms, 8, true)}, porcupine.Illegal},
		// makeLease: the Grant is used up (useLost).
		{"one lost grant makes one lease, not two in one part", []history.Op{grantLost("A", 0, 0),
			put("A", "k", s, s+ms, 7, 1), keepalive("A", 5*s, 5*s+ms, 7, false),
			put("B", "k", 6*s, 6*s+ms, 8, 2), keepalive("B", 6*s+2*ms, 6*s+3*ms, 8, true)}, porcupine.Illegal},
		// addLost: two alike Grants are two entries.
		{"two lost grants make two leases", []history.Op{grantLost("A", 0, 0), grantLost("B", 0, 0),
			keepalive("A", s, s+ms, 7, true), keepalive("B", s, s+ms, 8, true)}, porcupine.Ok},
		{"two lost grants make two leases in one part", []history.Op{grantLost("A", 0, 0), grantLost("B", 0, 0),
			put("A", "k", s, s+ms, 7, 1), keepalive("A", 5*s, 5*s+ms, 7, false),
			put("B", "k", 6*s, 6*s+ms, 8, 2), keepalive("B", 6*s+2*ms, 6*s+3*ms, 8, true)}, porcupine.Ok},
		// makeLease: no lost Grant left, no lease (bind made one from nothing).
		{"a put with a lease nothing granted", []history.Op{put("A", "k", s, s+ms, 7, 1)}, porcupine.Illegal},
		{"a read of a key bound to a lease nothing granted", []history.Op{put("A", "k", s, forever, 7, 0),
			get("B", "k", 2*s, 2*s+ms, "A", 7, 1)}, porcupine.Illegal},
		// partition: a lost Grant is placed at its call (lostGrant's Call), not before.
		{"a read before the lost grant was called shows its lease", []history.Op{grantLost("A", 10*ms, 0),
			put("A", "k", 0, 20*ms, 7, 1), get("B", "k", ms, 2*ms, "A", 7, 1)}, porcupine.Illegal},
		// makeLease: the lease lives the Grant's TTL from its call (it had none: gone at once).
		{"a lease a lost grant made cannot vanish before its TTL", []history.Op{grantLost("A", 0, 0),
			put("A", "k", s, s+ms, 7, 1), get("B", "k", s+100*ms, s+101*ms, "", 0, 0)}, porcupine.Illegal},
		{"a lease a lost grant made may be gone after its TTL", []history.Op{grantLost("A", 0, 0),
			put("A", "k", s, s+ms, 7, 1), get("B", "k", 3*s, 3*s+ms, "", 0, 0)}, porcupine.Ok},
		// lostFor: the earliest called of two Grants makes it (the latest: gone from 2s + 3s).
		{"the earliest called lost grant makes the lease", []history.Op{grantLost("A", 0, 0), grantLost("B", 2*s, 0),
			put("A", "k", 2500*ms, 2501*ms, 7, 1), get("B", "k", 3200*ms, 3201*ms, "", 0, 0)}, porcupine.Ok},
		// partition: named holds the ids answered Grants returned (ids are never reused).
		{"a lost grant does not make a lease an answered grant returned", []history.Op{grantLost("B", 0, 0),
			grant("A", 0, 10*ms, 7), keepalive("A", 5*ms, 6*ms, 7, true), revoke("A", 7*ms, 8*ms, 7),
			keepalive("A", 20*ms, 21*ms, 7, true)}, porcupine.Illegal},
		// partition: named holds the ids Grants asked for.
		{"a lost grant that asked for no id does not make one a grant asked for", []history.Op{grantLost("A", 0, 0),
			keepalive("A", s, s+ms, 7, true), grantLost("B", 2*s, 7)}, porcupine.Illegal},
		// makeLease: a Grant that asked for no id makes no lease that was live before.
		{"a lost grant does not make a fresh lease that was gone again", []history.Op{grantLost("A", 0, 0), grantLost("B", 0, 0),
			keepalive("A", s, s+ms, 7, true), keepalive("A", 5*s, 5*s+ms, 7, false), keepalive("A", 6*s, 6*s+ms, 7, true)}, porcupine.Illegal},
		// makeLease: a Grant that asked for an id makes it even if it was gone (etcd grants an id
		// that is not live).
		{"a lost grant that asked for a gone id makes it again", []history.Op{grant("A", 0, ms, 7),
			keepalive("A", 4*s, 4*s+ms, 7, false), grantLost("A", 5*s, 7), put("A", "k", 6*s, 6*s+ms, 7, 1)}, porcupine.Ok},
		{"two lost grants that asked for one id make it twice", []history.Op{grantLost("A", 0, 7), grantLost("A", 0, 7),
			keepalive("A", s, s+ms, 7, true), keepalive("A", 5*s, 5*s+ms, 7, false), keepalive("A", 6*s, 6*s+ms, 7, true)}, porcupine.Ok},
		// makeLease: one made again lives from the call that shows it (its Grant's: gone at 6.5s).
		{"a lease made again cannot vanish before its TTL from the call that shows it", []history.Op{grantLost("A", 0, 7), grantLost("A", 0, 7),
			keepalive("A", s, s+ms, 7, true), keepalive("A", 5*s, 5*s+ms, 7, false),
			put("A", "k", 6*s, 6*s+ms, 7, 1), get("B", "k", 6500*ms, 6501*ms, "", 0, 0)}, porcupine.Illegal},
		// partition: a read shows a fresh lease (annotate's fresh).
		{"an election read shows a key bound to a lease a lost grant made", []history.Op{grantLost("A", 0, 0),
			put("A", "election/A", 2*ms, forever, 7, 0), first("B", s, s+ms, "election/A", 7, 1)}, porcupine.Ok},
		{"a get shows a key bound to a lease a lost grant made", []history.Op{grantLost("A", 0, 0),
			put("A", "k", 2*ms, forever, 7, 0), get("B", "k", s, s+ms, "A", 7, 1)}, porcupine.Ok},
	}
	for _, tt := range tests {
		if got := check(tt.ops); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
