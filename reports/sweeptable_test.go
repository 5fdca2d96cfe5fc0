package reports

import (
	"bytes"
	"testing"

	"github.com/leasesim/leasesim/result"
)

func TestWriteSweepTable(t *testing.T) {
	p := result.NewSweepPoint("s", map[string]string{"lease": "2s", "guard": "0"},
		[]result.SeedSample{{Unavailable: 0.25, MaxGap: 1500 * 1e6, Violated: []string{"p2"}}, {Unavailable: 0.75, MaxGap: 3 * sec}})
	bad := point("1s", "5s", 0)
	bad.Error = "guard must be below lease"
	var b bytes.Buffer
	WriteSweepTable(&b, []string{"lease", "guard"}, []result.SweepPoint{p, bad})
	// 1 of 2 seeds violated: at most √0.95 = 97.47% at 95%, printed rounded up to two
	// significant digits as the suite table's bounds (it printed "97.4679%" before); the
	// unavailable fractions with three decimals, as the suite table's; the p95 of gaps
	// 1.5s and 3s is 3s.
	want := "lease  guard  seeds  violating  rate ≤ (95%)  unavail mean  p95      max gap p95\n" +
		"2s     0      2      1          98%           50.000%       75.000%  3s\n" +
		"1s     5s     invalid: guard must be below lease\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}
