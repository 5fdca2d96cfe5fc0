package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteSuiteTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSuiteTable(&b, threeScenarios()); err != nil {
		t.Fatal(err)
	}
	golden(t, "suite-table.txt", b.Bytes())
	if !strings.HasSuffix(b.String(), "3 scenarios: 1 met, 2 not met\n") {
		t.Errorf("last line: %q", b.String())
	}
}
