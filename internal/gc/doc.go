// Package gc sets Go's garbage collector for the simulation commands of leasesim (run,
// suite, bench, sweep, explore, tune): a larger GOGC, since a run's live heap is small,
// with a soft memory limit as a guard, each unless the user's environment sets it.
package gc
