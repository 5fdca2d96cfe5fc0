package etcd

// OwnElections reads ownElections for the external tests.
func OwnElections() int64 { return ownElections.Load() }
