package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

func TestFigSpan(t *testing.T) {
	b := figBegin("x")
	from, to, line, err := figSpan("README.md", "a\nsaw "+b+"12 of 100<!-- /fig --> runs\n", "x")
	if err != nil || line != 2 {
		t.Fatalf("line %d, err %v", line, err)
	}
	if got := ("a\nsaw " + b + "12 of 100<!-- /fig --> runs\n")[from:to]; got != "12 of 100" {
		t.Errorf("words %q", got)
	}
	for _, c := range []struct {
		name, text, want string
	}{
		{"no marker", "text\n", `README.md: no "<!-- fig:x -->"`},
		{"another figure's", figBegin("y") + "1" + figEnd, `README.md: no "<!-- fig:x -->"`},
		{"two", b + "1" + figEnd + "\n\n" + b + "2" + figEnd, `README.md:3: a second "<!-- fig:x -->" (the first is on line 1)`},
		{"no closing", "a\n" + b + "1 of 2\n", "README.md:2: figure x has no closing"},
		{"closing only after the next figure", b + "1 " + figBegin("y") + "2" + figEnd, "README.md:1: figure x has no closing \"<!-- /fig -->\" before the next figure"},
	} {
		_, _, _, err := figSpan("README.md", c.text, "x")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestFiguresWellFormed: ids are unique among tables and figures, and every figure's
// scenario is built in.
func TestFiguresWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, tb := range tables {
		seen[tb.id] = true
	}
	for _, f := range figures {
		if seen[f.id] {
			t.Errorf("id %s used twice", f.id)
		}
		seen[f.id] = true
		if f.seeds < 1 || f.text == nil {
			t.Errorf("figure %s: seeds %d, text set %v", f.id, f.seeds, f.text != nil)
		}
		if _, _, err := load(f.scenario, f.seeds); err != nil {
			t.Errorf("figure %s: %v", f.id, err)
		}
	}
}

// TestCommittedFiguresStateTheirCommand checks, without running anything, that each
// figure is in its file once and states the command (with its seed count) it is
// measured with. `go run ./scripts/readmetables -check` checks the numbers.
func TestCommittedFiguresStateTheirCommand(t *testing.T) {
	for _, f := range figures {
		data, err := os.ReadFile(filepath.Join("..", "..", f.file))
		if err != nil {
			t.Fatal(err)
		}
		from, to, line, err := figSpan(f.file, string(data), f.id)
		if err != nil {
			t.Error(err)
			continue
		}
		if words := string(data[from:to]); !f.noCommand && !strings.HasSuffix(words, "`"+f.command()+"`)") {
			t.Errorf("%s:%d: figure %s reads %q; want it to end with its command `%s`: go run ./scripts/readmetables -only %s", f.file, line, f.id, words, f.command(), f.id)
		}
	}
}

func TestFigureText(t *testing.T) {
	run := func(seed uint64, fs ...checker.Finding) result.RunResult {
		return result.RunResult{Seed: seed, Findings: fs}
	}
	p1 := func(from, to int64) checker.Finding { return checker.Finding{Kind: checker.P1, From: from, To: to} }
	m := measured{r: result.ScenarioResult{Scenario: "s", Seeds: 3, DurationNs: 60e9, Violations: map[string]int{"p1": 2},
		Runs: []result.RunResult{run(1, p1(10e9, 12.5e9)), run(2), run(3, checker.Finding{Kind: checker.P4, From: 1, To: 2}, p1(59e9, 1<<62))}}}
	first, widest, err := findingWidths(m, checker.P1)
	if err != nil || first != 2.5e9 || widest != 2.5e9 {
		t.Errorf("P1 widths %d, %d, %v; want 2.5s, 2.5s (the open one clipped to 1s)", first, widest, err)
	}
	if _, _, err := findingWidths(m, checker.P2); err == nil || !strings.Contains(err.Error(), "no p2 finding in 3 seeds") {
		t.Errorf("no P2: error %v", err)
	}
	for _, c := range []struct {
		words string
		noCmd bool
		want  string
	}{
		{"2 of 3 seeds", false, "2 of 3 seeds (`leasesim suite s --seeds 3`)"},
		{"2 of 3 seeds (up to 2.5s)", false, "2 of 3 seeds (up to 2.5s, `leasesim suite s --seeds 3`)"},
		{"2.5s", true, "2.5s"},
	} {
		f := figure{id: "f", scenario: "s", seeds: 3, noCommand: c.noCmd, text: func(measured) (string, error) { return c.words, nil }}
		if got, err := f.render(m); err != nil || got != c.want {
			t.Errorf("render of %q: %q, %v; want %q", c.words, got, err, c.want)
		}
	}
}

// TestRunFigures writes a figure into a file, checks it, and catches a changed number.
func TestRunFigures(t *testing.T) {
	dir := t.TempDir()
	readme := filepath.Join(dir, "README.md")
	orig := "# x\n\nIt was cut in " + figBegin("t") + "?" + figEnd + ", as expected.\n"
	if err := os.WriteFile(readme, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	figs := []figure{{id: "t", file: "README.md", scenario: "lease-cut", seeds: 3,
		text: func(m measured) (string, error) { return fmt.Sprintf("%d of %d seeds", m.r.Seeds, m.r.Seeds), nil }}}
	var out, errb bytes.Buffer
	if code := run(context.Background(), &out, &errb, dir, nil, figs, true, 2); code != exitDiffers {
		t.Fatalf("check of a stale figure: exit %d, want %d; stderr %s", code, exitDiffers, errb.String())
	}
	if b, _ := os.ReadFile(readme); string(b) != orig {
		t.Fatalf("-check wrote the file:\n%s", b)
	}
	if !strings.Contains(out.String(), "README.md:3: figure t differs from what `leasesim suite lease-cut --seeds 3` measures") || !strings.Contains(out.String(), "\n-?\n") {
		t.Errorf("check output:\n%s", out.String())
	}
	if code := run(context.Background(), &out, &errb, dir, nil, figs, false, 2); code != 0 {
		t.Fatalf("write: exit %d; stderr %s", code, errb.String())
	}
	want := "# x\n\nIt was cut in " + figBegin("t") + "3 of 3 seeds (`leasesim suite lease-cut --seeds 3`)" + figEnd + ", as expected.\n"
	if b, _ := os.ReadFile(readme); string(b) != want {
		t.Fatalf("written:\n%s\nwant:\n%s", b, want)
	}
	errb.Reset()
	if code := run(context.Background(), &out, &errb, dir, nil, figs, true, 1); code != 0 || !strings.Contains(errb.String(), "README.md:3: figure t matches (3 seeds") {
		t.Errorf("check after write (1 worker): exit %d; stderr %s", code, errb.String())
	}
	// A hand-edited number is caught.
	if err := os.WriteFile(readme, []byte(strings.Replace(want, "3 of 3", "2 of 3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), &out, &errb, dir, nil, figs, true, 2); code != exitDiffers || !strings.Contains(out.String(), "\n-2 of 3 seeds") {
		t.Errorf("tampered: exit %d, output %s", code, out.String())
	}
	// A file without the markers is bad input, found before any run.
	if err := os.WriteFile(readme, []byte("no markers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run(context.Background(), &out, &errb, dir, nil, figs, false, 2); code != exitBadInput || !strings.Contains(errb.String(), `README.md: no "<!-- fig:t -->"`) {
		t.Errorf("no markers: exit %d, stderr %s", code, errb.String())
	}
}
