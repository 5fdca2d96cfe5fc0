package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/internal/rundir"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

// Why a failure bundle was written (Info.Reason).
const (
	ReasonExpectation = "expectation"    // an expect: entry was not met
	ReasonInternal    = "internal error" // the run panicked
)

// Info is bundle.json: what a failure bundle reproduces.
type Info struct {
	Scenario  string `json:"scenario"`
	File      string `json:"file"`
	Seed      uint64 `json:"seed"`
	TraceHash string `json:"trace_hash"`
	// Digest is history.Digest of the run's complete history, which replay compares.
	Digest   string   `json:"digest,omitempty"`
	Verdict  string   `json:"verdict"`
	Findings []string `json:"findings"`
	// Reason says why the bundle was written: ReasonExpectation or ReasonInternal.
	Reason string `json:"reason,omitempty"`
	// Expectations are the scenario's unmet expectations the bundle was written for, as
	// the suite evaluated them over all its seeds; replay evaluates them again on the
	// bundle's seed.
	Expectations []result.Expectation `json:"expectations,omitempty"`
	// Panic is what the run panicked with (reason "internal error"); its stack is in
	// panic.txt.
	Panic string `json:"panic,omitempty"`
	// PorcupineTimeout is the --timeout the suite checked with ("" for none).
	PorcupineTimeout string `json:"porcupine_timeout,omitempty"`
	Replay           string `json:"replay"`
	// Version is the leasesim that wrote the bundle (buildinfo.Version); replay warns
	// when it is not the one replaying.
	Version string `json:"leasesim_version,omitempty"`
}

// Write re-runs the failing seed of src (runs are deterministic, so this is the same run) with
// a transcript and writes everything needed to study and replay it into
// failures/NAME and returns that directory: scenario.yaml, bundle.json (naming the unmet
// expectations and the history's digest) and the run's directory (package rundir). A
// seed that panics gets scenario.yaml, bundle.json, panic.txt (the stack) and the
// transcript up to the panic.
func Write(failures string, src load.Source, seed uint64, timeout time.Duration, unmet []result.Expectation) (string, error) {
	dir := filepath.Join(failures, src.Scenario.Name)
	var transcript bytes.Buffer
	info := Info{Scenario: src.Scenario.Name, File: src.File, Seed: seed, Findings: []string{},
		Reason: ReasonExpectation, Expectations: unmet, Replay: result.Command("replay", dir),
		Version: buildinfo.Version()}
	if timeout > 0 {
		info.PorcupineTimeout = timeout.String()
	}
	run, err := runner.RunSeed(src.Scenario, seed, runner.Options{PorcupineTimeout: timeout, Trace: &transcript, RecordMessages: true})
	var ie *runner.InternalError
	switch {
	case errors.As(err, &ie):
		err = writePanic(dir, &info, ie, transcript.Bytes())
	case err == nil:
		err = writeRun(dir, &info, run, transcript.Bytes())
	}
	if err != nil {
		return "", err
	}
	if err := rundir.WriteFile(filepath.Join(dir, "scenario.yaml"), src.Data); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return "", err
	}
	return dir, rundir.WriteFile(filepath.Join(dir, "bundle.json"), append(b, '\n'))
}

// writePanic writes a panicking seed's stack and transcript, and records the panic.
func writePanic(dir string, info *Info, ie *runner.InternalError, transcript []byte) error {
	info.Reason, info.Panic, info.Expectations = ReasonInternal, ie.Value, nil
	info.Findings = []string{"internal error: panic: " + ie.Value}
	if err := rundir.WriteFile(filepath.Join(dir, "panic.txt"), fmt.Appendf(nil, "%v\n\n%s", ie, ie.Stack)); err != nil {
		return err
	}
	return rundir.WriteFile(filepath.Join(dir, "transcript.txt"), transcript)
}

// writeRun writes the run's directory and records its trace, verdict, digest and
// findings.
func writeRun(dir string, info *Info, run *runner.Run, transcript []byte) error {
	if err := rundir.Write(dir, run.History, run.Result, run.Check, rundir.Options{Transcript: transcript}); err != nil {
		return err
	}
	info.TraceHash, info.Verdict = run.Result.TraceHash, string(run.Result.Verdict)
	var err error
	if info.Digest, err = history.Digest(run.History); err != nil {
		return err
	}
	for _, f := range run.Result.Findings {
		info.Findings = append(info.Findings, fmt.Sprintf("%s %v [%d,%d)", f.Kind, f.Holders, f.From, f.To))
	}
	return nil
}
