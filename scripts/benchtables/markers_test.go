package main

import (
	"os"
	"strings"
	"testing"
)

func TestReplace(t *testing.T) {
	good := "intro\n" + block("kernel", "old") + "after\n"
	tests := []struct {
		name, text, want, err string
	}{
		{"replaces the block only", good, "intro\n" + block("kernel", "new") + "after\n", ""},
		{"no begin marker", "intro\n", "", `f.md: no line starting "<!-- bench:kernel begin"`},
		{"no end marker", "a\n" + beginMarker("kernel") + "\nold\n", "", "f.md:2: table kernel begins here but has no end line"},
		{"two begin markers", block("kernel", "x") + beginMarker("kernel") + "\n", "", "f.md:4: a second begin marker of table kernel (the first is on line 1)"},
		{"two end markers", block("kernel", "x") + endMarker("kernel") + "\n", "", "f.md:4: a second end marker of table kernel (the first is on line 3)"},
		{"end before begin", endMarker("kernel") + "\n" + beginMarker("kernel") + "\n", "", "f.md:1: table kernel's end marker comes before its begin marker (line 2)"},
		{"another table's markers are not this one's", block("kernels", "x"), "", "no line starting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := replace("f.md", tt.text, "kernel", block("kernel", "new"))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestBenchmarksMDHasEveryTable checks that BENCHMARKS.md has a block for every table
// this command writes, so that -write never stops on a missing marker after minutes of
// measuring.
func TestBenchmarksMDHasEveryTable(t *testing.T) {
	data, err := os.ReadFile("../../BENCHMARKS.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if _, _, err := span("BENCHMARKS.md", string(data), tb.id); err != nil {
			t.Error(err)
		}
	}
}
