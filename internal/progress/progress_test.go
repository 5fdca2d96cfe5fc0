package progress

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestProgressLinesWithoutTerminal(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := NewTo(&out, Lines, clk.now, "suite", 10)
	p.StepRun(true)
	clk.advance(5 * time.Second)
	p.StepRun(false)
	p.Tick()
	if out.Len() != 0 {
		t.Fatalf("printed before 10s: %q", out.String())
	}
	clk.advance(5 * time.Second)
	p.StepRun(false)
	p.StepRun(false) // the line was printed at the third run
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := "suite: 3/10 runs (30%), 3.3 s/run, ETA 23s, 1 run with findings, 10s elapsed"
	if len(lines) != 1 || lines[0] != want {
		t.Fatalf("after 10s: %q, want one line %q", out.String(), want)
	}
	// The ticker prints while a run takes long, even with no step.
	clk.advance(10 * time.Second)
	p.Tick()
	if got := strings.Count(out.String(), "\n"); got != 2 {
		t.Fatalf("after 20s with a tick: %d lines: %q", got, out.String())
	}
	if !strings.Contains(out.String(), "suite: 4/10 runs (40%), 5.0 s/run, ETA 30s, 1 run with findings, 20s elapsed\n") {
		t.Errorf("second line: %q", out.String())
	}
	for range 6 {
		p.StepRun(false)
	}
	clk.advance(2 * time.Second)
	p.Finish()
	if !strings.HasSuffix(out.String(), "\nsuite: 10/10 runs in 22s (2.2 s/run), 1 run with findings\n") {
		t.Errorf("closing line: %q", out.String())
	}
	if strings.Contains(out.String(), "\r") || strings.Contains(out.String(), "\033") {
		t.Errorf("line mode wrote terminal controls: %q", out.String())
	}
}

func TestProgressShortCommandPrintsNothing(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Lines, clk.now, "sweep x", 3)
	for range 3 {
		clk.advance(time.Second)
		p.Step(1)
	}
	p.Finish()
	if out.Len() != 0 {
		t.Errorf("a 3s command printed %q", out.String())
	}
}

func TestProgressRateAndEta(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Lines, clk.now, "sweep s", 1000)
	clk.advance(10 * time.Second)
	p.Step(250) // 25 runs/s, 750 left: 30s
	want := "sweep s: 250/1000 runs (25%), 25.0 runs/s, ETA 30s, 0 with findings, 10s elapsed\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestProgressNoteReplacesEta(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Lines, clk.now, "explore x", 100)
	p.Step(1)
	p.Found(1)
	p.SetNote("shrinking")
	clk.advance(70 * time.Second)
	p.Tick()
	want := "explore x: 1/100 runs (1%), 70.0 s/run, shrinking, 1 run with findings, 1m10s elapsed\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestProgressBarOnTerminal(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Bar, clk.now, "suite", 4)
	p.SetUnit("trials")
	clk.advance(time.Second)
	p.Step(2)
	if !strings.HasPrefix(out.String(), "\r[############............] suite: 2/4 trials (50%), 2.0 trials/s, ETA 1s") {
		t.Errorf("bar: %q", out.String())
	}
	p.Finish()
	if !strings.HasSuffix(out.String(), "\r\033[K") {
		t.Errorf("bar not cleared: %q", out.String())
	}
}

func TestProgressQuietAndNil(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Off, clk.now, "suite", 4)
	clk.advance(time.Hour)
	p.Step(4)
	p.Tick()
	p.Finish()
	if out.Len() != 0 {
		t.Errorf("off mode printed %q", out.String())
	}
	var nilp *Reporter
	nilp.Step(1)
	nilp.StepRun(true)
	nilp.Found(1)
	nilp.Tick()
	nilp.Finish()

	q := New("suite", 4, true)
	defer q.Finish()
	if q.mode != Off || q.stop != nil {
		t.Errorf("quiet: mode %d, ticker %v; want off and none", q.mode, q.stop != nil)
	}
}

func TestIsTerminal(t *testing.T) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	if st, _ := devnull.Stat(); runtime.GOOS != "windows" && st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is not a character device here", os.DevNull)
	}
	if IsTerminal(devnull) {
		t.Errorf("%s taken for a terminal", os.DevNull)
	}
	f, err := os.CreateTemp(t.TempDir(), "plain")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file taken for a terminal")
	}
	if runtime.GOOS == "linux" {
		ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		defer ptmx.Close()
		if !IsTerminal(ptmx) {
			t.Error("a pseudo-terminal not taken for a terminal")
		}
	}
}

// TestProgressLinesKeepTheirPeriod: a line printed by a step just after a tick's due time
// does not delay the next line by a whole period.
func TestProgressLinesKeepTheirPeriod(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Lines, clk.now, "suite", 100)
	clk.advance(11 * time.Second)
	p.Step(1) // due since 10s: printed at 11s
	clk.advance(9 * time.Second)
	p.Tick() // 20s: due again
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("%d lines by 20s, want 2: %q", n, out.String())
	}
	clk.advance(35 * time.Second)
	p.Tick() // 55s: one line, not one per missed period
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("%d lines by 55s, want 3: %q", n, out.String())
	}
}

// TestProgressLogWriter: on a terminal a log line clears the bar and the bar is drawn
// again after it; elsewhere log lines pass through untouched.
func TestProgressLogWriter(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Bar, clk.now, "live etcd", 2)
	clk.advance(time.Second)
	p.Step(1)
	out.Reset()
	fmt.Fprintf(p.LogWriter(&out), "trial 0 partition\n")
	if got := out.String(); !strings.HasPrefix(got, "\r\033[Ktrial 0 partition\n[") || !strings.Contains(got, "live etcd: 1/2 runs") {
		t.Errorf("bar mode: %q", got)
	}
	out.Reset()
	q := NewTo(&out, Lines, clk.now, "live etcd", 2)
	fmt.Fprintf(q.LogWriter(&out), "trial 0 partition\n")
	if out.String() != "trial 0 partition\n" {
		t.Errorf("line mode: %q", out.String())
	}
}

// TestProgressBudget: under --for with no maximum the line counts runs without a total
// and shows the time left of the budget instead of an ETA.
func TestProgressBudget(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0)}
	p := NewTo(&out, Lines, clk.now, "suite", 0)
	p.SetBudget(30 * time.Minute)
	clk.advance(10 * time.Second)
	p.Step(50)
	p.Finish()
	want := "suite: 50 runs, 5.0 runs/s, 29m50s left of --for 30m, 0 with findings, 10s elapsed\nsuite: 50 runs in 10s (5.0 runs/s), 0 with findings\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
