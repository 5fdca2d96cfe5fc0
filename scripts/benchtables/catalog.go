package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leasesim/leasesim/stats"
)

// catalogTable times `leasesim suite -q --workers 1` of the whole built-in catalog:
// CPU time, wall time and peak RSS of the process.
func catalogTable(r *runner, o options) (string, error) {
	ls, err := r.bin("leasesim")
	if err != nil {
		return "", err
	}
	var us []usage
	runs := 0
	for i := 1; i <= o.CatalogRounds; i++ {
		r.step("catalog: round %d of %d (leasesim suite, one worker)", i, o.CatalogRounds)
		out := filepath.Join(r.tmp, fmt.Sprintf("suite%d", i))
		u, err := r.exec([]int{0}, ls, "suite", "-q", "--workers", "1", "--out", out)
		if err != nil {
			return "", err
		}
		us = append(us, u)
		data, err := os.ReadFile(filepath.Join(out, "runs.jsonl"))
		if err != nil {
			return "", err
		}
		runs = bytes.Count(data, []byte("\n"))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nEvery scenario of the built-in catalog with its own seeds (%s runs), run and checked one at a time, with its outputs written, %s:\n\n", commas(int64(runs)), plural(o.CatalogRounds, "round"))
	b.WriteString(codeBlock(fmt.Sprintf("for i in $(seq %d); do /usr/bin/time -f '%%U user %%S sys %%e wall %%M KB' leasesim suite -q --workers 1 --out DIR >/dev/null; done", o.CatalogRounds)))
	b.WriteString("\n")
	b.WriteString(row("round", "CPU (user + system)", "wall", "peak RSS"))
	b.WriteString(rule(4))
	var cpu, wall []time.Duration
	var rss []float64
	for i, u := range us {
		cpu, wall, rss = append(cpu, u.CPU), append(wall, u.Wall), append(rss, float64(u.MaxRSS))
		b.WriteString(row(fmt.Sprint(i+1), secs(u.CPU), secs(u.Wall), mb(float64(u.MaxRSS))))
	}
	b.WriteString(row("median", "**"+secs(time.Duration(stats.Median(durations(cpu))))+"**", secs(time.Duration(stats.Median(durations(wall)))), mb(stats.Median(rss))))
	b.WriteString("\n`go test -run '^$' -bench 'Catalog$' -benchtime 1x ./cli/` measures the same runs and checks in-process (`cpu-s/op`), without writing the outputs.\n")
	return b.String(), nil
}
