package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/result"
)

// Mode is how a Reporter writes: nothing, a self-overwriting bar (a terminal), or a
// plain line every LineEvery (CI logs, pipes, files).
type Mode int

// The modes.
const (
	Off Mode = iota
	Bar
	Lines
)

const (
	// LineEvery is how often the line mode prints: often enough that a CI log shows the
	// command is alive, rarely enough that a long run does not flood it.
	LineEvery = 10 * time.Second
	// barEvery is how often the bar is redrawn at most.
	barEvery = 200 * time.Millisecond
	barWidth = 24
)

// Reporter is the progress of one command (see the package comment).
type Reporter struct {
	mu       sync.Mutex
	w        io.Writer
	mode     Mode
	now      func() time.Time
	label    string
	unit     string
	total    int
	done     int
	findings int
	note     string
	budget   time.Duration // --for: the status says how much of it is left instead of an ETA
	start    time.Time
	last     time.Time // when the bar was last drawn
	next     time.Time // when the next line is due (line mode): start + k·LineEvery
	printed  bool      // whether a line was printed in line mode
	stop     chan struct{}
	stopped  sync.WaitGroup
}

// New returns the progress on stderr of a command that has total units (runs, by
// default) to do: a bar when stderr is a terminal, a line every LineEvery otherwise, and
// nothing when quiet. A ticker keeps the output moving while a unit takes long; Finish
// stops it.
func New(label string, total int, quiet bool) *Reporter {
	mode := Lines
	switch {
	case quiet:
		mode = Off
	case IsTerminal(os.Stderr):
		mode = Bar
	}
	p := NewTo(os.Stderr, mode, time.Now, label, total)
	if mode != Off {
		tick := LineEvery
		if mode == Bar {
			tick = time.Second
		}
		p.stop = make(chan struct{})
		p.stopped.Add(1)
		go p.tickEvery(tick)
	}
	return p
}

// NewTo is New writing to w in mode, with now as its clock and no ticker: tests drive
// it through Step and Tick.
func NewTo(w io.Writer, mode Mode, now func() time.Time, label string, total int) *Reporter {
	t := now()
	return &Reporter{w: w, mode: mode, now: now, label: label, unit: "runs", total: total, start: t, last: t,
		next: t.Add(LineEvery)}
}

// IsTerminal reports whether f is a terminal: a character device that answers the
// terminal ioctl. /dev/null is a character device but not a terminal.
func IsTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

func (p *Reporter) tickEvery(d time.Duration) {
	defer p.stopped.Done()
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.Tick()
		}
	}
}

// Step records n more units done.
func (p *Reporter) Step(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.maybeWrite(false)
}

// StepRun records one run done, and a run with findings when withFindings.
func (p *Reporter) StepRun(withFindings bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if withFindings {
		p.findings++
	}
	p.maybeWrite(false)
}

// Found records n more findings (runs or trials with a violation).
func (p *Reporter) Found(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.findings += n
}

// SetNote replaces the ETA with a word on what the command does now ("shrinking"), for
// work whose end no longer follows from the rate.
func (p *Reporter) SetNote(s string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.note = s
}

// SetBudget makes the status show the time left of a --for budget of d (0: none)
// instead of an ETA; the total may then be 0 (no maximum).
func (p *Reporter) SetBudget(d time.Duration) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.budget = d
}

// SetTotal sets the number of units to do, once it is known.
func (p *Reporter) SetTotal(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = n
}

// SetUnit names what total counts ("runs", "trials").
func (p *Reporter) SetUnit(s string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unit = s
}

// LogWriter returns a writer for log lines that share stderr with the progress: on a
// terminal each write first clears the bar and then draws it again below the log line;
// elsewhere the writes pass through unchanged.
func (p *Reporter) LogWriter(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return &logWriter{p: p, w: w}
}

type logWriter struct {
	p *Reporter
	w io.Writer
}

func (l *logWriter) Write(b []byte) (int, error) {
	p := l.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode != Bar {
		return l.w.Write(b)
	}
	fmt.Fprint(p.w, "\r\033[K")
	n, err := l.w.Write(b)
	if len(b) > 0 && b[len(b)-1] == '\n' {
		fmt.Fprintf(p.w, "%s %s\033[K", p.bar(), p.status(p.now()))
	}
	return n, err
}

