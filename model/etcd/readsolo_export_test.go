package etcd

// SetSoloReads turns the one-node ReadIndex shortcut (readsolo.go) on or off and
// returns the previous setting, for readsolo_test.go.
func SetSoloReads(on bool) bool {
	was := soloReads
	soloReads = on
	return was
}

// SoloReadsTaken is how many rounds the shortcut has confirmed in this process.
func SoloReadsTaken() int64 { return soloReadsTaken.Load() }
