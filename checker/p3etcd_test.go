package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/etcd"
)

// TestP3EtcdSharedLease checks the etcd client-API model (P3) on hand-made histories in
// testdata/p3etcd where two election keys share one lease, so that its expiry or revoke
// deletes both in one revision (as etcd's lessor does: one revoke, every attached key
// deleted in one transaction). Each case says what real etcd answers: First is the key
// with the lowest create revision under the prefix, a deleted key is never read again,
// and a key created again gets a newer create revision.
//
// Before the fix in model/etcd's read step, the First loop read the second key of an
// expired lease (removed by the first key's expiry in the same step) as a zero entry
// bound to lease 0, which never expires: expire-first-next, expire-first-none,
// recreate-first-a and recreate-first-b were reported not linearizable. And the model
// left an unanswered Revoke out (its deletion never happened in the model):
// revoke-unanswered-first-none and revoke-unanswered-keepalive were reported not
// linearizable too.
//
// Every case that must be violated was checked to pass with the rule it rests on broken
// in the model (a lease's expiry deleting only one of its keys, create revisions allowed
// to go back, a new incarnation while the old one's lease lives, a lease that may expire
// at any time).
func TestP3EtcdSharedLease(t *testing.T) {
	tests := []struct {
		file string
		ok   bool // linearizable: what real etcd may answer
	}{
		// Lease 1 (election/a rev 1, election/b rev 2) may have expired at the read (4s
		// after a 3s grant); lease 2 (election/c rev 3) was kept alive until 5.5s.
		{"expire-first-next", true},     // both keys gone in one revision: c is first
		{"expire-first-none", true},     // both gone, nothing under the prefix
		{"expire-first-sibling", false}, // a gone means b gone: b cannot be first
		{"expire-get-both-gone", true},
		{"expire-get-sibling", false}, // a gone, b still read
		// Revoked at 1s, before the TTL: the same in its own step.
		{"revoke-first-next", true},
		{"revoke-get-sibling", false},
		// A key created again (lease 3, by a put whose answer was lost) in the step that
		// expires lease 1.
		{"recreate-first-a", true},
		{"recreate-first-b", true},
		// The unanswered put may have applied before lease 1 expired: it moved election/b,
		// alive, to lease 3 with its create revision, and the expiry took only a (etcd
		// keeps a live key's create revision on a put; a revoke deletes the keys attached
		// then). Not once b was seen gone before the put was called.
		{"recreate-first-old-revision", true},
		{"recreate-first-old-revision-seen-gone", false},
		{"recreate-get", true},
		{"recreate-get-sibling", false}, // b created again means lease 1 went, and a with it
		// A compare-and-swap that creates election/b only if it is absent (the campaign's
		// Txn(If(CreateRevision(k) == 0), Then(Put))): legal once lease 1 may have
		// expired, not while it lives.
		{"cas-create-after-expiry", true},
		{"cas-create-before-expiry", false},
		// A Revoke whose answer never came may have deleted both keys at any time after
		// its call, before their TTL.
		{"revoke-unanswered-first-none", true},
		{"revoke-unanswered-get-sibling", false}, // one key gone means both
		{"revoke-unanswered-keepalive", true},
		{"revoke-unanswered-after-read", false}, // called after the read returned
	}
	listed := map[string]bool{}
	for _, tt := range tests {
		listed[tt.file+".jsonl"] = true
	}
	files, err := os.ReadDir(filepath.Join("testdata", "p3etcd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !listed[f.Name()] {
			t.Errorf("testdata/p3etcd/%s has no case here", f.Name())
		}
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "p3etcd", tt.file+".jsonl")
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			h, err := history.Read(f, path)
			if err != nil {
				t.Fatal(err)
			}
			m := etcd.OpModel()
			r := Check(h, Options{OpModel: &m})
			if r.Checks.P3.Status != Checked {
				t.Fatalf("P3 %s (%s), want checked", r.Checks.P3.Status, r.Checks.P3.Note)
			}
			if tt.ok {
				if r.Verdict != Ok || len(r.Findings) != 0 {
					t.Fatalf("%s\nverdict %s, findings %+v; want ok", h.Meta.Scenario, r.Verdict, r.Findings)
				}
				return
			}
			if r.Verdict != Violated || !r.Violated(P3) || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Detail, "not linearizable") {
				t.Fatalf("%s\nverdict %s, findings %+v; want one P3 finding", h.Meta.Scenario, r.Verdict, r.Findings)
			}
		})
	}
}
