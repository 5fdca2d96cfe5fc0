package explore

import (
	"flag"
	"fmt"
	"strconv"
	"testing"
	"time"
)

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
