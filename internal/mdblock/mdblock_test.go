package mdblock

import (
	"strings"
	"testing"
)

var m = Markers{Kind: "t", GeneratedBy: "made by test"}

// TestReplace: a block is found by its begin line's prefix and its exact end line and
// replaced whole; every misplaced marker is an error naming the file and line.
func TestReplace(t *testing.T) {
	block := func(body string) string { return m.Begin("x") + "\n" + body + "\n" + m.End("x") + "\n" }
	for _, tt := range []struct {
		name, text, out, had, err string
		line                      int
	}{
		{name: "replaced", text: "a\n" + block("old") + "b\n", out: "a\n" + block("new") + "b\n", had: block("old"), line: 2},
		{name: "an older begin line is still the block's", text: "<!-- t:x begin: made by hand -->\nold\n" + m.End("x") + "\n",
			out: block("new"), had: "<!-- t:x begin: made by hand -->\nold\n" + m.End("x") + "\n", line: 1},
		{name: "another id is left alone", text: "<!-- t:xy begin -->\n" + block("old"), out: "<!-- t:xy begin -->\n" + block("new"), had: block("old"), line: 2},
		{name: "no begin", text: "a\n", err: `f.md: no line starting "<!-- t:x begin": put table x between`},
		{name: "no end", text: "a\n" + m.Begin("x") + "\n", err: "f.md:2: table x begins here but has no end line"},
		{name: "two begins", text: block("a") + m.Begin("x") + "\n", err: "f.md:4: a second begin marker of table x (the first is on line 1)"},
		{name: "two ends", text: block("a") + m.End("x") + "\n", err: "f.md:4: a second end marker of table x (the first is on line 3)"},
		{name: "end first", text: m.End("x") + "\n" + m.Begin("x") + "\n", err: "f.md:1: table x's end marker comes before its begin marker (line 2)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, had, line, err := m.Replace("f.md", tt.text, "x", block("new"))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || out != tt.out || had != tt.had || line != tt.line {
				t.Fatalf("Replace = %q, %q, %d, %v; want %q, %q, %d", out, had, line, err, tt.out, tt.had, tt.line)
			}
		})
	}
	if got, want := m.Begin("x"), "<!-- t:x begin: made by test -->"; got != want {
		t.Errorf("Begin = %q, want %q", got, want)
	}
}
