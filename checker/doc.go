// Package checker turns the history of one run (package history) into verdicts,
// findings and availability metrics (docs/semantics.md). It reads a *history.History and nothing
// else: it does not know which simulator, protocol or real system produced it, and it
// imports neither sim nor model. It never reads the wall clock itself, starts no
// goroutine of its own and uses no randomness (porcupine, which it calls, keeps its own
// wall-clock timeout and goroutines).
//
// Claims are half-open true-time intervals [From, To): claims that touch do not overlap,
// and an empty claim (To <= From) holds at no instant and is ignored. A claim clipped by
// the end of the run (End == history.EndRunEnd) ends at Meta.End.
//
// The properties and how each is checked:
//
//	prop  what must hold                                  how it is checked
//	----  ----------------------------------------------  ------------------------------------------
//	P1    no two distinct holders claim the same lease    an O(n log n) sweep over the claims of each
//	      at the same instant (exclusivity)               lease, reporting each maximal overlap
//	                                                      window; and independently porcupine over an
//	                                                      exclusive lock model (a holder's joined
//	                                                      claims are Acquire at From, Release at To),
//	                                                      partitioned per lease and cut where the
//	                                                      lease is free.
//	                                                      The two must agree partition by partition;
//	                                                      a disagreement is a finding saying "checker
//	                                                      bug".
//	P2    the resource never accepts a write under an     a scan of accepted writes in order of At,
//	      epoch older than one it accepted before         tracking the newest epoch so far
//	      (data safety)
//	P3    client operations are linearizable against      porcupine with the protocol's model
//	      the issuer's sequential spec                    (Options.OpModel; skipped without one)
//	P4    when an issuer declares N failed at t, N's      a scan of declared-failed statuses against
//	      liveness claims have all ended by t; when it    N's claims on history.LivenessLease(N),
//	      expires N's lease L (grant E) at t and deletes  and of expired statuses against N's
//	      its keys, N's claims on L under E that started  claims on their lease under their epoch
//	      by t have all ended by t
//	live  after the last fault healed, no stretch         a scan of the unavailable stretches after
//	      without a holder lasts longer than the          HealedAt (only with Options.RecoversWithin:
//	      bound (liveness.go)                             a scenario with a fault-free tail)
//
// A porcupine timeout (Options.PorcupineTimeout) makes its check undecided and the
// verdict Unknown, unless some property is violated. Result.Checks says for each property
// whether it was checked, skipped (and why) or undecided.
//
// Availability (Metrics): the system is unavailable at t when nobody claims the measured
// lease (Meta.LeaseName()) while at least one live holder wants it; see Metrics and
// Recovery for the exact definitions.
//
// VisualizeP1 writes porcupine's HTML for the claims around one finding, annotated per
// holder; it is meant for a failing window, not for a whole long run.
//
// Performance (go test -bench . ./checker/): the sweep handles a million claims in well
// under a second; the porcupine cross-check stays linear in the number of claims because
// of the partitioning.
//
// # The checker against broken protocols
//
// Every deliberately broken protocol in the catalog is caught (TestMutantsAreCaught in
// github.com/leasesim/leasesim/model/all): each mutant's catalog scenario finds the
// property it breaks within a few seeds, in every trial, and under random schedules of
// every fault kind too. The table of mutants and seeds to detection is generated, not
// copied: docs/mutants.md in the repository, written by go test -count=1 -run
// TestMutantsAreCaught ./model/all/ -update, and compared with each run of that test.
//
// And it never accuses a correct one: the long random-fault sweeps (LEASESIM_LONG=1 go
// test -run Random ./model/...) give zero findings: 10,000 seeds per expiry mode of
// lease, for fencing, and for heartbeat (crash faults only, no loss); 5,000 for etcd on one issuer
// node and 2,000 on a 3-node raft cluster; 2,000 for k8s on one and on three issuer
// nodes (every fault kind but pauses and slow links, which break client-go's elector as
// expected: see model/k8s).
package checker
