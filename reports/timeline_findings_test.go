package reports

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// rowSummary is a finding row as data: its label, and per bar or marker its span.
func rowSummary(r timelineRow) string {
	var marks []string
	for _, b := range r.bars {
		marks = append(marks, fmt.Sprintf("%d-%d %s", b.from/sec, b.to/sec, b.label))
	}
	for _, m := range r.markers {
		marks = append(marks, fmt.Sprintf("@%d", m.at/sec))
	}
	return r.label + ": " + strings.Join(marks, ", ")
}

// TestFindingRows: each finding in view gets its own row, labelled with its kind and
// nodes, ordered by kind then start; past maxFindingRows the rest share one row that
// says how many and where they are all listed.
func TestFindingRows(t *testing.T) {
	h := &history.History{Meta: history.Meta{Start: 0, End: 60 * sec}}
	fd := func(k checker.Kind, from, to int64, nodes ...string) checker.Finding {
		return checker.Finding{Kind: k, Holders: nodes, From: from * sec, To: to}
	}
	many := func(n int) []checker.Finding {
		var fs []checker.Finding
		for i := range n {
			fs = append(fs, fd(checker.P2, int64(n-i), int64(n-i)*sec, "B", "A"))
		}
		return fs
	}
	for _, c := range []struct {
		name     string
		fs       []checker.Finding
		from, to int64
		want     []string
	}{
		{"heartbeat-cut: the P4 under the overlap gets a row of its own, after it",
			[]checker.Finding{fd(checker.P4, 22, 60*sec, "B", "Q"), fd(checker.P1, 23, 40*sec, "A", "B"), fd(checker.P2, 24, 39*sec, "B", "A")},
			0, 60 * sec,
			[]string{"P1 A B: 23-40 17s", "P2 B A: 24-39 15s", "P4 B Q: 22-60 38s"}},
		{"same kind: by start, whatever the input order",
			[]checker.Finding{fd(checker.P1, 30, 31*sec, "B", "C"), fd(checker.P1, 10, 12*sec, "A", "C"), fd(checker.P1, 20, 21*sec, "A", "B")},
			0, 60 * sec,
			[]string{"P1 A C: 10-12 2s", "P1 A B: 20-21 1s", "P1 B C: 30-31 1s"}},
		{"an instant is a marker; an open finding runs to the run's end",
			[]checker.Finding{fd(checker.P2, 5, 5*sec, "B", "A"), fd(checker.P4, 50, history.Forever, "C", "Q")},
			0, 60 * sec,
			[]string{"P2 B A: @5", "P4 C Q: 50-60 10s+, to the run's end"}},
		{"a window shows only the findings in it, an instant on its edge included",
			[]checker.Finding{fd(checker.P1, 10, 12*sec, "A", "B"), fd(checker.P1, 30, 35*sec, "A", "C"), fd(checker.P2, 20, 20*sec, "A"), fd(checker.P2, 45, 45*sec, "C")},
			20 * sec, 30 * sec,
			[]string{"P2 A: @20"}},
		{"ten findings: ten rows", many(10), 0, 60 * sec,
			[]string{"P2 B A: @1", "P2 B A: @2", "P2 B A: @3", "P2 B A: @4", "P2 B A: @5", "P2 B A: @6", "P2 B A: @7", "P2 B A: @8", "P2 B A: @9", "P2 B A: @10"}},
		{"twelve: nine rows and three more", many(12), 0, 60 * sec,
			[]string{"P2 B A: @1", "P2 B A: @2", "P2 B A: @3", "P2 B A: @4", "P2 B A: @5", "P2 B A: @6", "P2 B A: @7", "P2 B A: @8", "P2 B A: @9",
				"+3 more findings: @10, @11, @12"}},
		{"no finding: no row", nil, 0, 60 * sec, nil},
	} {
		var got []string
		for _, r := range findingRows(h, c.fs, c.from, c.to) {
			got = append(got, rowSummary(r))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	rows := findingRows(h, many(12), 0, 60*sec)
	last := rows[len(rows)-1]
	for _, want := range []string{"3 more", "all 12", findingsListed} {
		if !strings.Contains(last.note, want) {
			t.Errorf("the overflow row's note %q does not say %q", last.note, want)
		}
	}
	if last.markers[0].fill != findingPale || rows[0].markers[0].fill != findingRed {
		t.Error("the overflow row is not drawn faded, or a finding's own row is")
	}
}
