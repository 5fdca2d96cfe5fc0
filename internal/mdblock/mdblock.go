package mdblock

import (
	"fmt"
	"strings"
)

// Markers are the marker lines of one tool's blocks: "<!-- " + Kind + ":ID begin: " +
// GeneratedBy + " -->" and "<!-- " + Kind + ":ID end -->".
type Markers struct {
	// Kind names the blocks' family in their markers ("table", "bench").
	Kind string
	// GeneratedBy says, in the begin line, which command writes the block.
	GeneratedBy string
}

func (m Markers) prefix(id string) string { return "<!-- " + m.Kind + ":" + id }

// Begin is block id's begin line, as the tool writes it.
func (m Markers) Begin(id string) string {
	return m.prefix(id) + " begin: " + m.GeneratedBy + " -->"
}

// End is block id's end line.
func (m Markers) End(id string) string { return m.prefix(id) + " end -->" }

// Span locates block id in a file's text: the byte offsets of the start of its begin
// line and of the end of its end line (after its newline), and the begin line's number.
// A begin line is one that starts with "<!-- KIND:ID begin" (whatever the rest says); the
// end line is exactly End(id). A missing, repeated or misordered marker is an error
// naming the file and line.
func (m Markers) Span(file, text, id string) (from, to, line int, err error) {
	var begins, ends, beginLines, endLines []int
	off := 0
	for n, l := range strings.SplitAfter(text, "\n") {
		trimmed := strings.TrimRight(l, "\r\n")
		switch {
		case strings.HasPrefix(trimmed, m.prefix(id)+" begin"):
			begins, beginLines = append(begins, off), append(beginLines, n+1)
		case trimmed == m.End(id):
			ends, endLines = append(ends, off+len(l)), append(endLines, n+1)
		}
		off += len(l)
	}
	switch {
	case len(begins) == 0:
		return 0, 0, 0, fmt.Errorf("%s: no line starting %q: put table %s between %q and %q", file, m.prefix(id)+" begin", id, m.Begin(id), m.End(id))
	case len(begins) > 1:
		return 0, 0, 0, fmt.Errorf("%s:%d: a second begin marker of table %s (the first is on line %d); expected one", file, beginLines[1], id, beginLines[0])
	case len(ends) == 0:
		return 0, 0, 0, fmt.Errorf("%s:%d: table %s begins here but has no end line %q", file, beginLines[0], id, m.End(id))
	case len(ends) > 1:
		return 0, 0, 0, fmt.Errorf("%s:%d: a second end marker of table %s (the first is on line %d); expected one", file, endLines[1], id, endLines[0])
	case ends[0] <= begins[0]:
		return 0, 0, 0, fmt.Errorf("%s:%d: table %s's end marker comes before its begin marker (line %d)", file, endLines[0], id, beginLines[0])
	}
	return begins[0], ends[0], beginLines[0], nil
}

// Replace returns text with block id (its marker lines included) replaced by want, the
// block it had, and the begin line's number.
func (m Markers) Replace(file, text, id, want string) (out, had string, line int, err error) {
	from, to, line, err := m.Span(file, text, id)
	if err != nil {
		return "", "", 0, err
	}
	return text[:from] + want + text[to:], text[from:to], line, nil
}
