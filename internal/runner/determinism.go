package runner

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/scenarios"
)

// NondeterminismError says that two runs of the same scenario and seed did not record the
// same thing: a bug in leasesim or in the protocol's model (which must take all its
// randomness and time from its sim.Env), never a property of the protocol under test.
//
// What names what differed ("event" for the transcripts of two single runs, "history
// record" for the recorded histories); Line is the 1-based line of the first difference
// and First, Second that line in each run ("" when that run had no such line). Digests are
// the two histories' history.Digest values.
type NondeterminismError struct {
	Scenario      string
	Seed          uint64
	Digests       [2]string
	What          string
	Line          int
	First, Second string
}

func (e *NondeterminismError) Error() string {
	show := func(s string) string {
		if s == "" {
			return "(nothing: its record ends before this line)"
		}
		const max = 2000
		if len(s) > max {
			return s[:max] + " …"
		}
		return s
	}
	return fmt.Sprintf("nondeterminism: %s seed %d ran twice with different results (history digests %.12s… and %.12s…); the first differing %s, line %d:\n  first run:  %s\n  second run: %s\n"+
		"a run must depend only on its scenario and seed: this is a bug in leasesim or in the protocol's model; please report it",
		e.Scenario, e.Seed, e.Digests[0], e.Digests[1], e.What, e.Line, show(e.First), show(e.Second))
}

// RunSeedTwice runs one seed of a scenario twice and returns the first run, or a
// *NondeterminismError when the second run's transcript or history differs from the
// first's (the first differing event of the transcripts when they differ, else the first
// differing history record). opt.Trace, when set, receives the first run's transcript.
func RunSeedTwice(sc *scenarios.Scenario, seed uint64, opt Options) (*Run, error) {
	var t1, t2 bytes.Buffer
	o1, o2 := opt, opt
	o1.Trace, o2.Trace = &t1, &t2
	if opt.Trace != nil {
		o1.Trace = io.MultiWriter(&t1, opt.Trace)
	}
	r1, err := RunSeed(sc, seed, o1)
	if err != nil {
		return nil, err
	}
	r2, err := RunSeed(sc, seed, o2)
	if err != nil {
		return nil, err
	}
	d1, d2, err := digests(r1.History, r2.History)
	if err != nil {
		return nil, err
	}
	if line, a, b, differ := firstDifference(t1.Bytes(), t2.Bytes(), false); differ {
		return r1, &NondeterminismError{Scenario: sc.Name, Seed: seed, Digests: [2]string{d1, d2}, What: "event", Line: line, First: a, Second: b}
	}
	if d1 != d2 {
		e := historyDifference(sc.Name, seed, r1.History, r2.History)
		e.Digests = [2]string{d1, d2}
		return r1, e
	}
	return r1, nil
}

func digests(a, b *history.History) (string, string, error) {
	d1, err := history.Digest(a)
	if err != nil {
		return "", "", err
	}
	d2, err := history.Digest(b)
	return d1, d2, err
}

// historyDifference describes how two histories differ: their first differing record.
func historyDifference(scenario string, seed uint64, a, b *history.History) *NondeterminismError {
	var ja, jb bytes.Buffer
	a.Write(&ja)
	b.Write(&jb)
	return jsonlDifference(scenario, seed, ja.Bytes(), jb.Bytes())
}

func jsonlDifference(scenario string, seed uint64, a, b []byte) *NondeterminismError {
	e := &NondeterminismError{Scenario: scenario, Seed: seed, What: "history record",
		Digests: [2]string{digestOf(a), digestOf(b)}}
	// The meta record (line 1) differs whenever anything does, through the trace hash and
	// the counts; a differing claim, write or operation says more, so it comes first.
	e.Line, e.First, e.Second, _ = firstDifference(a, b, true)
	return e
}

// firstDifference returns the first line at which a and b differ (1-based), and that line
// of each. With metaLast, line 1 is compared only when every other line agrees.
func firstDifference(a, b []byte, metaLast bool) (int, string, string, bool) {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	at := func(ls [][]byte, i int) string {
		if i < len(ls) {
			return string(ls[i])
		}
		return ""
	}
	start := 0
	if metaLast {
		start = 1
	}
	for i := start; i < max(len(la), len(lb)); i++ {
		if x, y := at(la, i), at(lb, i); x != y || (i < len(la)) != (i < len(lb)) {
			return i + 1, x, y, true
		}
	}
	if metaLast && at(la, 0) != at(lb, 0) {
		return 1, at(la, 0), at(lb, 0), true
	}
	return 0, "", "", false
}

// Recorder keeps what the first pass of a suite recorded for each job — its history's
// digest and, compressed, the history itself — so that Recheck can compare a second run
// with it. Record it from SuiteOptions.OnRun (which sees every history).
type Recorder struct {
	mu   sync.Mutex
	runs map[Job]recorded
	err  error
}

type recorded struct {
	digest string
	gz     []byte
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{runs: map[Job]recorded{}} }

// Record keeps job j's run.
func (r *Recorder) Record(j Job, run *Run) {
	var b bytes.Buffer
	d, err := history.Digest(run.History)
	if err == nil {
		zw := gzip.NewWriter(&b)
		err = run.History.Write(zw)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if r.err == nil {
			r.err = fmt.Errorf("recording the history of scenario #%d seed %d: %w", j.Scenario+1, j.Seed, err)
		}
		return
	}
	r.runs[j] = recorded{digest: d, gz: b.Bytes()}
}

// Recheck runs the jobs a second time, in reverse order — so that each job runs after
// other jobs than the first time, on whichever worker is free — and compares every
// history with the one rec recorded. It returns the first difference in job order as a
// *NondeterminismError, an *InternalError when a second run panicked, ctx's error when it
// was cancelled, or nil when every job recorded the same history twice. Jobs rec has no
// record of (they did not finish the first time) are not run.
func Recheck(ctx context.Context, scs []*scenarios.Scenario, jobs []Job, opt SuiteOptions, rec *Recorder) error {
	if rec.err != nil {
		return rec.err
	}
	var again []Job
	for _, j := range slices.Backward(jobs) {
		if _, ok := rec.runs[j]; ok {
			again = append(again, j)
		}
	}
	found := map[Job]*NondeterminismError{}
	var mu sync.Mutex
	second := SuiteOptions{Options: opt.Options, Workers: opt.Workers,
		OnRun: func(j Job, run *Run) {
			first := rec.runs[j]
			d, err := history.Digest(run.History)
			if err == nil && d == first.digest {
				return
			}
			var b bytes.Buffer
			run.History.Write(&b)
			a, zerr := gunzip(first.gz)
			if zerr != nil {
				panic(zerr)
			}
			e := jsonlDifference(scs[j.Scenario].Name, j.Seed, a, b.Bytes())
			mu.Lock()
			found[j] = e
			mu.Unlock()
		}}
	if _, err := RunJobs(ctx, scs, again, second); err != nil {
		return err
	}
	for _, j := range jobs {
		if e := found[j]; e != nil {
			return e
		}
	}
	return nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func digestOf(jsonl []byte) string {
	h, err := history.Read(bytes.NewReader(jsonl), "history")
	if err != nil {
		return "?"
	}
	d, _ := history.Digest(h)
	return d
}
