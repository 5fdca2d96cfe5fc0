package etcd_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// TestKeyLeaseExpiryRecorded: when the raft leader applies its expiry revoke of a key
// lease, it records an expired status naming the holder, the claim (keys/A/<n>) and the
// grant (the lease id, the claims' epoch): one per key lease cut off for longer than its
// TTL, after the holder's claim on it ended (the careful client stops first) and no later
// than the first answer that shows the lease gone ("lease not found").
func TestKeyLeaseExpiryRecorded(t *testing.T) {
	sc := modeltest.Parse(t, `name: key-leases-expire
protocol: etcd
holders: [A]
params: {ttl: 2s, keepalive: 500ms, keys: 4, key_leases: 2}
network: {delay: 1ms}
faults:
  - {at: 3s, partition: [[A], [Q]], until: 6s}
duration: 12s
`)
	forEachRun(t, sc, 3, func(r *runner.Run) {
		seed := r.Result.Seed
		claims := keyClaims(r.History)
		var got []history.Status
		for _, s := range r.History.Statuses {
			if s.Kind == history.StatusExpired {
				got = append(got, s)
			}
		}
		if len(got) != 2 {
			t.Fatalf("seed %d: expired statuses %+v; want one for each of the 2 key leases", seed, got)
		}
		for i := range 2 {
			name := fmt.Sprintf("keys/A/%d", i)
			cs := claims[name]
			var s *history.Status
			for j := range got {
				if got[j].Lease == name {
					s = &got[j]
				}
			}
			if s == nil || len(cs) == 0 {
				t.Errorf("seed %d: no expired status for %s (claims %+v, statuses %+v)", seed, name, cs, got)
				continue
			}
			if s.Issuer != "Q" || s.Node != "A" || s.Epoch != cs[0].Epoch || s.Epoch == 0 {
				t.Errorf("seed %d: %+v; want issuer Q expiring A's %s under the first claim's epoch %d", seed, *s, name, cs[0].Epoch)
			}
			gone := int64(history.Forever) // the first answer that shows the lease gone
			for _, op := range r.History.Ops {
				if op.Err != "" && uint64(op.Lease) == s.Epoch && strings.Contains(op.Err, "not found") {
					gone = min(gone, op.Return)
				}
			}
			if s.At < cs[0].To || s.At > gone || s.At > 6*int64(time.Second) {
				t.Errorf("seed %d: %s expired at %v; want after its claim's end %v, by the first answer \"not found\" %v and during the cut", seed, name, time.Duration(s.At), time.Duration(cs[0].To), time.Duration(gone))
			}
		}
		if len(r.Check.Findings) != 0 {
			t.Errorf("seed %d: findings %+v", seed, r.Check.Findings)
		}
	})
}

// plantedKeys is the etcd protocol with the holder's key leases counted from the
// answer's arrival (etcd.KeysFromReceipt), registered once for the scenarios below.
const plantedKeys = "etcd-test-keys-from-receipt"

var registerPlanted sync.Once

// keysCatalogCut returns the catalog scenario name under protocol proto, with the
// issuer's answers to A slowed by 200ms for 4s and then A cut off from the issuer for 8s
// at 70s (longer than the 5s TTL): the catalog's schedule (lossy answers, an issuer
// crash) never lets a key lease expire on the issuer, so the holder's key-lease
// deadline is never put to the test there.
func keysCatalogCut(t *testing.T, name, proto string) string {
	data, err := catalog.Read(name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, r := range [][2]string{
		{"protocol: etcd\n", "protocol: " + proto + "\n"},
		{"restart: 64s}\n", "restart: 64s}\n  - {at: 66s, slow: {from: [Q], to: [A], by: 200ms}, until: 70s}\n  - {at: 70s, partition: [[A], [Q]], until: 78s}\n"},
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("catalog scenario %s has no %q", name, r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	return text
}

// catalogAs returns the catalog scenario name as written, under protocol proto.
func catalogAs(t *testing.T, name, proto string) string {
	data, err := catalog.Read(name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.Contains(text, "protocol: etcd\n") {
		t.Fatalf("catalog scenario %s is not on protocol etcd", name)
	}
	return strings.Replace(text, "protocol: etcd\n", "protocol: "+proto+"\n", 1)
}

// TestKeyLeaseDeadlineFromReceiptCaught: a holder that counts its key leases from the
// answer's arrival instead of the request's send (a bug planted in the test) believes its
// keys exist after the issuer expired their lease and deleted them. P4 finds it in the
// catalog's etcd-keys-cut, and in the other key-lease scenarios once A is cut off for
// longer than the TTL, in every seed, on the keys/... leases — while the correct holder has no finding of any kind
// over the same seeds. Without the expired statuses no property sees it: P1 needs a
// second claimant, P3 only client calls.
func TestKeyLeaseDeadlineFromReceiptCaught(t *testing.T) {
	registerPlanted.Do(func() { model.Register(etcd.KeysFromReceipt(plantedKeys)) })
	for _, name := range []string{"etcd-keys-cut", "etcd-keys-own-leases", "etcd-keys-shared-leases"} {
		t.Run(name, func(t *testing.T) {
			text := keysCatalogCut
			if name == "etcd-keys-cut" {
				text = catalogAs // the catalog's own schedule cuts A off
			}
			correct := modeltest.Parse(t, text(t, name, "etcd"))
			planted := modeltest.Parse(t, text(t, name, plantedKeys))
			n := len(correct.SeedList())
			forEachRun(t, correct, n, func(r *runner.Run) {
				expired := 0
				for _, s := range r.History.Statuses {
					if s.Kind == history.StatusExpired {
						expired++
					}
				}
				if expired == 0 || len(r.Check.Findings) != 0 {
					t.Errorf("correct holder, seed %d: %d expired statuses, findings %+v; want some and none", r.Result.Seed, expired, r.Check.Findings)
				}
			})
			// Every seed catches it, but for the catalog's etcd-keys-cut, where A's last
			// answers before the cut are not always the slow ones: 8 of its 10 seeds
			// (the suite needs one to report the scenario not met).
			allowMissed := 0
			if name == "etcd-keys-cut" {
				allowMissed = 2
			}
			var mu sync.Mutex
			var missed []uint64
			forEachRun(t, planted, n, func(r *runner.Run) {
				keys := 0
				for _, f := range r.Check.Findings {
					if f.Kind == checker.P4 && strings.HasPrefix(f.Lease, history.KeysPrefix) && f.Holders[0] == "A" {
						keys++
					}
				}
				if keys == 0 {
					mu.Lock()
					missed = append(missed, r.Result.Seed)
					mu.Unlock()
				} else {
					t.Logf("planted bug, seed %d: %d P4 findings on key leases, e.g. %s", r.Result.Seed, keys, r.Check.Findings[0].Detail)
				}
			})
			if len(missed) > allowMissed {
				t.Errorf("planted bug: no P4 finding on a key lease in seeds %v of %d; want at most %d", missed, n, allowMissed)
			}
		})
	}
}
