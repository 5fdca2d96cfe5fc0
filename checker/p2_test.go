package checker

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/history"
)

func wr(writer string, epoch uint64, at float64, accepted bool) history.Write {
	return history.Write{Writer: writer, Epoch: epoch, Sent: secs(at) - 1, At: secs(at), Accepted: accepted}
}

func TestP2StaleWrites(t *testing.T) {
	type want struct {
		From, To int64
		Holders  []string
	}
	cases := []struct {
		name   string
		writes []history.Write
		want   []want
	}{
		{"no writes", nil, nil},
		{"epochs only grow", []history.Write{wr("A", 1, 1, true), wr("A", 1, 2, true), wr("B", 2, 3, true), wr("C", 5, 4, true)}, nil},
		{"equal epochs of two writers are not stale", []history.Write{wr("A", 0, 1, true), wr("B", 0, 2, true), wr("A", 0, 3, true)}, nil},
		{"rejected stale writes are fencing at work", []history.Write{wr("A", 1, 1, true), wr("B", 2, 2, true), wr("A", 1, 3, false)}, nil},
		{"one stale write", []history.Write{wr("A", 1, 1, true), wr("B", 2, 2, true), wr("A", 1, 3, true)},
			[]want{{secs(3), secs(3), []string{"A", "B"}}}},
		{"a run of stale writes is one finding", []history.Write{wr("A", 1, 1, true), wr("B", 2, 2, true), wr("A", 1, 3, true), wr("B", 2, 3.5, true), wr("A", 1, 4, true)},
			[]want{{secs(3), secs(4), []string{"A", "B"}}}},
		{"order of At, not of the slice", []history.Write{wr("A", 1, 3, true), wr("B", 2, 2, true), wr("A", 1, 1, true)},
			[]want{{secs(3), secs(3), []string{"A", "B"}}}},
		{"stale against each newer epoch", []history.Write{wr("A", 1, 1, true), wr("B", 2, 2, true), wr("A", 1, 3, true), wr("C", 3, 4, true), wr("B", 2, 5, true)},
			[]want{{secs(3), secs(3), []string{"A", "B"}}, {secs(5), secs(5), []string{"B", "C"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := hist()
			h.Writes = tc.writes
			r := Check(h, Options{})
			var got []want
			for _, f := range r.Findings {
				if f.Kind != P2 {
					t.Errorf("unexpected %s finding %+v", f.Kind, f)
					continue
				}
				got = append(got, want{f.From, f.To, f.Holders})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("P2 findings %+v, want %+v", got, tc.want)
			}
			if r.Violated(P2) != (len(tc.want) > 0) {
				t.Errorf("Violated(P2) = %v", r.Violated(P2))
			}
		})
	}
}

func TestP2Detail(t *testing.T) {
	h := hist()
	h.Writes = []history.Write{wr("A", 3, 1, true), wr("B", 4, 2, true), wr("A", 3, 3, true), wr("A", 3, 4.5, true)}
	r := Check(h, Options{})
	want := "the resource accepted 2 writes of A under epoch 3 between 3s and 4.5s, after B's write under epoch 4 at 2s"
	if len(r.Findings) != 1 || r.Findings[0].Detail != want {
		t.Fatalf("findings %+v\nwant detail %q", r.Findings, want)
	}
	if r.Checks.P2.Status != Checked || r.Checks.P2.Items != 4 {
		t.Errorf("P2 check %+v, want checked over 4 writes", r.Checks.P2)
	}
}
