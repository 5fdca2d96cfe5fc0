package etcd

// DeclaredConfirmed is how many failure declarations waited for a confirmed ReadIndex
// (declare.go) in this process.
func DeclaredConfirmed() int64 { return declaredConfirmed.Load() }
