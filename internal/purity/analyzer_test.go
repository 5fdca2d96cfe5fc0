package purity

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestAnalyzerRules runs the Analyzer over testdata/src: bad has one case of every rule
// but the map ranges (each line marked with the report it must produce), maporder one of
// each order-dependent map range, ok only allowed forms (no report), and allow the
// //purity:allow comment (honoured with a reason; reported without one or when it
// allows nothing).
func TestAnalyzerRules(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), Analyzer, "bad", "maporder", "ok", "allow")
}
