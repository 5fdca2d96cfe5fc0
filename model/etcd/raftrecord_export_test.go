package etcd

// RaftRecording is every call one run's issuer nodes made into raft (raftRecording).
type RaftRecording struct{ rec *raftRecording }

// RecordRaft runs f, recording the calls into raft of every raft node made meanwhile.
// No test running in parallel may overlap it.
func RecordRaft(f func() error) (*RaftRecording, error) {
	rec := newRaftRecording()
	recording.Store(rec)
	defer recording.Store(nil)
	if err := f(); err != nil {
		return nil, err
	}
	return &RaftRecording{rec}, rec.err
}

// Replay makes the recorded calls again against fresh raft nodes (raftRecording.replay).
func (r *RaftRecording) Replay(check bool) error { return r.rec.replay(check) }

var opNames = [...]string{opTick: "Tick", opStep: "Step", opCampaign: "Campaign", opPropose: "Propose",
	opReadIndex: "ReadIndex", opHasReady: "HasReady", opReady: "Ready", opAdvance: "Advance", opBasicStatus: "BasicStatus"}

// Calls counts the recorded calls by method, and the raft nodes made ("NewRawNode").
func (r *RaftRecording) Calls() map[string]int {
	out := map[string]int{"NewRawNode": len(r.rec.nodes)}
	for _, c := range r.rec.calls {
		out[opNames[c.op]]++
	}
	return out
}

// DropCall removes the i-th call of method from the recording, so that a test can see a
// replay that differs from the run.
func (r *RaftRecording) DropCall(method string, i int) {
	for k, c := range r.rec.calls {
		if opNames[c.op] == method {
			if i == 0 {
				r.rec.calls = append(r.rec.calls[:k], r.rec.calls[k+1:]...)
				return
			}
			i--
		}
	}
}
