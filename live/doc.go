// Package live runs lease holders built on etcd's real client against a real etcd,
// injects faults, and records the same history.History that simulated runs produce, so
// that the same checker and reports apply (docs/cli.md, "leasesim live etcd").
//
// # What a trial is
//
// RunTrials starts an embedded etcd (go.etcd.io/etcd/server/v3/embed) on 127.0.0.1 with
// a temporary data dir, a 10 ms tick and a 100 ms election timeout — one member, or
// Config.Members members Q1..Qn in this process — or uses the given endpoints, and runs
// trials one after the other. A MemberCrash fault stops a member (by name, or whichever
// is raft leader) at once, with no leadership transfer, resets the connections to it,
// and restarts it with its data at the fault's end, so that the holders live through
// real raft leader changes (and a new leader's renewal of every lease). A
// MemberIsolate fault cuts a running member off from its peers and clients instead
// (Cluster.Isolate): the members reach each other through peer proxies. In each trial every holder is a
// subprocess (HolderMain) using go.etcd.io/etcd/client/v3: a concurrency.Session with
// the configured TTL and a concurrency.Election. Winning the campaign starts a claim;
// the session ending (keepalive deadline passed, or etcd answered that the lease is
// gone) ends it, as does the process dying. A leader writes to a resource key every
// WriteEvery with a fenced transaction: If(CreateRevision(leader key) == rev) Then(Put),
// where rev, the leader key's create revision, is its epoch. A write waits for etcd's
// answer (up to 10 s) aside from the loop that watches the session, one at a time and
// beyond the term: a write a partition held back reaches etcd when it heals, and the
// fence's refusal is reported then (TrialResult.RejectedWrites). Holders are subprocesses so
// that a pause is a real SIGSTOP/SIGCONT of the whole client, its keepalive goroutines
// included, and a crash a real SIGKILL.
//
// Each holder reaches etcd only through its own fault proxy (Proxy: 127.0.0.1 only),
// which blackholes, delays with jitter, loses with TCP-like retransmission, or resets
// connections, per direction, from a seeded math/rand/v2 source. A Plan schedules these
// faults and the process faults (pause, crash and restart) at times from the trial's
// start; PlanFromSim converts a scenario's faults and refuses, naming the fault, those
// with no live meaning (clock steps and drift, reordering inside a TCP stream, faults on
// the issuer other than isolating it, links between holders only).
//
// # One timeline, and which way its errors go
//
// The parent process is the single reference timeline: every time in the history is
// time.Since(trial start) on the parent's monotonic clock, taken when the parent reads a
// holder's report line from its stdout pipe (or a watch event, or applies a fault).
// Holders never report their own clocks. A stamp therefore trails the event it reports
// by the pipe and scheduling latency: BenchmarkPipeRoundTrip measures 30–40 µs for a
// round trip through a child's pipes on a 2-core machine, so about 20 µs one way, and
// more, up to milliseconds, while the parent itself waits for a core. The protocol is arranged so that this error
// only ever makes a claim longer, never shorter, so the overlap check is conservative
// (it can report a belief overlap a latency wider than the truth, never miss one):
//
//   - Start: a holder that has won prints "won REV" and then waits for the parent's
//     "go REV" on stdin before it does anything as leader. The parent stamps the line,
//     opens the claim, then acknowledges. So the recorded start is no later than the
//     holder's first act of leadership.
//   - End: a holder prints "lost REV" only after it has stopped acting (the goroutine
//     that watches its session announces each write and hands it to the client before
//     it can report the end; only the wait for the answer goes on aside), and the parent
//     stamps the line
//     after it was written. A killed holder's claim ends when the parent has reaped the
//     process, after its last act. So the recorded end is no earlier than its last act.
//
// Belief overlap under-reports nothing; its reported width is an upper bound that
// includes up to one pipe latency at each end.
//
// Accepted writes are not taken from the holders' reports, which could arrive out of
// order (a holder stopped between etcd's commit and its report): the parent watches the
// resource key directly (not through any proxy), and the watch delivers etcd's accepted
// writes in revision order, so their stamps (Write.At) are in the order etcd accepted
// them. Write.Sent is the stamp of the holder's announcement, capped at At.
//
// # Findings: one judge
//
// Every trial's history goes to checker.Check, the same checker as simulated runs; the
// trial's verdict and findings are its result (TrialResult.Check), presented by Judge in
// two kinds. A belief overlap is a P1 window: two holders both claimed the lease. With
// etcd's client it is expected under partitions and pauses: etcd expires a lease TTL
// after the last keepalive it received, while the client gives up TTL after the last
// keepalive answer it received and notices only at its next once-a-second deadline check
// — so the old leader can still believe for up to about a second after the new one has
// won, and a paused one until it runs again. It is harmless if writes are fenced, and is
// reported with its width, not judged. An effective overlap is a P2 finding: the
// resource accepted a write of an older epoch after one of a newer epoch, a stale
// leader's write landing. Fenced writes must never produce one (the trial is "violated"
// if they do, as it is for any other finding); Config.Unfenced is the control experiment
// in which they do.
//
// # What this package is not
//
// It is not deterministic: it uses goroutines, real time and real processes, and the
// seed fixes only the proxies' draws and "random" targets, not the interleaving. It
// checks nothing itself: the checker does. It can stop, restart and isolate members of
// its embedded cluster, but not split them into groups or pause them, and it cannot
// fault the clocks.
//
// # Where it cannot run
//
// Given endpoints are checked before any trial (an *EndpointError within seconds when no
// etcd answers). The embedded etcd gets two minutes to be ready, as a busy machine may
// need; the one failure to start it that belongs to the machine rather than the program
// is ErrNoLoopback (nothing can listen on 127.0.0.1). The package's tests skip only for
// that, and with LEASESIM_LIVE_REQUIRED=1 (as CI runs them) they skip for nothing.
//
// The leasesim binary must route its hidden subcommand HolderSubcommand ("live-holder")
// to HolderMain, which is what Config.HolderCommand runs by default.
package live
