// Package resource is the resource node R that leaders write to (docs/semantics.md, "Leader
// actions"): the data that two leaders corrupt. It is shared by every protocol.
//
// A fenced resource remembers the newest fencing token it accepted (durably: it is a
// database) and rejects writes that carry an older one; an unfenced resource accepts
// everything. Either way every write it processes is recorded with env.RecordWrite, with
// the epoch its writer believed it held, so that the checker's P2 can see stale writes
// land.
//
// Holders use Write to send one write. The package is not a protocol: it registers
// nothing.
package resource
