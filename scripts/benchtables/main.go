package main

import (
	"context"
	"errors"
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

func main() {
	write := flag.Bool("write", false, "also rewrite the tables' blocks in -file once every selected table is measured")
	markers := flag.Bool("markers", false, "only check that -file has each selected table's markers once; measure nothing")
	only := flag.String("only", "", "comma-separated tables to measure (default: all: "+strings.Join(ids(), ", ")+")")
	root := flag.String("root", ".", "the repository root: the tree measured, which holds -file")
	file := flag.String("file", "BENCHMARKS.md", "the file that holds the tables' blocks, relative to -root")
	var o options
	flag.IntVar(&o.Rounds, "rounds", 7, "interleaved rounds of the kernel and protocols tables")
	flag.IntVar(&o.CheckRounds, "check-rounds", 3, "interleaved rounds of the check1m table")
	flag.IntVar(&o.CatalogRounds, "catalog-rounds", 2, "rounds of the catalog table")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "benchtables: unexpected argument %q (flags only; see -h)\n", flag.Arg(0))
		os.Exit(exit.BadInput)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"-rounds", o.Rounds}, {"-check-rounds", o.CheckRounds}, {"-catalog-rounds", o.CatalogRounds}} {
		if f.v < 1 {
			fmt.Fprintf(os.Stderr, "benchtables: %s %d: expected at least 1\n", f.name, f.v)
			os.Exit(exit.BadInput)
		}
	}
	sel, err := selectTables(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtables:", err)
		os.Exit(exit.BadInput)
	}
	path := filepath.Join(*root, *file)
	if err := checkMarkers(path, sel); err != nil && (*write || *markers) {
		fmt.Fprintln(os.Stderr, "benchtables:", err)
		os.Exit(exit.BadInput)
	}
	if *markers {
		fmt.Fprintf(os.Stderr, "benchtables: %s has the markers of %d tables\n", path, len(sel))
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Stdout, os.Stderr, *root, path, sel, o, *write))
}

// selectTables returns the tables -only names (all when empty), in their order.
func selectTables(only string) ([]table, error) {
	if only == "" {
		return tables, nil
	}
	want := map[string]bool{}
	for _, id := range strings.Split(only, ",") {
		id = strings.TrimSpace(id)
		if _, ok := tableByID(id); !ok {
			return nil, fmt.Errorf("-only: no table %q; they are %s", id, strings.Join(ids(), ", "))
		}
		want[id] = true
	}
	var out []table
	for _, t := range tables {
		if want[t.id] {
			out = append(out, t)
		}
	}
	return out, nil
}

// checkMarkers checks that the file at path has each table's markers once.
func checkMarkers(path string, sel []table) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range sel {
		if _, _, err := span(path, string(data), t.id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// run measures the selected tables in order, printing each block on stdout as it is
// done, and with write puts the measured blocks into the file at path: all of them, or
// when a table fails, those measured before it (each block is dated). An interrupt writes
// nothing. It returns the exit code.
func run(ctx context.Context, stdout, stderr io.Writer, root, path string, sel []table, o options, write bool) int {
	tmp, err := os.MkdirTemp("", "benchtables-")
	if err != nil {
		fmt.Fprintln(stderr, "benchtables:", err)
		return exit.Internal
	}
	defer os.RemoveAll(tmp)
	r := &runner{ctx: ctx, root: root, tmp: tmp, log: stderr, start: time.Now(), built: map[string]string{}}
	m := describe(root)
	r.step("measuring %s on %s, %s, %d cores, %s, GOMAXPROCS %s, commit %s; load average %s",
		plural(len(sel), "table"), m.Arch, m.CPU, m.Cores, m.GoVersion, m.GoMaxProcs, m.Commit, fmtLoad(loadAverage()))
	var done []table
	blocks := map[string]string{}
	code := 0
	for i, t := range sel {
		r.step("table %d of %d, %s: %s", i+1, len(sel), t.id, t.what)
		from, load0 := time.Now(), loadAverage()
		body, err := t.measure(r, o)
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "benchtables: interrupted; nothing written")
				return exit.Interrupted
			}
			fmt.Fprintf(stderr, "benchtables: table %s: %v\n", t.id, err)
			code = exit.Internal
			break
		}
		blocks[t.id] = block(t.id, header(m, from, time.Now(), load0, loadAverage())+"\n"+body)
		done = append(done, t)
		fmt.Fprintln(stdout, blocks[t.id])
	}
	r.step("done: %d of %s in %s", len(done), plural(len(sel), "table"), time.Since(r.start).Round(time.Second))
	if !write || len(done) == 0 {
		return code
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(stderr, "benchtables:", err)
		return exit.BadInput
	}
	text := string(data)
	for _, t := range done {
		if text, err = replace(path, text, t.id, blocks[t.id]); err != nil {
			fmt.Fprintln(stderr, "benchtables:", err)
			return exit.BadInput
		}
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		fmt.Fprintln(stderr, "benchtables:", err)
		return exit.Internal
	}
	r.step("wrote %s into %s", plural(len(done), "table"), path)
	return code
}
