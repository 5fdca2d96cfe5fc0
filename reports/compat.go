package reports

import (
	"io"

	"github.com/leasesim/leasesim/result"
)

// The result records and their JSON lines belong to package result. These names
// remain only until the commands being changed on other branches (sweep, tune, live)
// import result; delete this file then.

// RunResult is result.RunResult.
type RunResult = result.RunResult

// ScenarioResult is result.ScenarioResult.
type ScenarioResult = result.ScenarioResult

// Expectation is result.Expectation.
type Expectation = result.Expectation

// SweepPoint is result.SweepPoint.
type SweepPoint = result.SweepPoint

// SeedSample is result.SeedSample.
type SeedSample = result.SeedSample

// NewSweepPoint is result.NewSweepPoint.
func NewSweepPoint(scenario string, set map[string]string, samples []SeedSample) SweepPoint {
	return result.NewSweepPoint(scenario, set, samples)
}

// SweepKey is result.SweepKey.
func SweepKey(set map[string]string) string { return result.SweepKey(set) }

// SortPoints is result.SortPoints.
func SortPoints(params []string, points []SweepPoint) { result.SortPoints(params, points) }

// WriteJSONLines is result.WriteJSONLines.
func WriteJSONLines[T any](w io.Writer, xs []T) error { return result.WriteJSONLines(w, xs) }

// ReadJSONLines is result.ReadJSONLines.
func ReadJSONLines[T any](r io.Reader, source string) ([]T, error) {
	return result.ReadJSONLines[T](r, source)
}
