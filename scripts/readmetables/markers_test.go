package main

import (
	"strings"
	"testing"
)

func TestSpanErrors(t *testing.T) {
	b, e := "<!-- table:x begin -->\n", endMarker("x")+"\n"
	for _, c := range []struct {
		name, text, want string
	}{
		{"no markers", "text\n", `README.md: no line starting "<!-- table:x begin"`},
		{"another table's markers", "<!-- table:y begin -->\n<!-- table:y end -->\n", `README.md: no line starting "<!-- table:x begin"`},
		{"two begins", "a\n" + b + e + b + e, "README.md:4: a second begin marker of table x (the first is on line 2)"},
		{"no end", "a\n" + b + "| t |\n", "README.md:2: table x begins here but has no end line"},
		{"two ends", b + e + e, "README.md:3: a second end marker of table x (the first is on line 2)"},
		{"end first", e + b, "README.md:1: table x's end marker comes before its begin marker (line 2)"},
	} {
		_, _, _, err := span("README.md", c.text, "x")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestReplace(t *testing.T) {
	text := "# T\n\nbefore\n\n<!-- table:x begin -->\n| old |\n<!-- table:x end -->\n\nafter\n"
	want := block("x", "| new |\n")
	out, had, line, err := replace("README.md", text, "x", want)
	if err != nil {
		t.Fatal(err)
	}
	if line != 5 {
		t.Errorf("line %d, want 5", line)
	}
	if had != "<!-- table:x begin -->\n| old |\n<!-- table:x end -->\n" {
		t.Errorf("had %q", had)
	}
	wantOut := "# T\n\nbefore\n\n" + beginMarker("x") + "\n\n| new |\n\n<!-- table:x end -->\n\nafter\n"
	if out != wantOut {
		t.Errorf("got\n%s\nwant\n%s", out, wantOut)
	}
	// Replacing again with the same block changes nothing: a regenerated README that
	// matches is byte-identical.
	again, had, _, err := replace("README.md", out, "x", want)
	if err != nil || again != out || had != want {
		t.Errorf("second replace: err %v, changed %v, had %q", err, again != out, had)
	}
}

func TestLineDiff(t *testing.T) {
	for _, c := range []struct {
		name, a, b, want string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{"changed line", "h\n| 3.8% |\nz\n", "h\n| 5.7% |\nz\n", "-| 3.8% |\n+| 5.7% |\n"},
		{"added", "a\n", "a\nb\n", "+b\n"},
		{"removed", "a\nb\nc\n", "a\nc\n", "-b\n"},
		{"all new", "", "x\n", "-\n+x\n"},
	} {
		if got := lineDiff(c.a, c.b); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
