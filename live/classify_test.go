package live

import (
	"reflect"
	"testing"

	"github.com/leasesim/leasesim/history"
)

func claim(holder string, epoch uint64, from, to int64) history.Claim {
	return history.Claim{Holder: holder, Lease: history.LeaderLease, Epoch: epoch, From: from, To: to}
}

func accepted(writer string, epoch uint64, at int64) history.Write {
	return history.Write{Writer: writer, Epoch: epoch, Token: epoch, Sent: at, At: at, Accepted: true}
}

func win(a, b string, ea, eb uint64, from, to int64) Window {
	return newWindow([2]string{a, b}, [2]uint64{ea, eb}, from, to)
}

func TestClassifyBeliefOverlap(t *testing.T) {
	tests := []struct {
		name   string
		claims []history.Claim
		want   []Window
	}{
		{"none", nil, nil},
		{"back to back is no overlap", []history.Claim{claim("A", 1, 0, 10), claim("B", 2, 10, 20)}, nil},
		{"gap", []history.Claim{claim("A", 1, 0, 10), claim("B", 2, 15, 20)}, nil},
		{"old leader still believes", []history.Claim{claim("A", 1, 0, 3_000_000), claim("B", 2, 2_000_000, 9_000_000)},
			[]Window{win("A", "B", 1, 2, 2_000_000, 3_000_000)}},
		{"contained", []history.Claim{claim("A", 1, 0, 100), claim("B", 2, 10, 20)},
			[]Window{win("A", "B", 1, 2, 10, 20)}},
		{"unsorted input", []history.Claim{claim("B", 2, 5, 20), claim("A", 1, 0, 10)},
			[]Window{win("A", "B", 1, 2, 5, 10)}},
		{"three at once", []history.Claim{claim("A", 1, 0, 10), claim("B", 2, 2, 10), claim("C", 3, 4, 6)},
			[]Window{win("A", "B", 1, 2, 2, 10), win("A", "C", 1, 3, 4, 6), win("B", "C", 2, 3, 4, 6)}},
		{"same holder twice is not an overlap", []history.Claim{claim("A", 1, 0, 10), claim("A", 4, 5, 20)}, nil},
		{"other leases ignored", []history.Claim{claim("A", 1, 0, 10), {Holder: "B", Lease: "live/B", From: 0, To: 10}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &history.History{Claims: tt.claims}
			belief, effective := Classify(h)
			if !reflect.DeepEqual(belief, tt.want) {
				t.Errorf("belief overlaps\ngot  %+v\nwant %+v", belief, tt.want)
			}
			if len(effective) != 0 {
				t.Errorf("effective overlaps from claims alone: %+v", effective)
			}
		})
	}
}

func TestClassifyEffectiveOverlap(t *testing.T) {
	rejected := history.Write{Writer: "A", Epoch: 1, At: 50, Accepted: false}
	tests := []struct {
		name   string
		writes []history.Write
		want   []Window
	}{
		{"none", nil, nil},
		{"epochs in order", []history.Write{accepted("A", 1, 1), accepted("A", 1, 2), accepted("B", 2, 3), accepted("B", 2, 4)}, nil},
		{"rejected stale writes do not count", []history.Write{accepted("A", 1, 1), accepted("B", 2, 3), rejected}, nil},
		{"one stale write", []history.Write{accepted("A", 1, 1), accepted("B", 2, 3), accepted("B", 2, 4), accepted("A", 1, 6)},
			[]Window{win("A", "B", 1, 2, 3, 6)}},
		{"a run of stale writes is one window", []history.Write{accepted("A", 1, 1), accepted("B", 2, 3), accepted("A", 1, 5), accepted("A", 1, 8)},
			[]Window{win("A", "B", 1, 2, 3, 8)}},
		{"ordered by acceptance time, not by position", []history.Write{accepted("A", 1, 9), accepted("B", 2, 3), accepted("A", 1, 1)},
			[]Window{win("A", "B", 1, 2, 3, 9)}},
		{"stale behind two newer epochs", []history.Write{accepted("A", 1, 1), accepted("B", 2, 2), accepted("C", 3, 4), accepted("B", 2, 5), accepted("A", 1, 6)},
			[]Window{win("B", "C", 2, 3, 4, 5), win("A", "C", 1, 3, 4, 6)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &history.History{Writes: tt.writes}
			belief, effective := Classify(h)
			if !reflect.DeepEqual(effective, tt.want) {
				t.Errorf("effective overlaps\ngot  %+v\nwant %+v", effective, tt.want)
			}
			if len(belief) != 0 {
				t.Errorf("belief overlaps from writes alone: %+v", belief)
			}
		})
	}
}

func TestWindowMilliseconds(t *testing.T) {
	w := win("A", "B", 1, 2, 1_000_000, 251_000_000)
	if w.MS != 250 {
		t.Fatalf("MS = %v, want 250", w.MS)
	}
}
