// Package heartbeat is plain heartbeat failover, the seed's double-master example
// (docs/scenarios.md): there is no lease, only the issuer's opinion of who is alive.
//
// Every holder sends Q a heartbeat every `heartbeat` on its own clock. Q promotes the
// first holder it hears from, and whenever the leader has been silent for `timeout` on
// Q's clock, Q declares it failed and promotes the live holder it heard from most
// recently, telling everyone (each heartbeat's acknowledgement names the current leader
// and its epoch). A holder leads — with no deadline — from when it learns it is the
// leader until it learns that someone else is. It also believes itself alive for as long
// as it runs (a liveness claim with no deadline).
//
// So when only the link between Q and the leader fails, the leader keeps leading and
// writing while Q promotes another: two leaders (P1), stale writes accepted by an
// unfenced resource (P2), and a node declared failed that still thinks it is alive (P4).
// The protocol is safe only when a silent node is a dead one.
//
// Mutant heartbeat-timeout-shorter-than-interval: Q's timeout is half the heartbeat
// interval, so it declares the leader dead between two of its heartbeats even with no
// fault at all.
package heartbeat
