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

// check1MTable times `leasesim check` of scripts/bighistory's 1M-claim history against
// the floor it is held to (a bare encoding/json decode loop over the same file) and
// history.Read (every record checked, as check reads), in interleaved rounds: CPU, wall
// time and peak RSS of each process.
func check1MTable(r *runner, o options) (string, error) {
	ls, err := r.bin("leasesim")
	if err != nil {
		return "", err
	}
	big, err := r.bin("bighistory")
	if err != nil {
		return "", err
	}
	file := filepath.Join(r.tmp, "h1m.jsonl")
	r.step("check1m: writing the 1M-claim history")
	if _, err := r.exec([]int{0}, big, "-claims", "1000000", "-o", file); err != nil {
		return "", err
	}
	st, err := os.Stat(file)
	if err != nil {
		return "", err
	}
	type side struct {
		label string
		args  []string
		ok    []int
	}
	sides := []side{
		{"bare decode", []string{big, "-decode", file}, []int{0}},
		{"`history.Read`", []string{big, "-read", file}, []int{0}},
		// The history overlaps on purpose: check finds P1 violations and exits 1.
		{"`check`", []string{ls, "check", "--json", file}, []int{1}},
	}
	got := make([][]usage, len(sides))
	var first []byte
	same := true
	for i := 1; i <= o.CheckRounds; i++ {
		r.step("check1m: round %d of %d (decode, read, check)", i, o.CheckRounds)
		for j, s := range sides {
			u, err := r.exec(s.ok, s.args[0], s.args[1:]...)
			if err != nil {
				return "", err
			}
			got[j] = append(got[j], u)
			if j == 2 {
				if first == nil {
					first = u.Stdout
				} else if !bytes.Equal(first, u.Stdout) {
					same = false
				}
			}
		}
	}
	cell := func(u usage) string {
		return fmt.Sprintf("%s, CPU %s, %s", secs(u.Wall), secs(u.CPU), mb(float64(u.MaxRSS)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nThe history of `scripts/bighistory` (1M claims, one term in a thousand overlapping the previous one, %s), %s, interleaved; each cell is the process's wall time, its CPU time (user + system) and its peak RSS:\n\n",
		mb(float64(st.Size())), plural(o.CheckRounds, "round"))
	b.WriteString(codeBlock(
		"go build -o bighistory ./scripts/bighistory && go build -o leasesim ./cmd/leasesim",
		"./bighistory -claims 1000000 -o h1m.jsonl",
		fmt.Sprintf("for i in $(seq %d); do", o.CheckRounds),
		"  ./bighistory -decode h1m.jsonl          # the floor: a bare encoding/json decode loop",
		"  ./bighistory -read h1m.jsonl            # history.Read, every record checked",
		"  ./leasesim check --json h1m.jsonl       # exits 1: the history violates P1",
		"done   # each under /usr/bin/time (the script takes getrusage of each process)",
	))
	b.WriteString("\n")
	b.WriteString(row("round", sides[0].label, sides[1].label, sides[2].label, "check ÷ decode, wall", "check ÷ decode, CPU"))
	b.WriteString(rule(6))
	var wallRatio, cpuRatio []float64
	var rss []float64
	for i := range o.CheckRounds {
		d, rd, c := got[0][i], got[1][i], got[2][i]
		wallRatio = append(wallRatio, c.Wall.Seconds()/d.Wall.Seconds())
		cpuRatio = append(cpuRatio, c.CPU.Seconds()/d.CPU.Seconds())
		rss = append(rss, float64(c.MaxRSS))
		b.WriteString(row(fmt.Sprint(i+1), cell(d), cell(rd), cell(c), times(wallRatio[i]), times(cpuRatio[i])))
	}
	median := func(us []usage) usage {
		var w, c []time.Duration
		var m []float64
		for _, u := range us {
			w, c, m = append(w, u.Wall), append(c, u.CPU), append(m, float64(u.MaxRSS))
		}
		return usage{Wall: time.Duration(stats.Median(durations(w))), CPU: time.Duration(stats.Median(durations(c))), MaxRSS: int64(stats.Median(m))}
	}
	b.WriteString(row("median", "**"+cell(median(got[0]))+"**", "**"+cell(median(got[1]))+"**", "**"+cell(median(got[2]))+"**",
		"**"+times(stats.Median(wallRatio))+"**", "**"+times(stats.Median(cpuRatio))+"**"))
	peak := 0.0
	for _, v := range rss {
		peak = max(peak, v)
	}
	wr := stats.Median(wallRatio)
	b.WriteString("\n")
	b.WriteString(row("target (issue 22)", "measured", "met"))
	b.WriteString(rule(3))
	b.WriteString(row("`check` within 2× the bare decode (wall, median of the rounds)", times(wr), met(wr <= 2)))
	cr := stats.Median(cpuRatio)
	b.WriteString(row("the same in CPU time (user + system), for comparison", times(cr), met(cr <= 2)))
	b.WriteString(row("`check` under 800 MB of RSS (the largest of the rounds)", mb(peak), met(peak < 800e6)))
	fmt.Fprintf(&b, "\n`check` exited 1 (violated) in every round, and its `--json` output was %s.\n",
		map[bool]string{true: "byte for byte the same in every round", false: "**not the same in every round**"}[same])
	return b.String(), nil
}
