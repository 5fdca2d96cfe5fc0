// Package modeltest holds the helpers that the protocols' tests share: loading catalog
// scenarios, running seeds in parallel, sweeping random fault schedules, and measuring how
// many seeds it takes to catch a mutant. It is test support: only _test files import it.
//
// Long sweeps run when the environment variable LEASESIM_LONG is set (an environment
// variable rather than a flag, so that `go test ./...` with it works in every package).
package modeltest
