package checker

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// registerModel is a key-value register over history.Op: "put" stores Value under Key,
// "get" must return the stored value (OutValue, Found). Partitioned by key.
func registerModel() porcupine.Model {
	return porcupine.Model{
		Partition: func(ops []porcupine.Operation) [][]porcupine.Operation {
			index := map[string]int{}
			var out [][]porcupine.Operation
			for _, op := range ops {
				k := op.Input.(history.Op).Key
				i, ok := index[k]
				if !ok {
					i = len(out)
					index[k] = i
					out = append(out, nil)
				}
				out[i] = append(out[i], op)
			}
			return out
		},
		Init: func() interface{} { return "" },
		Step: func(state, input, output interface{}) (bool, interface{}) {
			in, out := input.(history.Op), output.(history.Op)
			switch in.Method {
			case "put":
				return true, in.Value
			case "get":
				return out.OutValue == state.(string), state
			}
			return false, state
		},
		DescribeOperation: func(input, output interface{}) string {
			in := input.(history.Op)
			if in.Method == "put" {
				return "put(" + in.Key + "=" + in.Value + ")"
			}
			return "get(" + in.Key + ") -> " + output.(history.Op).OutValue
		},
	}
}

func put(client, key, value string, call, ret float64) history.Op {
	return history.Op{Client: client, Method: "put", Key: key, Value: value, Call: secs(call), Return: secs(ret), Ok: true}
}

func get(client, key, out string, call, ret float64) history.Op {
	return history.Op{Client: client, Method: "get", Key: key, OutValue: out, Found: out != "", Call: secs(call), Return: secs(ret), Ok: true}
}

func TestP3(t *testing.T) {
	m := registerModel()
	cases := []struct {
		name    string
		ops     []history.Op
		model   *porcupine.Model
		skip    bool
		status  CheckStatus
		verdict Verdict
		detail  string
	}{
		{"no model", []history.Op{put("A", "k", "1", 0, 1)}, nil, false, Skipped, Ok, ""},
		{"no ops", nil, &m, false, Skipped, Ok, ""},
		{"skipped by option", []history.Op{put("A", "k", "1", 0, 1), get("B", "k", "2", 2, 3)}, &m, true, Skipped, Ok, ""},
		{"linearizable", []history.Op{put("A", "k", "1", 0, 1), get("B", "k", "1", 2, 3), put("A", "j", "5", 0, 10), get("B", "j", "", 1, 2)}, &m, false, Checked, Ok, ""},
		{"concurrent read may see either", []history.Op{put("A", "k", "1", 0, 1), put("A", "k", "2", 2, 5), get("B", "k", "1", 3, 4)}, &m, false, Checked, Ok, ""},
		{"stale read", []history.Op{put("A", "k", "1", 0, 1), put("A", "k", "2", 2, 3), get("B", "k", "1", 4, 5)}, &m, false, Checked, Violated,
			"no legal order places get(k) -> 1 by B (called at 4s, returned at 5s)"},
		{"an op returning before its call is not checked", []history.Op{put("A", "k", "1", 5, 1)}, &m, false, Undecided, Unknown, ""},
		{"pending operation may take effect", []history.Op{put("A", "k", "1", 0, 1), get("B", "k", "1", 4, 5)}, &m, false, Checked, Ok, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist()
			h.Ops = tc.ops
			if tc.name == "pending operation may take effect" {
				h.Ops[0].Return = history.Forever
			}
			r := Check(h, Options{OpModel: tc.model, SkipPorcupine: tc.skip})
			if r.Checks.P3.Status != tc.status {
				t.Errorf("P3 status %s (%s), want %s", r.Checks.P3.Status, r.Checks.P3.Note, tc.status)
			}
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s; findings %+v", r.Verdict, tc.verdict, r.Findings)
			}
			if tc.detail != "" {
				if len(r.Findings) != 1 || r.Findings[0].Kind != P3 || !strings.Contains(r.Findings[0].Detail, tc.detail) {
					t.Fatalf("findings %+v\nwant one P3 finding containing %q", r.Findings, tc.detail)
				}
				if f := r.Findings[0]; f.From != secs(4) || f.To != secs(5) {
					t.Errorf("window [%d, %d], want the stuck get's [4s, 5s]", f.From, f.To)
				}
			}
		})
	}
}

// TestP3TimeoutIsUnknown uses a model whose step waits for porcupine's deadline, so the
// check cannot finish: the verdict must be unknown, not ok.
func TestP3TimeoutIsUnknown(t *testing.T) {
	m := porcupine.Model{
		Init: func() interface{} { return 0 },
		StepContext: func(ctx context.Context, state, _, _ interface{}) (bool, interface{}) {
			<-ctx.Done()
			return false, state
		},
	}
	h := hist()
	h.Ops = []history.Op{put("A", "k", "1", 0, 1)}
	r := Check(h, Options{OpModel: &m, PorcupineTimeout: time.Millisecond})
	if r.Verdict != Unknown || r.Checks.P3.Status != Undecided {
		t.Fatalf("verdict %s, P3 %+v; want unknown", r.Verdict, r.Checks.P3)
	}
	// Something violated elsewhere wins over unknown.
	h.Claims = []history.Claim{cl("A", history.LeaderLease, 1, 0, 10), cl("B", history.LeaderLease, 2, 5, 10)}
	if r := Check(h, Options{OpModel: &m, PorcupineTimeout: time.Millisecond}); r.Verdict != Violated {
		t.Fatalf("verdict %s with a P1 overlap and a P3 timeout; want violated", r.Verdict)
	}
}