// Tick writes the progress if it is due; the ticker calls it so that the output moves
// while a unit takes long.
func (p *Reporter) Tick() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.maybeWrite(true)
}

// maybeWrite writes a line (line mode) or redraws the bar when it is due. Called with
// p.mu held.
func (p *Reporter) maybeWrite(fromTicker bool) {
	now := p.now()
	switch p.mode {
	case Lines:
		// Lines are due on a fixed grid from the start, so that a line printed by a step
		// just after a tick does not push the next one a whole period later.
		if !now.Before(p.next) {
			fmt.Fprintln(p.w, p.status(now))
			p.printed = true
			for !p.next.After(now) {
				p.next = p.next.Add(LineEvery)
			}
		}
	case Bar:
		if fromTicker || now.Sub(p.last) >= barEvery || p.done == p.total {
			fmt.Fprintf(p.w, "\r%s %s\033[K", p.bar(), p.status(now))
			p.last = now
		}
	}
}

// Finish stops the ticker and ends the output: the bar is cleared; in line mode a
// closing line is printed when a line was, so that the log shows the end too.
func (p *Reporter) Finish() {
	if p == nil {
		return
	}
	if p.stop != nil {
		close(p.stop)
		p.stopped.Wait()
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.mode {
	case Bar:
		fmt.Fprint(p.w, "\r\033[K")
	case Lines:
		if p.printed {
			now := p.now()
			el := now.Sub(p.start)
			done := fmt.Sprintf("%d/%d", p.done, p.total)
			if p.total == 0 {
				done = fmt.Sprint(p.done)
			}
			fmt.Fprintf(p.w, "%s: %s %s in %s (%s), %s\n", p.label, done, p.unit,
				roughDuration(el), p.rate(el), withFindings(p.findings, p.unit))
		}
	}
	p.mode = Off
}

// status is "suite: 40/120 runs (33%), 5.2 runs/s, ETA 15s, 2 findings, 8s elapsed".
func (p *Reporter) status(now time.Time) string {
	el := now.Sub(p.start)
	var b strings.Builder
	if p.total > 0 {
		fmt.Fprintf(&b, "%s: %d/%d %s", p.label, p.done, p.total, p.unit)
	} else {
		fmt.Fprintf(&b, "%s: %d %s", p.label, p.done, p.unit)
	}
	if p.total > 0 {
		fmt.Fprintf(&b, " (%d%%)", p.done*100/p.total)
	}
	fmt.Fprintf(&b, ", %s", p.rate(el))
	switch {
	case p.note != "":
		fmt.Fprintf(&b, ", %s", p.note)
	case p.budget > 0:
		fmt.Fprintf(&b, ", %s left of --for %s", roughDuration(max(0, p.budget-el)), result.FormatDuration(p.budget))
	case p.done > 0 && p.done < p.total && el > 0:
		left := time.Duration(float64(el) / float64(p.done) * float64(p.total-p.done))
		fmt.Fprintf(&b, ", ETA %s", roughDuration(left))
	case p.done == 0:
		b.WriteString(", ETA unknown")
	}
	fmt.Fprintf(&b, ", %s, %s elapsed", withFindings(p.findings, p.unit), roughDuration(el))
	return b.String()
}

// rate is "5.2 runs/s", or "12.0 s/trial" when a unit takes longer than a second.
func (p *Reporter) rate(el time.Duration) string {
	if p.done == 0 || el <= 0 {
		return "0 " + p.unit + "/s"
	}
	r := float64(p.done) / el.Seconds()
	if r >= 1 {
		return fmt.Sprintf("%.1f %s/s", r, p.unit)
	}
	return fmt.Sprintf("%.1f s/%s", 1/r, strings.TrimSuffix(p.unit, "s"))
}

// bar is "[#########...............]".
func (p *Reporter) bar() string {
	n := 0
	if p.total > 0 {
		n = min(p.done*barWidth/p.total, barWidth)
	}
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", barWidth-n) + "]"
}

// roughDuration rounds d for people: "850ms", "42s", "3m20s", "1h02m".
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	default:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}

// withFindings is "0 with findings", "1 run with findings", "3 runs with findings":
// units (runs, trials) with at least one violation, expected ones included.
func withFindings(n int, unit string) string {
	if n == 0 {
		return "0 with findings"
	}
	return reports.Count(n, strings.TrimSuffix(unit, "s")) + " with findings"
}
