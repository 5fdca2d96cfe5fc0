package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// usage is what one command took: wall time, CPU time (user + system), peak RSS and what
// it printed.
type usage struct {
	Wall, CPU time.Duration
	// MaxRSS is the peak resident set size in bytes, 0 where the platform does not say.
	MaxRSS int64
	Code   int
	Stdout []byte
}

// runner builds the binaries the tables need into a temporary directory and runs them,
// printing each step on its log with the time since it started.
type runner struct {
	ctx   context.Context
	root  string
	tmp   string
	log   io.Writer
	start time.Time
	built map[string]string
}

// step prints one line of progress.
func (r *runner) step(format string, args ...any) {
	el := time.Since(r.start).Round(time.Second)
	fmt.Fprintf(r.log, "benchtables: [%02d:%02d] %s\n", int(el.Minutes()), int(el.Seconds())%60, fmt.Sprintf(format, args...))
}

// builds are the binaries tables can ask for, with the command that builds each (the
// output path is appended).
var builds = map[string][]string{
	"leasesim":     {"go", "build", "-o", "", "./cmd/leasesim"},
	"bighistory":   {"go", "build", "-o", "", "./scripts/bighistory"},
	"sim.test":     {"go", "test", "-c", "-o", "", "./sim"},
	"checker.test": {"go", "test", "-c", "-o", "", "./checker"},
}

// bin returns the path of binary name, building it on first use.
func (r *runner) bin(name string) (string, error) {
	if p, ok := r.built[name]; ok {
		return p, nil
	}
	cmdline, ok := builds[name]
	if !ok {
		return "", fmt.Errorf("no build for %q", name)
	}
	out := filepath.Join(r.tmp, name)
	args := slices.Clone(cmdline)
	args[slices.Index(args, "")] = out
	r.step("build %s: %s", name, strings.Join(args, " "))
	if _, err := r.exec([]int{0}, args[0], args[1:]...); err != nil {
		return "", err
	}
	r.built[name] = out
	return out, nil
}

// exec runs a command in the repository root and returns its usage; an exit code not
// in ok is an error that quotes the end of its stderr.
func (r *runner) exec(ok []int, name string, args ...string) (usage, error) {
	cmd := exec.CommandContext(r.ctx, name, args...)
	cmd.Dir = r.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = os.Environ()
	start := time.Now()
	err := cmd.Run()
	u := usage{Wall: time.Since(start), Stdout: stdout.Bytes()}
	if cmd.ProcessState == nil {
		return u, fmt.Errorf("%s: %v", name, err)
	}
	u.Code = cmd.ProcessState.ExitCode()
	u.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	u.MaxRSS = maxRSS(cmd.ProcessState)
	if r.ctx.Err() != nil {
		return u, r.ctx.Err()
	}
	if !slices.Contains(ok, u.Code) {
		tail := stderr.String()
		if len(tail) > 2000 {
			tail = "…" + tail[len(tail)-2000:]
		}
		return u, fmt.Errorf("%s %s: exit code %d, expected %v:\n%s", name, strings.Join(args, " "), u.Code, ok, tail)
	}
	return u, nil
}
