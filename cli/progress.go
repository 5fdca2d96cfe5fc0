package cli

import (
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/progress"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/reports"
)

// progressQuiet is the root's --quiet flag: no progress output at all.
var progressQuiet bool

// addProgressFlags registers --quiet on the root command (every subcommand inherits it).
func addProgressFlags(root *cobra.Command) {
	root.PersistentFlags().BoolVarP(&progressQuiet, "quiet", "q", false,
		"print no progress on stderr (results and errors are still printed)")
}

// progressOf is a command's progress reporter (package progress) as the commands use
// it; total may be set once known (sweep), before the next step.
type progressOf struct {
	r     *progress.Reporter
	total int
}

// newProgress returns the progress on stderr of a command with total units to do
// (nothing with --quiet).
func newProgress(label string, total int) *progressOf {
	return &progressOf{r: progress.New(label, total, progressQuiet), total: total}
}

func (p *progressOf) sync() {
	p.r.SetTotal(p.total)
}

func (p *progressOf) step(n int)                      { p.sync(); p.r.Step(n) }
func (p *progressOf) found(n int)                     { p.r.Found(n) }
func (p *progressOf) setNote(s string)                { p.r.SetNote(s) }
func (p *progressOf) setUnit(s string)                { p.r.SetUnit(s) }
func (p *progressOf) logWriter(w io.Writer) io.Writer { return p.r.LogWriter(w) }
func (p *progressOf) finish()                         { p.r.Finish() }

// setBudget makes the status show the time left of a --for budget of d instead of an ETA.
func (p *progressOf) setBudget(d time.Duration) { p.r.SetBudget(d) }

// stepRun records one run done, and a run with findings when r had any.
func (p *progressOf) stepRun(r *runner.Run) {
	p.sync()
	p.r.StepRun(r != nil && len(r.Check.Findings) > 0)
}

// count is "1 run", "3 runs" (reports.Count).
func count(n int, noun string) string { return reports.Count(n, noun) }
