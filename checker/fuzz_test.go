package checker

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// FuzzCheck: any history that history.Read accepts is checked without a panic, the
// result is deterministic, and the verdict agrees with the findings. The seeds (run by
// plain go test) are the clean and tampered runs of the tamper test.
func FuzzCheck(f *testing.F) {
	for _, h := range []*history.History{cleanRun(), hist(cl("A", "x", 1, 0, 10), cl("B", "x", 2, 5, 20))} {
		var b bytes.Buffer
		if err := h.Write(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := history.Read(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		m := registerModel()
		safe := porcupineSafeOps(h)
		opt := Options{}
		if safe {
			opt.OpModel = &m
		}
		r1, r2 := Check(h, opt), Check(h, opt)
		j1, _ := json.Marshal(r1)
		j2, _ := json.Marshal(r2)
		if !bytes.Equal(j1, j2) {
			t.Fatalf("two checks of one history differ:\n%s\n%s", j1, j2)
		}
		if (r1.Verdict == Violated) != (len(r1.Findings) > 0) {
			t.Fatalf("verdict %s with %d findings", r1.Verdict, len(r1.Findings))
		}
		for _, f := range r1.Findings {
			if f.Holders == nil || f.Detail == "" {
				t.Fatalf("finding without holders or detail: %+v", f)
			}
		}
	})
}

// porcupineSafeOps keeps the fuzzer to small op histories with the test register's
// methods: linearizability checking is NP-hard, and a few dozen concurrent operations
// can keep porcupine busy for minutes (that is what Options.PorcupineTimeout is for).
func porcupineSafeOps(h *history.History) bool {
	if len(h.Ops) > 8 {
		return false
	}
	for _, op := range h.Ops {
		if op.Method != "put" && op.Method != "get" {
			return false
		}
	}
	return true
}
