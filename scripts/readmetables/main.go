package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/leasesim/leasesim/internal/exit"
)

// Exit codes: leasesim's own (internal/exit), a stale table counting as a failed
// expectation.
const (
	exitDiffers     = exit.Violated
	exitBadInput    = exit.BadInput
	exitInternal    = exit.Internal
	exitInterrupted = exit.Interrupted
)

func main() {
	check := flag.Bool("check", false, "regenerate in memory and exit 1 with a diff when a committed table differs; write nothing")
	only := flag.String("only", "", "comma-separated table and figure ids to regenerate (default: all: "+strings.Join(ids(), ", ")+")")
	root := flag.String("root", ".", "the repository root, which holds the tables' files")
	workers := flag.Int("workers", 0, "runs in parallel (default: the number of CPUs)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "readmetables: unexpected argument %q (flags only; see -h)\n", flag.Arg(0))
		os.Exit(exitBadInput)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sel, figs, err := selectTables(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "readmetables:", err)
		os.Exit(exitBadInput)
	}
	os.Exit(run(ctx, os.Stdout, os.Stderr, *root, sel, figs, *check, *workers))
}

// ids lists the tables' ids, then the figures'.
func ids() []string {
	var out []string
	for _, t := range tables {
		out = append(out, t.id)
	}
	for _, f := range figures {
		out = append(out, f.id)
	}
	return out
}

// selectTables returns the tables and figures -only names (all when empty), in the
// order of tables and figures.
func selectTables(only string) ([]table, []figure, error) {
	if only == "" {
		return tables, figures, nil
	}
	want := map[string]bool{}
	for _, id := range strings.Split(only, ",") {
		id = strings.TrimSpace(id)
		_, isTable := tableByID(id)
		_, isFigure := figureByID(id)
		if !isTable && !isFigure {
			return nil, nil, fmt.Errorf("-only: no table or figure %q; they are %s", id, strings.Join(ids(), ", "))
		}
		want[id] = true
	}
	var ts []table
	for _, t := range tables {
		if want[t.id] {
			ts = append(ts, t)
		}
	}
	var fs []figure
	for _, f := range figures {
		if want[f.id] {
			fs = append(fs, f)
		}
	}
	return ts, fs, nil
}

// run regenerates the tables sel and the figures figs and writes them into their files
// under root (or, with check, compares them) and returns the exit code.
func run(ctx context.Context, stdout, stderr io.Writer, root string, sel []table, figs []figure, check bool, workers int) int {
	// Every file and marker is checked before the first run, so that a typo costs nothing.
	texts := map[string]string{}
	read := func(file string) error {
		if _, ok := texts[file]; ok {
			return nil
		}
		b, err := os.ReadFile(filepath.Join(root, file))
		texts[file] = string(b)
		return err
	}
	for _, t := range sel {
		if err := read(t.file); err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitBadInput
		}
		if _, _, _, err := span(t.file, texts[t.file], t.id); err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitBadInput
		}
	}
	for _, f := range figs {
		if err := read(f.file); err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitBadInput
		}
		if _, _, _, err := figSpan(f.file, texts[f.file], f.id); err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitBadInput
		}
	}
	differs := false
	for _, t := range sel {
		start := time.Now()
		ms, err := measure(ctx, t, workers)
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "readmetables: interrupted; nothing written")
			return exitInterrupted
		}
		if err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitInternal
		}
		content, err := render(t, ms)
		if err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitInternal
		}
		want := block(t.id, content)
		out, had, line, err := replace(t.file, texts[t.file], t.id, want)
		if err != nil { // checked above; the file is only changed by this loop
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitBadInput
		}
		texts[t.file] = out
		took := time.Since(start).Round(100 * time.Millisecond)
		switch {
		case had == want:
			fmt.Fprintf(stderr, "%s:%d: table %s matches (%d scenarios × %d seeds, %s)\n", t.file, line, t.id, len(t.scenarios()), t.seeds, took)
		case check:
			differs = true
			fmt.Fprintf(stdout, "%s:%d: table %s differs from what `%s` measures (%s); regenerate with go run ./scripts/readmetables -only %s:\n%s",
				t.file, line, t.id, t.command(), took, t.id, lineDiff(had, want))
		default:
			fmt.Fprintf(stderr, "%s:%d: table %s regenerated (%d scenarios × %d seeds, %s):\n%s", t.file, line, t.id, len(t.scenarios()), t.seeds, took, lineDiff(had, want))
		}
	}
	if len(figs) > 0 {
		d, code := runFigures(ctx, stdout, stderr, texts, figs, check, workers)
		if code != 0 {
			return code
		}
		differs = differs || d
	}
	if check {
		if differs {
			return exitDiffers
		}
		return 0
	}
	for file, text := range texts {
		path := filepath.Join(root, file)
		old, err := os.ReadFile(path)
		if err == nil && string(old) == text {
			continue
		}
		if err := writeAtomic(path, []byte(text)); err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return exitBadInput
		}
	}
	return 0
}

// writeAtomic replaces path's content through a temporary file in its directory, so that
// an interrupted write never leaves half a README.
func writeAtomic(path string, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".readmetables-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), st.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
