// Package purity keeps leasesim's deterministic core — packages sim, model, checker,
// history and scenarios, every non-test file, recursively — free of what would make a
// run depend on anything but its scenario and seed. Analyzer is a type-aware
// golang.org/x/tools/go/analysis pass (it resolves every name through go/types, so dot
// imports, aliases and functions taken as values are seen); Check runs it over packages
// loaded with go/packages; TestCoreIsPure runs it over the core.
//
// The rules; each report names the rule it breaks:
//
//   - wall clocks: time.Now, Since, Until, Sleep, After, Tick, NewTimer, NewTicker,
//     AfterFunc, Timer.Reset and Ticker.Reset, called or taken as values;
//   - goroutines: go statements, sync.WaitGroup.Go and Wait, sync.Cond.Wait, errgroup
//     (the import and Group.Go), context.AfterFunc, runtime.Gosched, and select
//     statements (their choice among ready cases is random);
//   - deadlines: context.WithTimeout, WithDeadline and their Cause forms;
//   - the environment and the machine: os.Getenv, LookupEnv, Environ, ExpandEnv,
//     syscall.Getenv, os.Hostname, os.Getpid, runtime.GOMAXPROCS, NumCPU, NumGoroutine;
//   - global randomness: the package-level functions of math/rand and math/rand/v2 other
//     than the constructors (New, NewSource, NewPCG, NewChaCha8, NewZipf), crypto/rand and
//     hash/maphash (randomly seeded per process);
//   - map order: maps.Keys, Values and All unless sorted at once (slices.Sorted),
//     reflect's MapKeys and MapRange, and a range over a map whose body does something
//     order-dependent (see checkMapRanges: float or string accumulation, an append to a
//     slice not sorted afterwards in the same function, keeping or returning a value of
//     whichever entry comes first or last, channel sends, calls made for their effects).
//     Loops that only count, compare, or-together, take min/max, fill another map or
//     delete pass.
//
// A justified exception carries //purity:allow REASON on the reported line or on the line
// above (for a map range, also above the for statement). A comment without a reason,
// or one that allows nothing, is itself reported. The core's exceptions are pinned in
// TestCoreIsPure; today there is one:
//
//   - model/etcd/store.go, store.first: the key with the least create revision, and
//     create revisions are unique.
//
// It is a static guard, not a proof: a forbidden function reached through an interface
// or a function value made outside the core, or an order-dependent loop that the rule
// above does not recognise, is not caught.
//
// # Dependencies that break the rules
//
// The analyzer checks the core's own source, not its dependencies. Two of them break the
// rules, and the core works around them:
//
//   - github.com/anishathalye/porcupine (checker's P1 cross-check and P3) checks each
//     partition in its own goroutine, waits on them with select, and stops at a
//     wall-clock timeout (time.After; StepContext sees a context cancelled then). A check
//     that hits the timeout is reported as undecided (unknown), never as a verdict, and
//     porcupine hands back the partial linearizations of a failed check in map order, so
//     checker picks among them by a fixed rule (the longest, ties broken by the smallest
//     sequence of operation ids). Everything else it returns is deterministic.
//   - go.etcd.io/raft/v3 (model/etcd's replicated issuer) draws each node's randomized
//     election timeout from crypto/rand, which cannot be seeded. model/etcd never lets
//     raft's own election timer fire: it counts ticks itself and campaigns
//     (RawNode.Campaign) at a threshold drawn from the run's seeded stream, below raft's
//     least timeout, and stops ticking a pre-candidate's raft clock (which raft does not
//     reset on a new pre-vote campaign) one tick short of that timeout. model/etcd's
//     TestRaftOwnElectionTimerNeverFires fails when raft starts an election that
//     model/etcd did not ask for (a raft Logger hook sees each election start).
package purity
