package etcd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// expiringKeys returns the claim (keys/<holder>/<n>, newBulk's name) by which the bulk
// holder counts on the keys of the lease that revoke c deletes, when c is this node's
// own expiry revoke, proposed and applied while it leads: the lease ran out by this
// node's clock, and the keys leave the store as it applies the revoke (raft commits it on
// the leader before any other node applies it, and only the leader answers; a leader
// deposed without knowing it yet — paused, cut off — that applies it late records it
// late, which only makes P4 more lenient, and one that knows records nothing). ""
// when c is no such revoke or the lease keeps none of the holder's keys. It reads the
// store, so it is called before c is applied.
func (q *issuer) expiringKeys(c command) string {
	if _, mine := q.expiring[c.Req]; q.cfg.keys == 0 || c.Kind != cmdRevoke || c.Origin != q.raft.id || !mine || !q.raft.isLeader() {
		return ""
	}
	l := q.st.lease(c.Lease)
	if l == nil {
		return ""
	}
	// newBulk binds key data/<holder>/<i·per+k> to the holder's i-th key lease.
	per := q.cfg.keys / q.cfg.keyLeases
	prefix := "data/" + q.cfg.bulkHolder + "/"
	n := -1
	for k := range l.keys {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		if i, err := strconv.Atoi(rest); err == nil && i >= 0 && i < q.cfg.keys && (n < 0 || i/per < n) {
			n = i / per // the least, whatever the map's order
		}
	}
	if n < 0 {
		return ""
	}
	return fmt.Sprintf("%s%s/%d", history.KeysPrefix, q.cfg.bulkHolder, n)
}

// keysExpired records that this node, leading, expired lease, which the bulk holder
// claims as claim under the lease's id (bulkExtend), and deleted its keys (P4).
func (q *issuer) keysExpired(env *sim.Env, claim string, lease int64) {
	if id := env.Lookup(q.cfg.bulkHolder); id != sim.NoNode {
		env.Expired(id, claim, uint64(lease))
	}
}
