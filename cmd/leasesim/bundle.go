package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/leasesim/leasesim/internal/runner"
)

// bundleInfo is bundle.json: what a failure bundle reproduces.
type bundleInfo struct {
	Scenario  string   `json:"scenario"`
	File      string   `json:"file"`
	Seed      uint64   `json:"seed"`
	TraceHash string   `json:"trace_hash"`
	Verdict   string   `json:"verdict"`
	Findings  []string `json:"findings"`
	Replay    string   `json:"replay"`
}

// writeBundle re-runs the failing seed (runs are deterministic, so this is the same run)
// with a transcript, and writes everything needed to study and replay it into
// out/failures/<scenario>: scenario.yaml (the exact bytes), bundle.json, result.json,
// history.jsonl, transcript.txt, the timeline and porcupine visualizations.
func writeBundle(out string, l *loaded, seed uint64, timeout time.Duration) (string, error) {
	dir := filepath.Join(out, "failures", l.sc.Name)
	var transcript bytes.Buffer
	run, err := runner.RunSeed(l.sc, seed, runner.Options{PorcupineTimeout: timeout, Trace: &transcript})
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := writeRunDir(dir, run.History, run.Result, run.Check, transcript.Bytes()); err != nil {
		return "", err
	}
	if err := writeFileAtomic(filepath.Join(dir, "scenario.yaml"), l.data); err != nil {
		return "", err
	}
	info := bundleInfo{Scenario: l.sc.Name, File: l.file, Seed: seed, TraceHash: run.Result.TraceHash,
		Verdict: string(run.Result.Verdict), Findings: []string{}, Replay: "leasesim replay " + dir}
	for _, f := range run.Result.Findings {
		info.Findings = append(info.Findings, fmt.Sprintf("%s %v [%d,%d)", f.Kind, f.Holders, f.From, f.To))
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := writeFileAtomic(filepath.Join(dir, "bundle.json"), append(b, '\n')); err != nil {
		return "", err
	}
	return dir, nil
}
