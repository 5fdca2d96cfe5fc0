package etcd

import (
	"testing"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// TestOpModelRebound: a put whose answer was lost may bind a live key to another lease
// before the key's lease expires; the lease's expiry then deletes only its other keys,
// and the key keeps its create revision (etcd: a put to a live key keeps its create
// revision, a revoke deletes the keys attached to the lease when it applies). Seed 172 of
// the reviewer's adversarial raft scenario: A restarted, put its keys again on a new
// lease (the answer to data/A/10 lost), the old lease expired, the other keys got new
// create revisions (191–194) and the put of data/A/10 again answered the old one (80).
// Without an unanswered put that could have rebound it — one called before the deletion
// was seen — that answer stays illegal.
func TestOpModelRebound(t *testing.T) {
	base := []history.Op{
		grant("A", 0, s/10, 1),
		put("A", "k1", s/10, s/5, 1, 5),
		put("A", "k2", s/10, s/5, 1, 6),
		grant("A", s, s+s/10, 2),
	}
	lost := put("A", "k1", s+s/10, history.Forever, 2, 0)
	k2Again := put("A", "k2", 4*s, 4*s+s/10, 2, 10) // lease 1 gone: a new incarnation
	tests := []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		{"put keeps the create revision after a lost put rebound it",
			append(append([]history.Op{}, base...), lost, k2Again, put("A", "k1", 4*s+s/5, 4*s+s/4, 2, 5)), porcupine.Ok},
		{"get sees it after a lost put rebound it",
			append(append([]history.Op{}, base...), lost, k2Again, get("B", "k1", 4*s+s/5, 4*s+s/4, "A", 2, 5)), porcupine.Ok},
		{"no lost put: the incarnation went with lease 1",
			append(append([]history.Op{}, base...), k2Again, put("A", "k1", 4*s+s/5, 4*s+s/4, 2, 5)), porcupine.Illegal},
		{"a lost put to the same lease keeps nothing",
			append(append([]history.Op{}, base...), put("A", "k1", s+s/10, history.Forever, 1, 0), k2Again, put("A", "k1", 4*s+s/5, 4*s+s/4, 2, 5)), porcupine.Illegal},
		{"not when the deletion was seen before the lost put was called",
			append(append([]history.Op{}, base...), get("B", "k1", 3*s, 3*s+s/10, "", 0, 0), put("A", "k1", 3*s+s/5, history.Forever, 2, 0),
				k2Again, put("A", "k1", 4*s+s/5, 4*s+s/4, 2, 5)), porcupine.Illegal},
		{"the same lost put may rebind before a deletion seen later",
			append(append([]history.Op{}, base...), put("A", "k1", 3*s+s/5, history.Forever, 2, 0), get("B", "k2", 3*s+s/4, 3*s+s/3, "", 0, 0),
				put("A", "k1", 4*s+s/5, 4*s+s/4, 2, 5)), porcupine.Ok},
		{"not after a newer incarnation",
			append(append([]history.Op{}, base...), lost, k2Again, put("A", "k1", 4*s+s/5, 4*s+s/4, 2, 11), revoke("A", 5*s, 5*s+s/10, 2),
				put("A", "k1", 6*s, 6*s+s/10, 0, 5)), porcupine.Illegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(tt.ops); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
