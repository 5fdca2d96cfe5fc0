package reports

import (
	"io"

	"github.com/leasesim/leasesim/results"
)

// The result records and their JSON lines belong to package results. These names
// remain only until the commands being changed on other branches (sweep, tune, live)
// import results; delete this file then.

// RunResult is results.RunResult.
type RunResult = results.RunResult

// ScenarioResult is results.ScenarioResult.
type ScenarioResult = results.ScenarioResult

// Expectation is results.Expectation.
type Expectation = results.Expectation

// SweepPoint is results.SweepPoint.
type SweepPoint = results.SweepPoint

// SeedSample is results.SeedSample.
type SeedSample = results.SeedSample

// NewSweepPoint is results.NewSweepPoint.
func NewSweepPoint(scenario string, set map[string]string, samples []SeedSample) SweepPoint {
	return results.NewSweepPoint(scenario, set, samples)
}

// SweepKey is results.SweepKey.
func SweepKey(set map[string]string) string { return results.SweepKey(set) }

// SortPoints is results.SortPoints.
func SortPoints(params []string, points []SweepPoint) { results.SortPoints(params, points) }

// WriteJSONLines is results.WriteJSONLines.
func WriteJSONLines[T any](w io.Writer, xs []T) error { return results.WriteJSONLines(w, xs) }

// ReadJSONLines is results.ReadJSONLines.
func ReadJSONLines[T any](r io.Reader, source string) ([]T, error) {
	return results.ReadJSONLines[T](r, source)
}
