package etcd

// OwnElections reads ownElections for the external tests.
func OwnElections() int64 { return ownElections.Load() }

// DeepCopyReceived makes every raft message a node receives a deep copy of its own (true),
// or only those raft writes into (false, the default).
func DeepCopyReceived(on bool) { deepCopyReceived.Store(on) }
