package transcripts

import (
	"fmt"
	"strings"
	"testing"
)

// The size of a diff: lines of context around a change, and changed lines shown.
const (
	diffContext = 2
	diffMax     = 24
)

// op is one line of an edit script from want to got: kept (' '), removed ('-') or
// added ('+'), with its line numbers (1-based; 0 where the line is not in that file).
type op struct {
	kind      byte
	want, got int
	text      string
}

// lineDiff returns "" when want and got are equal, and otherwise the first differing
// lines as a diff with the line numbers of both files ("-" lines are want's, "+" lines
// got's), diffContext lines of context around each change and at most diffMax changed
// lines.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	ops := editScript(strings.Split(want, "\n"), strings.Split(got, "\n"))
	var b strings.Builder
	changed, last := 0, -1 // last: the index of the last op written
	for i, o := range ops {
		if o.kind == ' ' {
			continue
		}
		if changed == diffMax {
			rest := 0
			for _, o := range ops[i:] {
				if o.kind != ' ' {
					rest++
				}
			}
			fmt.Fprintf(&b, "… %d more differing lines\n", rest)
			break
		}
		from := max(i-diffContext, last+1)
		if last >= 0 && from > last+1 {
			b.WriteString("…\n")
		}
		for j := from; j < i; j++ {
			writeOp(&b, ops[j])
		}
		writeOp(&b, o)
		last = i
		changed++
		// Trailing context, unless another change follows within it.
		for j := i + 1; j < len(ops) && j <= i+diffContext && ops[j].kind == ' '; j++ {
			if next := nextChange(ops, j); next >= 0 && next-j < diffContext {
				break
			}
			writeOp(&b, ops[j])
			last = j
		}
	}
	return b.String()
}

func nextChange(ops []op, from int) int {
	for j := from; j < len(ops); j++ {
		if ops[j].kind != ' ' {
			return j
		}
	}
	return -1
}

func writeOp(b *strings.Builder, o op) {
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprint(n)
	}
	fmt.Fprintf(b, "%c %5s %5s | %s\n", o.kind, num(o.want), num(o.got), o.text)
}

// editScript returns a shortest edit script from a to b (a longest common subsequence),
// after taking off their common prefix and suffix.
func editScript(a, b []string) []op {
	var ops []op
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		ops = append(ops, op{' ', p + 1, p + 1, a[p]})
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	if len(ma)*len(mb) > 4_000_000 {
		// Too big for the table: everything in the middle differs.
		for i, l := range ma {
			ops = append(ops, op{'-', p + i + 1, 0, l})
		}
		for i, l := range mb {
			ops = append(ops, op{'+', 0, p + i + 1, l})
		}
	} else {
		// lcs[i][j]: the longest common subsequence of ma[i:] and mb[j:].
		lcs := make([][]int32, len(ma)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(mb)+1)
		}
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) || j < len(mb) {
			switch {
			case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
				ops = append(ops, op{' ', p + i + 1, p + j + 1, ma[i]})
				i++
				j++
			case j == len(mb) || (i < len(ma) && lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, op{'-', p + i + 1, 0, ma[i]})
				i++
			default:
				ops = append(ops, op{'+', 0, p + j + 1, mb[j]})
				j++
			}
		}
	}
	for k := 0; k < s; k++ {
		ops = append(ops, op{' ', len(a) - s + k + 1, len(b) - s + k + 1, a[len(a)-s+k]})
	}
	return ops
}

func TestLineDiff(t *testing.T) {
	for _, tc := range []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nX\ne\nf\n",
			"      2     2 | b\n      3     3 | c\n-     4       | d\n+           4 | X\n      5     5 | e\n      6     6 | f\n"},
		{"inserted line keeps numbers apart", "a\nb\nc\n", "a\nnew\nb\nc\n",
			"      1     1 | a\n+           2 | new\n      2     3 | b\n      3     4 | c\n"},
		{"removed line", "a\nb\nc\nd\n", "a\nc\nd\n",
			"      1     1 | a\n-     2       | b\n      3     2 | c\n      4     3 | d\n"},
		{"distant changes are separate hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "X\n2\n3\n4\n5\n6\n7\n8\nY\n",
			"-     1       | 1\n+           1 | X\n      2     2 | 2\n      3     3 | 3\n…\n      7     7 | 7\n      8     8 | 8\n-     9       | 9\n+           9 | Y\n     10    10 | \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lineDiff(tc.want, tc.got); got != tc.diff {
				t.Errorf("lineDiff:\n%s\nwant:\n%s", got, tc.diff)
			}
		})
	}
}

func TestLineDiffStopsAtMax(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&a, "want %d\n", i)
		fmt.Fprintf(&b, "got %d\n", i)
	}
	d := lineDiff(a.String(), b.String())
	if !strings.Contains(d, "… 176 more differing lines") {
		t.Errorf("no cut-off line in:\n%s", d)
	}
	if n := strings.Count(d, "\n"); n > diffMax+2*diffContext+2 {
		t.Errorf("%d lines, want at most %d:\n%s", n, diffMax+2*diffContext+2, d)
	}
}
