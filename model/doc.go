// Package model is the registry of lease protocols: each protocol package (model/lease,
// model/heartbeat, …) registers a Protocol with its typed parameters, its mutants
// (deliberately broken variants) and a Build function that returns the sim.Node state
// machines for a run. Import github.com/leasesim/leasesim/model/all to register the whole catalog.
//
// Protocols are deterministic: they read only their own clocks through sim.Env and draw
// randomness only from sim.Env.Rand. model is not a simulator (package sim) and not a
// checker (package checker).
package model
