package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
)

// Why a failure bundle was written (bundleInfo.Reason).
const (
	reasonExpectation = "expectation"    // an expect: entry was not met
	reasonInternal    = "internal error" // the run panicked
)

// bundleInfo is bundle.json: what a failure bundle reproduces.
type bundleInfo struct {
	Scenario  string `json:"scenario"`
	File      string `json:"file"`
	Seed      uint64 `json:"seed"`
	TraceHash string `json:"trace_hash"`
	// Digest is history.Digest of the run's complete history, which replay compares.
	Digest   string   `json:"digest,omitempty"`
	Verdict  string   `json:"verdict"`
	Findings []string `json:"findings"`
	// Reason says why the bundle was written: reasonExpectation or reasonInternal.
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

// writeBundle re-runs the failing seed (runs are deterministic, so this is the same run)
// with a transcript, and writes everything needed to study and replay it into
// failures/<scenario>: scenario.yaml (the exact bytes), bundle.json (naming the unmet
// expectations and the history's digest), result.json, history.jsonl, transcript.txt,
// the timeline and porcupine visualizations. A seed that panics gets a bundle too:
// scenario.yaml, bundle.json, panic.txt (the stack) and the transcript up to the panic.
func writeBundle(failures string, l *loaded, seed uint64, timeout time.Duration, unmet []result.Expectation) (string, error) {
	dir := filepath.Join(failures, l.sc.Name)
	var transcript bytes.Buffer
	info := bundleInfo{Scenario: l.sc.Name, File: l.file, Seed: seed, Findings: []string{},
		Reason: reasonExpectation, Expectations: unmet, Replay: "leasesim replay " + dir,
		Version: buildinfo.Version()}
	if timeout > 0 {
		info.PorcupineTimeout = timeout.String()
	}
	run, err := runner.RunSeed(l.sc, seed, runner.Options{PorcupineTimeout: timeout, Trace: &transcript, RecordMessages: true})
	var ie *runner.InternalError
	switch {
	case errors.As(err, &ie):
		info.Reason, info.Panic, info.Expectations = reasonInternal, ie.Value, nil
		info.Findings = []string{"internal error: panic: " + ie.Value}
		if err := writeFileAtomic(filepath.Join(dir, "panic.txt"), fmt.Appendf(nil, "%v\n\n%s", ie, ie.Stack)); err != nil {
			return "", err
		}
		if err := writeFileAtomic(filepath.Join(dir, "transcript.txt"), transcript.Bytes()); err != nil {
			return "", err
		}
	case err != nil:
		return "", err
	default:
		if err := writeRunDir(dir, run.History, run.Result, run.Check, transcript.Bytes()); err != nil {
			return "", err
		}
		info.TraceHash, info.Verdict = run.Result.TraceHash, string(run.Result.Verdict)
		if info.Digest, err = history.Digest(run.History); err != nil {
			return "", err
		}
		for _, f := range run.Result.Findings {
			info.Findings = append(info.Findings, fmt.Sprintf("%s %v [%d,%d)", f.Kind, f.Holders, f.From, f.To))
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "scenario.yaml"), l.data); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return "", err
	}
	if err := writeFileAtomic(filepath.Join(dir, "bundle.json"), append(b, '\n')); err != nil {
		return "", err
	}
	return dir, nil
}
