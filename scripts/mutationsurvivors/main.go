package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// report is the part of a gremlins JSON report the command reads.
type report struct {
	Files []struct {
		Filename  string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

// survivor names a mutant independently of its line number.
type survivor struct {
	File   string // relative to the module root
	Type   string // gremlins' mutator type, ARITHMETIC_BASE, …
	Column int    // the mutant's column within Source (0-based)
	Source string // the source line, without its leading and trailing blanks
}

func (s survivor) key() string {
	return s.File + "\t" + s.Type + "\t" + strconv.Itoa(s.Column) + "\t" + s.Source
}

// errBadInput marks errors in the command line, a report or the known-survivors file.
var errBadInput = errors.New("bad input")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command; it returns the exit status: 0 no new survivor, 1 new survivors,
// 2 bad input.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mutationsurvivors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	known := fs.String("known", "", "known-survivors `file` to compare with (docs/mutation-survivors.txt)")
	write := fs.Bool("write", false, "print the survivors in the known-survivors file's format")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "mutationsurvivors: give at least one PKGDIR=REPORT.json")
		return 2
	}
	var got []survivor
	ran := map[string]bool{} // the files the reports cover
	for _, a := range fs.Args() {
		dir, file, ok := strings.Cut(a, "=")
		if !ok || dir == "" || file == "" {
			fmt.Fprintf(stderr, "mutationsurvivors: argument %q: want PKGDIR=REPORT.json (model/lease=/tmp/lease.json)\n", a)
			return 2
		}
		s, counts, err := readReport(dir, file, ran)
		if err != nil {
			fmt.Fprintf(stderr, "mutationsurvivors: %v\n", err)
			return 2
		}
		fmt.Fprintf(stdout, "%s: %s\n", dir, counts)
		got = append(got, s...)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].key() < got[j].key() })
	if *write {
		for _, s := range got {
			fmt.Fprintf(stdout, "%s\tTODO: say why it is equivalent or left\n", s.key())
		}
		return 0
	}
	for _, s := range got {
		fmt.Fprintf(stdout, "survived: %s %s col %d: %s\n", s.File, s.Type, s.Column, s.Source)
	}
	if *known == "" {
		return 0
	}
	list, err := readKnown(*known)
	if err != nil {
		fmt.Fprintf(stderr, "mutationsurvivors: %v\n", err)
		return 2
	}
	seen := map[string]bool{}
	var fresh []survivor
	for _, s := range got {
		seen[s.key()] = true
		if !list[s.key()] {
			fresh = append(fresh, s)
		}
	}
	// Listed survivors of the files this run covered that no longer survive: the list
	// can be trimmed (files a narrower run excluded, such as the CI sample's, are not
	// reported).
	var gone []string
	for k := range list {
		if !seen[k] && ran[strings.SplitN(k, "\t", 2)[0]] {
			gone = append(gone, k)
		}
	}
	sort.Strings(gone)
	for _, k := range gone {
		fmt.Fprintf(stdout, "note: listed in %s but did not survive this run (killed, timed out or not run): %s\n", *known, strings.ReplaceAll(k, "\t", " | "))
	}
	if len(fresh) > 0 {
		fmt.Fprintf(stdout, "\n%d new surviving mutant(s), not in %s:\n", len(fresh), *known)
		for _, s := range fresh {
			fmt.Fprintf(stdout, "  %s %s col %d: %s\n", s.File, s.Type, s.Column, s.Source)
		}
		fmt.Fprintf(stdout, "Kill each with a test, or, if it is equivalent, add it to %s with the reason (go run ./scripts/mutationsurvivors -write ... prints the lines).\n", *known)
		return 1
	}
	fmt.Fprintf(stdout, "no new surviving mutant (%d known)\n", len(got))
	return 0
}

// counts are a report's mutants per status.
type counts map[string]int

func (c counts) String() string {
	ran := c["KILLED"] + c["LIVED"] + c["TIMED OUT"]
	return fmt.Sprintf("%d mutants ran: %d killed, %d survived, %d timed out; %d not covered, %d not viable",
		ran, c["KILLED"], c["LIVED"], c["TIMED OUT"], c["NOT COVERED"], c["NOT VIABLE"])
}

// readReport reads one gremlins report of the package in dir and returns its survivors
// and its counts; it adds the files the report covers to ran.
func readReport(dir, file string, ran map[string]bool) ([]survivor, counts, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: reading report: %v", errBadInput, err)
	}
	var r report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: not a gremlins JSON report: %v", errBadInput, file, err)
	}
	c := counts{}
	var out []survivor
	lines := map[string][]string{}
	for _, f := range r.Files {
		path := filepath.ToSlash(filepath.Join(dir, f.Filename))
		ran[path] = true
		for _, m := range f.Mutations {
			c[m.Status]++
			if m.Status != "LIVED" {
				continue
			}
			src, ok := lines[path]
			if !ok {
				b, err := os.ReadFile(path)
				if err != nil {
					return nil, nil, fmt.Errorf("%w: %s names %s: %v", errBadInput, file, path, err)
				}
				src = strings.Split(string(b), "\n")
				lines[path] = src
			}
			if m.Line < 1 || m.Line > len(src) || m.Column < 1 {
				return nil, nil, fmt.Errorf("%w: %s: mutant at %s:%d:%d is outside the file", errBadInput, file, path, m.Line, m.Column)
			}
			l := src[m.Line-1]
			trimmed := strings.TrimSpace(l)
			lead := len(l) - len(strings.TrimLeft(l, " \t"))
			out = append(out, survivor{File: path, Type: m.Type, Column: m.Column - 1 - lead, Source: trimmed})
		}
	}
	return out, c, nil
}

// readKnown reads the known-survivors file into a set of keys.
func readKnown(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: reading known survivors: %v", errBadInput, err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		parts := strings.Split(l, "\t")
		if len(parts) != 5 {
			return nil, fmt.Errorf("%w: %s:%d: want 5 tab-separated fields (file, type, column, source line, why), got %d", errBadInput, path, n, len(parts))
		}
		if _, err := strconv.Atoi(parts[2]); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: field 3 (column): want a number, got %q", errBadInput, path, n, parts[2])
		}
		if strings.TrimSpace(parts[4]) == "" || strings.HasPrefix(parts[4], "TODO") {
			return nil, fmt.Errorf("%w: %s:%d: field 5 (why): say why this survivor is equivalent or left", errBadInput, path, n)
		}
		out[strings.Join(parts[:4], "\t")] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errBadInput, path, err)
	}
	return out, nil
}
