package listing

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteWrapped: text is refilled to at most listWidth columns after the indent, a
// longer word stands alone, and no word is lost.
func TestWriteWrapped(t *testing.T) {
	long := strings.Repeat("x", listWidth+5)
	for _, c := range []struct {
		name, text string
		lines      int
	}{
		{"empty", "  ", 0},
		{"short", "a  b\n c", 1},
		{"long word", "a " + long + " b", 3},
		{"refilled", strings.Repeat("word ", 50), 3},
	} {
		var b bytes.Buffer
		writeWrapped(&b, "  ", c.text)
		out := b.String()
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if out == "" {
			lines = nil
		}
		if len(lines) != c.lines || strings.Join(strings.Fields(out), " ") != strings.Join(strings.Fields(c.text), " ") {
			t.Errorf("%s: %d lines, want %d:\n%s", c.name, len(lines), c.lines, out)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "  ") || len(l) > listWidth && strings.Contains(strings.TrimSpace(l), " ") {
				t.Errorf("%s: line %q is not indented or too long", c.name, l)
			}
		}
	}
}

// TestShow: a built-in scenario is shown under each of its names; an unknown one is an
// error naming the flag and the scenarios there are.
func TestShow(t *testing.T) {
	var a, b bytes.Buffer
	if err := Show(&a, "lease-cut"); err != nil || !strings.Contains(a.String(), "name: lease-cut") {
		t.Fatalf("Show(lease-cut): %v\n%s", err, a.String())
	}
	if err := Show(&b, "builtin:lease-cut.yaml"); err != nil || b.String() != a.String() {
		t.Errorf("Show(builtin:lease-cut.yaml) differs: %v", err)
	}
	if err := Show(&b, "nope"); err == nil || !strings.Contains(err.Error(), "--show nope") || !strings.Contains(err.Error(), "lease-cut") {
		t.Errorf("Show(nope): %v", err)
	}
}
