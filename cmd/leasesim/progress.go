package main

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// progress prints a one-line, self-overwriting progress indicator on a terminal and
// nothing elsewhere (CI logs, pipes): long work shows progress on a terminal and stays
// quiet in CI.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	enabled bool
	label   string
	total   int
	done    int
}

// newProgress returns a progress line on stderr, enabled only when stderr is a terminal
// and CI is not set.
func newProgress(label string, total int) *progress {
	return &progress{w: os.Stderr, enabled: isTerminal(os.Stderr) && os.Getenv("CI") == "", label: label, total: total}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// step records n more units done.
func (p *progress) step(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.enabled {
		fmt.Fprintf(p.w, "\r%s %d/%d", p.label, p.done, p.total)
	}
}

// finish clears the line.
func (p *progress) finish() {
	if p != nil && p.enabled {
		fmt.Fprintf(p.w, "\r\033[K")
	}
}
