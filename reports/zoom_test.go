package reports

import (
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

func TestFindingZoom(t *testing.T) {
	const s = int64(1e9)
	ms := s / 1000
	fd := func(k checker.Kind, from, to int64) checker.Finding {
		return checker.Finding{Kind: k, From: from, To: to}
	}
	// The findings of `leasesim run heartbeat-cut`: a P4 from 22.5s to the run's end, the
	// overlap and the stale writes it allowed.
	hbP4 := fd(checker.P4, 22500*ms, 60*s)
	hbP1 := fd(checker.P1, 22502*ms, 40015*ms)
	hbP2 := fd(checker.P2, 22642*ms, 39950*ms)
	belief := func(f checker.Finding) bool { return f.Kind == checker.P1 }
	for _, c := range []struct {
		name       string
		fs         []checker.Finding
		start, end int64
		expected   func(checker.Finding) bool
		want       checker.Finding
		from, to   int64
	}{
		{"heartbeat-cut: the overlap, at its onset, a quarter of the run",
			[]checker.Finding{hbP4, hbP1, hbP2}, 0, 60 * s, nil, hbP1, 22502*ms - 7500*ms, 22502*ms + 7500*ms},
		{"a short overlap with a margin of its length",
			[]checker.Finding{hbP4, fd(checker.P1, 30*s, 32*s)}, 0, 60 * s, nil, fd(checker.P1, 30*s, 32*s), 28 * s, 34 * s},
		{"at least a second of margin",
			[]checker.Finding{fd(checker.P1, 30*s, 30*s+10*ms)}, 0, 60 * s, nil, fd(checker.P1, 30*s, 30*s+10*ms), 29 * s, 31*s + 10*ms},
		{"the shortest overlap",
			[]checker.Finding{fd(checker.P1, 10*s, 13*s), fd(checker.P1, 20*s, 21*s), fd(checker.P1, 30*s, 35*s)}, 0, 60 * s, nil,
			fd(checker.P1, 20*s, 21*s), 19 * s, 22 * s},
		{"equal lengths: the earliest",
			[]checker.Finding{fd(checker.P1, 30*s, 31*s), fd(checker.P1, 20*s, 21*s)}, 0, 60 * s, nil, fd(checker.P1, 20*s, 21*s), 19 * s, 22 * s},
		{"a stale write before a status disagreement",
			[]checker.Finding{fd(checker.P4, 5*s, 6*s), fd(checker.P2, 40*s, 45*s)}, 0, 60 * s, nil, fd(checker.P2, 40*s, 45*s), 35 * s, 50 * s},
		{"only a long P4: its onset",
			[]checker.Finding{hbP4}, 0, 60 * s, nil, hbP4, 15 * s, 30 * s},
		{"onset near the start: shifted into the run",
			[]checker.Finding{fd(checker.P1, 1*s, 50*s)}, 0, 60 * s, nil, fd(checker.P1, 1*s, 50*s), 0, 15 * s},
		{"a run from 10s, a P4 open to its end: the onset, a quarter of the run",
			[]checker.Finding{fd(checker.P4, 50*s, history.Forever)}, 10 * s, 70 * s, nil, fd(checker.P4, 50*s, history.Forever), 42500 * ms, 57500 * ms},
		{"open to the run's end: clipped there",
			[]checker.Finding{fd(checker.P1, 59*s, history.Forever)}, 0, 60 * s, nil, fd(checker.P1, 59*s, history.Forever), 58 * s, 60 * s},
		{"a short run: at least 2s",
			[]checker.Finding{fd(checker.P1, 1*s, 3*s)}, 0, 4 * s, nil, fd(checker.P1, 1*s, 3*s), 0, 2 * s},
		{"expected findings (live belief overlaps) give way to judged ones",
			[]checker.Finding{fd(checker.P1, 30*s, 31*s), fd(checker.P2, 40*s, 41*s)}, 0, 60 * s, belief, fd(checker.P2, 40*s, 41*s), 39 * s, 42 * s},
		{"only expected findings: among them",
			[]checker.Finding{fd(checker.P1, 30*s, 31*s)}, 0, 60 * s, belief, fd(checker.P1, 30*s, 31*s), 29 * s, 32 * s},
	} {
		f, from, to, ok := FindingZoom(c.fs, c.start, c.end, c.expected)
		if !ok || f.Kind != c.want.Kind || f.From != c.want.From || f.To != c.want.To || from != c.from || to != c.to {
			t.Errorf("%s: got %v %s [%d, %d) ok %v, want %s [%d, %d)", c.name, f.Kind, stTime(f.From, 0), from, to, ok, c.want.Kind, c.from, c.to)
		}
	}
	if _, _, _, ok := FindingZoom(nil, 0, 60*s, nil); ok {
		t.Error("no findings: ok, want not ok")
	}
}
