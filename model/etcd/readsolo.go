package etcd

import (
	"sync/atomic"

	"github.com/leasesim/leasesim/sim"
)

// soloReads lets a one-node raft confirm a ReadIndex round without asking raft (see
// soloRead). Only tests turn it off, to compare the two paths' traces.
var soloReads = true

// soloReadsTaken counts the rounds soloRead confirmed, over every run in the process
// (for the test that compares the two paths).
var soloReadsTaken atomic.Int64

// soloReadsChecked makes soloRead ask raft what it takes from the driver (that raft has
// no Ready, and its commit index) and count in soloReadsWrong the rounds where the two
// differ. Only tests turn it on.
var (
	soloReadsChecked bool
	soloReadsWrong   atomic.Int64
)

// soloRead confirms the round with context ctx at once, as raft itself would, when this
// node is the only voter, leads, and raft has no Ready pending; it reports whether it
// did. Asked for a ReadIndex in that state, raft (go.etcd.io/raft stepLeader, the
// IsSingleton case) appends a ReadState at its commit index, and the next Ready holds
// that ReadState and nothing else; handling it (raftNode.process) confirms the round
// (readReady) and calls afterApply, and Advance then has nothing to do. soloRead does
// the same two things directly, without building the request message, the ReadState,
// the Ready and its hard state: raft's state afterwards is the same (its ReadStates are
// empty either way), and so is everything the node sends. It is called only from read,
// that is from handle, after which Step goes straight to process, which then finds the
// same nothing to do that it would have after the ReadState's Ready.
func (q *issuer) soloRead(env *sim.Env, ctx uint64) bool {
	// Without pending, raft has not been called since it last had no Ready: it has none
	// now either, and asking (HasReady builds its hard state) is not needed.
	if !soloReads || len(q.raft.peers) != 1 || !q.raft.isLeader() || (q.raft.rn.pending && q.raft.rn.HasReady()) {
		return false
	}
	// No Ready pending: the node's role (n.state) is raft's own, and so is the commit
	// index raft would confirm (n.commit, its hard state's as of the last Ready).
	if soloReadsChecked && (q.raft.rn.HasReady() || q.raft.rn.BasicStatus().HardState.GetCommit() != q.raft.commit) {
		soloReadsWrong.Add(1)
	}
	q.rl.confirm(ctx, q.raft.commit)
	soloReadsTaken.Add(1)
	q.afterApply(env)
	return true
}
