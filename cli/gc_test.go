package cli

import (
	"io"
	"math"
	"runtime/debug"
	"testing"
)

// TestSimulationGC: a simulation command sets GOGC 400 and the 4 GiB memory limit unless
// the user's GOGC or GOMEMLIMIT is set, which it leaves alone (package gc); check,
// report, live etcd and list leave both alone.
func TestSimulationGC(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	root := newRoot()
	for _, c := range []struct {
		args        []string
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{[]string{"run"}, nil, 400, 4 << 30},
		{[]string{"suite"}, nil, 400, 4 << 30},
		{[]string{"tune"}, map[string]string{"GOGC": "50"}, 100, 4 << 30},
		{[]string{"sweep"}, map[string]string{"GOMEMLIMIT": "1GiB"}, 400, math.MaxInt64},
		{[]string{"explore"}, map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, 100, math.MaxInt64},
		{[]string{"check"}, nil, 100, math.MaxInt64},
		{[]string{"report"}, nil, 100, math.MaxInt64},
		{[]string{"live", "etcd"}, nil, 100, math.MaxInt64},
		{[]string{"list"}, nil, 100, math.MaxInt64},
	} {
		cmd, _, err := root.Find(c.args)
		if err != nil {
			t.Fatal(err)
		}
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		useSimulationGC(cmd, func(k string) string { return c.env[k] })
		if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != c.wantPercent || l != c.wantLimit {
			t.Errorf("%v with %v: GOGC %d, memory limit %d; want %d, %d", c.args, c.env, p, l, c.wantPercent, c.wantLimit)
		}
	}
}

// TestSimulationGCHook: the command line sets the collector before a simulation command
// runs (here bench, which then refuses its flag), and not for list.
func TestSimulationGCHook(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"list"}, 100},
		{[]string{"bench", "--runs", "0"}, 400},
	} {
		Execute(c.args, io.Discard, io.Discard)
		if p := debug.SetGCPercent(100); p != c.want {
			t.Errorf("%v: GOGC %d, want %d", c.args, p, c.want)
		}
	}
}
