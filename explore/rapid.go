package explore

import (
	"flag"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

// rapidMu serialises the searches and shrinks of the process: rapid reads its check
// count, seed and shrink time from global flags. Hold it around initRapid and
// rapid.Check.
var rapidMu sync.Mutex

// withRapid runs f under rapidMu with rapid set up by initRapid, and puts rapid's flags
// back afterwards, so that the rapid checks of a test that shrinks (leasesimtest's
// Shrink) keep their own settings.
func withRapid(budget int, seed uint64, shrinkTime time.Duration, f func()) error {
	rapidMu.Lock()
	defer rapidMu.Unlock()
	var saved [][2]string
	for _, name := range rapidFlags {
		if flag.Lookup(name) != nil {
			saved = append(saved, [2]string{name, flagValue(name)})
		}
	}
	defer func() {
		for _, kv := range saved {
			flag.Set(kv[0], kv[1])
		}
	}()
	if err := initRapid(budget, seed, shrinkTime); err != nil {
		return err
	}
	f()
	return nil
}

// rapidFlags are the flags initRapid sets.
var rapidFlags = []string{"rapid.checks", "rapid.seed", "rapid.nofailfile", "rapid.shrinktime"}

// initRapid prepares rapid to run outside `go test`: the testing flags must exist and be
// parsed before rapid reads testing.Short, and rapid takes its check count, seed and
// shrink time from its own flags.
func initRapid(budget int, seed uint64, shrinkTime time.Duration) error {
	if flag.Lookup("test.short") == nil {
		testing.Init()
	}
	if !flag.Parsed() {
		if err := flag.CommandLine.Parse(nil); err != nil {
			return err
		}
	}
	for _, kv := range [][2]string{
		{"rapid.checks", strconv.Itoa(budget)},
		{"rapid.seed", strconv.FormatUint(seed, 10)},
		{"rapid.nofailfile", "true"},
		{"rapid.shrinktime", shrinkTime.String()},
	} {
		if err := flag.Set(kv[0], kv[1]); err != nil {
			return fmt.Errorf("explore: setting %s: %w", kv[0], err)
		}
	}
	return nil
}

// quietTB is the rapid.TB that Search hands to rapid.Check outside `go test`: it records
// failure and otherwise stays quiet (rapid's own report repeats what explore prints).
type quietTB struct {
	failed bool
}

func (*quietTB) Helper()                 {}
func (*quietTB) Name() string            { return "explore" }
func (*quietTB) Logf(string, ...any)     {}
func (*quietTB) Log(...any)              {}
func (*quietTB) Skipf(string, ...any)    {}
func (*quietTB) Skip(...any)             {}
func (*quietTB) SkipNow()                {}
func (t *quietTB) Errorf(string, ...any) { t.failed = true }
func (t *quietTB) Error(...any)          { t.failed = true }
func (t *quietTB) Fatalf(string, ...any) { t.failed = true }
func (t *quietTB) Fatal(...any)          { t.failed = true }
func (t *quietTB) FailNow()              { t.failed = true }
func (t *quietTB) Fail()                 { t.failed = true }
func (t *quietTB) Failed() bool          { return t.failed }

// flagValue is the value of the named flag ("" when there is none).
func flagValue(name string) string {
	if fl := flag.Lookup(name); fl != nil {
		return fl.Value.String()
	}
	return ""
}
