// Package purity enforces the rule that leasesim's deterministic core — packages sim,
// model (and its subpackages) and checker — never reads the wall clock, never starts a
// goroutine and never uses global randomness. It parses Go source (not test files) and
// reports every call or import that breaks the rule; its test runs it over the core.
//
// It is a static guard, not a proof: it sees calls by name through import aliases, so
// a forbidden function passed around as a value from outside the core is not caught.
package purity
