// Package buildinfo reports which leasesim a binary was built from: the module version
// and VCS revision that `go build` recorded (runtime/debug.ReadBuildInfo), whether
// leasesim is the main module (the leasesim command) or a dependency (a user's program or
// test that imports it).
package buildinfo
