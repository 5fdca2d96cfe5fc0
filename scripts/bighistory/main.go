// Command bighistory writes a large synthetic history (JSON lines) for timing
// `leasesim check` (BENCHMARKS.md), and with -decode times the floor check is measured
// against, a bare encoding/json decode loop over a file:
//
//	go run ./scripts/bighistory -claims 1000000 -o /tmp/h1m.jsonl
//	go build -o /tmp/bighistory ./scripts/bighistory && /usr/bin/time /tmp/bighistory -decode /tmp/h1m.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/benchdata"
)

func main() {
	n := flag.Int("claims", 1_000_000, "number of claims")
	every := flag.Int("overlap-every", 1000, "one term in this many overlaps the previous one (0: none)")
	seed := flag.Uint64("seed", 1, "seed")
	out := flag.String("o", "", "output file (required, unless -decode)")
	decode := flag.String("decode", "", "instead: decode this file with a bare encoding/json loop and print the time")
	read := flag.String("read", "", "instead: read this file with history.Read (every record checked, as check does) and print the time")
	flag.Parse()
	if *decode != "" || *read != "" {
		start := time.Now()
		var h *history.History
		var err error
		if *decode != "" {
			h, err = bareDecode(*decode)
		} else {
			h, err = readFile(*read)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bighistory:", err)
			os.Exit(1)
		}
		fmt.Printf("%d claims in %.3f s\n", len(h.Claims), time.Since(start).Seconds())
		return
	}
	if *out == "" || *n < 1 || *every < 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: bighistory -o FILE [-claims N] [-overlap-every K] [-seed S]")
		os.Exit(2)
	}
	if err := write(*out, *n, *every, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bighistory:", err)
		os.Exit(1)
	}
}

func write(path string, n, every int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := benchdata.Claims(n, every, seed).Write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// bareDecode is the floor `leasesim check` is measured against: one encoding/json decode
// of each line into its record's struct, no checks at all (the record type taken from the
// line's first bytes, as a lenient reader would), into an in-memory history.
func bareDecode(path string) (*history.History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := &history.History{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte(`{"type":"claim"`)):
			var c history.Claim
			err = json.Unmarshal(line, &c)
			h.Claims = append(h.Claims, c)
		case bytes.HasPrefix(line, []byte(`{"type":"write"`)):
			var w history.Write
			err = json.Unmarshal(line, &w)
			h.Writes = append(h.Writes, w)
		case bytes.HasPrefix(line, []byte(`{"type":"op"`)):
			var o history.Op
			err = json.Unmarshal(line, &o)
			h.Ops = append(h.Ops, o)
		default:
			err = json.Unmarshal(line, &h.Meta)
		}
		if err != nil {
			return nil, err
		}
	}
	return h, sc.Err()
}

// readFile reads a history as `leasesim check` does.
func readFile(path string) (*history.History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return history.Read(f, path)
}
