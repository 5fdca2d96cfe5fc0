// Package scenarios is leasesim's scenario file format (FORMAT.md): it parses
// YAML or JSON strictly — every unknown key, wrong type and impossible value is an Error
// naming the file, line, column and field and saying what was expected — validates the
// protocol parameters with the protocol itself, prints a scenario back (Marshal, a
// round trip), builds the kernel configuration of one seed (Scenario.Config) and checks
// a scenario's expect section over the outcomes of its seeds (Expect.Evaluate).
//
// The built-in catalog lives in the subpackage catalog (embedded files).
//
// scenarios does not run anything (internal/runner and cmd/leasesim do), does not check
// histories (package checker) and does not define protocols (package model); it needs a
// protocol to be registered to validate its parameters, so a program that parses
// scenarios imports github.com/leasesim/leasesim/model/all.
package scenarios
