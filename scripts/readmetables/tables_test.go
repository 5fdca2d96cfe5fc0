package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTablesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, tb := range tables {
		if seen[tb.id] {
			t.Errorf("table id %s used twice", tb.id)
		}
		seen[tb.id] = true
		if tb.seeds < 1 {
			t.Errorf("table %s: seeds %d, want >= 1", tb.id, tb.seeds)
		}
		for _, r := range tb.rows {
			if n := len(r.text) + len(tb.cols); n != len(tb.head) {
				t.Errorf("table %s, row %s: %d cells for %d columns", tb.id, r.scenario, n, len(tb.head))
			}
			if _, _, err := load(r.scenario, tb.seeds); err != nil {
				t.Errorf("table %s: %v", tb.id, err)
			}
		}
	}
}

// TestCommittedTablesStateTheirCommand checks, without running anything, that each
// committed block is this specification's: its markers, its command and seed count, its
// header and its rows' hand-written cells. The measured cells are checked by
// `go run ./scripts/readmetables -check` in CI (.ci/run).
func TestCommittedTablesStateTheirCommand(t *testing.T) {
	for _, tb := range tables {
		data, err := os.ReadFile(filepath.Join("..", "..", tb.file))
		if err != nil {
			t.Fatal(err)
		}
		from, to, line, err := span(tb.file, string(data), tb.id)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		got := string(data[from:to])
		lines := strings.Split(got, "\n")
		if lines[0] != beginMarker(tb.id) {
			t.Errorf("%s:%d: begin marker %q, want %q", tb.file, line, lines[0], beginMarker(tb.id))
		}
		if !strings.Contains(got, "Measured with `"+tb.command()+"`") {
			t.Errorf("%s:%d: table %s does not state its command %q: regenerate with go run ./scripts/readmetables -only %s", tb.file, line, tb.id, tb.command(), tb.id)
		}
		want := []string{"| " + strings.Join(tb.head, " | ") + " |"}
		for _, r := range tb.rows {
			want = append(want, "| "+strings.Join(r.text, " | ")+" | ")
		}
		var rows []string
		for _, l := range lines {
			if strings.HasPrefix(l, "| ") {
				rows = append(rows, l)
			}
		}
		if len(rows) != len(want) {
			t.Errorf("%s:%d: table %s has %d rows with its header, want %d: regenerate with go run ./scripts/readmetables -only %s", tb.file, line, tb.id, len(rows), len(want), tb.id)
			continue
		}
		for i := range want {
			if !strings.HasPrefix(rows[i], want[i]) && rows[i] != strings.TrimSuffix(want[i], " ") {
				t.Errorf("%s:%d: table %s row %d is %q, want it to start %q: regenerate with go run ./scripts/readmetables -only %s", tb.file, line, tb.id, i, rows[i], want[i], tb.id)
			}
		}
	}
}

func TestSelectTables(t *testing.T) {
	sel, figs, err := selectTables("")
	if err != nil || len(sel) != len(tables) || len(figs) != len(figures) {
		t.Errorf("all: %d tables, %d figures, err %v", len(sel), len(figs), err)
	}
	sel, figs, err = selectTables(" redlock,etcd-min-ttl,ha")
	if err != nil || len(sel) != 2 || sel[0].id != "ha" || sel[1].id != "redlock" || len(figs) != 1 || figs[0].id != "etcd-min-ttl" {
		t.Errorf("ha,redlock,etcd-min-ttl: got %v %v, err %v", sel, figs, err)
	}
	if _, _, err := selectTables("ha,nope"); err == nil || !strings.Contains(err.Error(), `-only: no table or figure "nope"; they are ha, keys, redlock, count-from-grant-receipt`) {
		t.Errorf("unknown id: got error %v", err)
	}
}

// TestRun writes a small table into a file, checks it, and catches a changed number.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	readme := filepath.Join(dir, "README.md")
	orig := "# x\n\n<!-- table:t begin -->\n<!-- table:t end -->\n\nafter\n"
	if err := os.WriteFile(readme, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	sel := []table{testTable}
	var out, errb bytes.Buffer
	if code := run(context.Background(), &out, &errb, dir, sel, nil, true, 2); code != exitDiffers {
		t.Fatalf("check of an empty block: exit %d, want %d; stderr %s", code, exitDiffers, errb.String())
	}
	if b, _ := os.ReadFile(readme); string(b) != orig {
		t.Fatalf("-check wrote the file:\n%s", b)
	}
	if !strings.Contains(out.String(), "README.md:3: table t differs from what `go run ./cmd/leasesim suite lease-cut heartbeat-cut --seeds 3 --json` measures") {
		t.Errorf("check output:\n%s", out.String())
	}

	out.Reset()
	errb.Reset()
	if code := run(context.Background(), &out, &errb, dir, sel, nil, false, 2); code != 0 {
		t.Fatalf("write: exit %d; stderr %s", code, errb.String())
	}
	written, _ := os.ReadFile(readme)
	for _, want := range []string{beginMarker("t") + "\n\nMeasured with `go run ./cmd/leasesim suite lease-cut heartbeat-cut --seeds 3 --json`",
		"| cut (`lease-cut`) | ", "| heartbeat (`heartbeat-cut`) | ", "\n\n<!-- table:t end -->\n\nafter\n"} {
		if !strings.Contains(string(written), want) {
			t.Errorf("written file lacks %q:\n%s", want, written)
		}
	}

	errb.Reset()
	if code := run(context.Background(), &out, &errb, dir, sel, nil, true, 1); code != 0 {
		t.Fatalf("check after write (1 worker): exit %d; stderr %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "README.md:3: table t matches (2 scenarios × 3 seeds") {
		t.Errorf("check stderr: %s", errb.String())
	}

	// A hand-edited number is caught, with the line it was on.
	tampered := strings.Replace(string(written), "| cut (`lease-cut`) | ", "| cut (`lease-cut`) | 9", 1)
	if err := os.WriteFile(readme, []byte(tampered), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), &out, &errb, dir, sel, nil, true, 2); code != exitDiffers {
		t.Fatalf("check of a tampered table: exit %d, want %d", code, exitDiffers)
	}
	if !strings.Contains(out.String(), "\n-| cut (`lease-cut`) | 9") || !strings.Contains(out.String(), "\n+| cut (`lease-cut`) | ") {
		t.Errorf("diff does not show the tampered row:\n%s", out.String())
	}

	// A file without the markers is bad input, found before any run.
	if err := os.WriteFile(readme, []byte("no markers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run(context.Background(), &out, &errb, dir, sel, nil, false, 2); code != exitBadInput {
		t.Errorf("no markers: exit %d, want %d", code, exitBadInput)
	}
	if !strings.Contains(errb.String(), `README.md: no line starting "<!-- table:t begin"`) {
		t.Errorf("no markers: stderr %s", errb.String())
	}
}
