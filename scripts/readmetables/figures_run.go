package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// runFigures measures figs (every scenario in one batch, workers at a time), renders
// them into texts (or, with check, compares them) and reports each on stderr, or, when
// one differs under check, on stdout. It returns whether one differed and an exit code
// (0 unless a run failed or was interrupted).
func runFigures(ctx context.Context, stdout, stderr io.Writer, texts map[string]string, figs []figure, check bool, workers int) (differs bool, code int) {
	start := time.Now()
	ms, err := measureFigures(ctx, figs, workers)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "readmetables: interrupted; nothing written")
		return false, exitInterrupted
	}
	if err != nil {
		fmt.Fprintln(stderr, "readmetables:", err)
		return false, exitInternal
	}
	took := time.Since(start).Round(100 * time.Millisecond)
	for _, f := range figs {
		want, err := f.render(ms[figKey{f.scenario, f.seeds}])
		if err != nil {
			fmt.Fprintln(stderr, "readmetables:", err)
			return false, exitInternal
		}
		text := texts[f.file]
		from, to, line, err := figSpan(f.file, text, f.id)
		if err != nil { // checked before measuring; the file is only changed here
			fmt.Fprintln(stderr, "readmetables:", err)
			return false, exitBadInput
		}
		had := text[from:to]
		texts[f.file] = text[:from] + want + text[to:]
		switch {
		case had == want:
			fmt.Fprintf(stderr, "%s:%d: figure %s matches (%s; the figures took %s)\n", f.file, line, f.id, seedCount(f.seeds), took)
		case check:
			differs = true
			fmt.Fprintf(stdout, "%s:%d: figure %s differs from what `%s` measures; regenerate with go run ./scripts/readmetables -only %s:\n-%s\n+%s\n",
				f.file, line, f.id, f.command(), f.id, had, want)
		default:
			fmt.Fprintf(stderr, "%s:%d: figure %s regenerated (%s):\n-%s\n+%s\n", f.file, line, f.id, seedCount(f.seeds), had, want)
		}
	}
	return differs, 0
}

// seedCount is "1 seed", "200 seeds".
func seedCount(n int) string {
	if n == 1 {
		return "1 seed"
	}
	return fmt.Sprintf("%d seeds", n)
}
