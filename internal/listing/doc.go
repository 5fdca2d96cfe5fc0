// Package listing is what `leasesim list` prints: every registered protocol with its
// parameters (type, default, meaning) and mutants, every built-in scenario with its
// protocol and description, and a built-in scenario's file as embedded (--show). The
// command parses the flags.
package listing
