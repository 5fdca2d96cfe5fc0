package scenarios

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leasesim/leasesim/model"
)

// FuzzParse feeds arbitrary bytes to the parser: it must never panic, and whatever it
// accepts must print to a file that parses back to the same scenario and builds a
// kernel configuration. Run it with
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 5m -fuzzminimizetime 5s ./scenarios/
//
// (minimizing each new interesting input takes up to a minute by default, during which
// the exec counter stands still: that is not a hang)
//
// New crashers land in testdata/fuzz/FuzzParse and are replayed by every go test.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name": "j", "protocol": "testproto", "holders": 2, "seeds": {"from": 3, "count": 2}}`))
	f.Add([]byte("name: a\nprotocol: testproto\nfaults:\n  - {at: 1s, crash: leader, restart: 2s}\n  - random: {kinds: [pause], mean_gap: 1s, mean_length: 1s}\n"))
	f.Add([]byte("name: a\nprotocol: testproto\nclocks: &c {default: {drift_ppm: 5}}\nexpect: {p1: violated, max_gap: \">= 1s\"}\n"))
	f.Add([]byte("name: a\nprotocol: testproto\nexpect:\n  p1: {rate: \"<= 0.1%\", confidence: 0.99}\n  p2: {rate: \">= 1%\"}\n  unavailable_fraction: {p99: \"<= 2%\", p50: \"<= 0.005\"}\n  max_gap: {max: \"<= 15s\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		printed := sc.Marshal()
		again, err := Parse(printed, "printed.yaml")
		if err != nil {
			t.Fatalf("accepted input prints to a file that does not parse: %v\ninput:\n%s\nprinted:\n%s", err, data, printed)
		}
		equalScenarios(t, sc, again)
		if _, err := sc.Config(1); err != nil {
			t.Fatalf("accepted scenario does not build: %v", err)
		}
		// Limits: nothing accepted can overflow or fire a period too often.
		if sc.Duration > model.MaxDuration {
			t.Fatalf("accepted duration %s", sc.Duration)
		}
		if p, ok := model.Lookup(sc.Protocol); ok {
			for _, pd := range p.Durations(sc.Values) {
				if pd.Value > model.MaxDuration || (pd.Param.Pacing != model.NotPeriod && pd.Value < model.MinPeriod) {
					t.Fatalf("accepted %s = %s", pd.Param.Name, pd.Value)
				}
			}
		}
	})
}
