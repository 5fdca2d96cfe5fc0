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

// SetSoloReadsChecked turns on or off soloRead's comparison of what it assumes with
// raft's own answers and returns the previous setting.
func SetSoloReadsChecked(on bool) bool {
	was := soloReadsChecked
	soloReadsChecked = on
	return was
}

// SoloReadsWrong is how many rounds, while checked, soloRead took raft to have no Ready
// or a commit index other than raft's own.
func SoloReadsWrong() int64 { return soloReadsWrong.Load() }
