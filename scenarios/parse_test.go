package scenarios

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/sim"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseFullExample(t *testing.T) {
	sc, err := Parse(readTestdata(t, "full.yaml"), "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "double-master-partition" || sc.Protocol != "testproto" || !sc.Resource {
		t.Errorf("header: got %q %q resource=%v", sc.Name, sc.Protocol, sc.Resource)
	}
	if got := sc.Values.Duration("guard"); got != int64(500*time.Millisecond) {
		t.Errorf("guard = %d", got)
	}
	if got := sc.Values.String("expiry"); got != "period" {
		t.Errorf("expiry default = %q, want period", got)
	}
	if len(sc.Faults) != 12 {
		t.Fatalf("faults: got %d, want 12", len(sc.Faults))
	}
	crash := sc.Faults[3]
	if crash.Kind != sim.FaultCrash || crash.Node != "A" || crash.At != 90*time.Second || crash.Until != 95*time.Second {
		t.Errorf("crash fault = %+v", crash)
	}
	pause := sc.Faults[4]
	if pause.Until != 132*time.Second {
		t.Errorf("pause for 12s from 120s: Until = %s, want 2m12s", pause.Until)
	}
	if step := sc.Faults[8]; step.By != -2*time.Second || step.Until != 0 {
		t.Errorf("clock step = %+v", step)
	}
	if sc.Seeds != (Seeds{From: 1000, Count: 100}) {
		t.Errorf("seeds = %+v", sc.Seeds)
	}
	if got := sc.SeedList(); got[0] != 1000 || got[99] != 1099 {
		t.Errorf("seed list ends %d..%d", got[0], got[99])
	}
	if len(sc.Expect.Bounds) != 2 || sc.Expect.Bounds[1].Value != float64(15*time.Second) {
		t.Errorf("bounds = %+v", sc.Expect.Bounds)
	}
}

func TestParseDefaults(t *testing.T) {
	sc, err := Parse([]byte("name: minimal\nprotocol: testproto\n"), "min.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A", "B", "C"}
	if !reflect.DeepEqual(sc.Holders, want) || sc.Issuers != 1 || sc.Duration != DefaultDuration ||
		sc.Seeds.Count != DefaultSeeds || sc.Network.Delay != DefaultDelay || sc.Resource {
		t.Errorf("defaults: %+v", sc)
	}
	if got := sc.Expect.Effective(); len(got) != 4 || got["p3"] != PropHolds {
		t.Errorf("unmentioned properties should default to holds: %v", got)
	}
}

func TestHolderNames(t *testing.T) {
	got := HolderNames(26)
	if got[15] != "P" || got[16] != "S" || got[23] != "Z" || got[24] != "H25" || got[25] != "H26" {
		t.Errorf("HolderNames(26) = %v", got)
	}
	for _, n := range got {
		if n == "Q" || n == "R" {
			t.Errorf("HolderNames uses the reserved name %s", n)
		}
	}
}

func TestParseJSON(t *testing.T) {
	js := `{"name": "json-one", "protocol": "testproto", "holders": 2, "params": {"lease": "4s", "renew": "1s"},
  "faults": [{"at": "1s", "crash": "A", "restart": "3s"}], "duration": "20s", "seeds": 3,
  "expect": {"p1": "holds", "max_gap": "<= 5s"}}`
	sc, err := Parse([]byte(js), "one.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sc.Holders, []string{"A", "B"}) || sc.Faults[0].Until != 3*time.Second || sc.Seeds.Count != 3 {
		t.Errorf("json: %+v", sc)
	}
}

// TestParseErrors checks that every kind of bad input is reported at the right place,
// naming the field and what was expected.
func TestParseErrors(t *testing.T) {
	const head = "name: x\nprotocol: testproto\n"
	tests := []struct {
		name, in, want string
	}{
		{"unknown top key", head + "holderz: 3\n", `f.yaml:3:1: holderz: unknown key "holderz" in the top level; expected one of: name,`},
		{"missing name", "protocol: testproto\n", "f.yaml:1:1: name: missing"},
		{"bad name", "name: Bad_Name\nprotocol: testproto\n", `f.yaml:1:7: name: "Bad_Name" is not a scenario name`},
		{"unknown protocol", "name: x\nprotocol: nope\n", `f.yaml:2:11: protocol: unknown protocol "nope"; expected one of:`},
		{"unknown mutant", head + "mutant: nope\n", `f.yaml:3:9: mutant: protocol testproto has no mutant "nope"; expected one of: no-guard`},
		{"too many issuers", head + "issuers: 9\n", "f.yaml:3:10: issuers: 9 issuers; expected 1..5"},
		{"wrong type", head + "resource: yes please\n", `f.yaml:3:11: resource: expected true or false, got the string "yes please"`},
		{"reserved holder", head + "holders: [A, R]\n", `holders[1]: "R" is reserved`},
		{"duplicate holder", head + "holders: [A, A]\n", `holders[1]: holder "A" is listed twice`},
		{"unknown param", head + "params: {leese: 1s}\n", `f.yaml:3:10: params.leese: protocol testproto has no parameter "leese"`},
		{"bad param", head + "params: {lease: ten}\n", `f.yaml:3:10: params.lease: "ten" is not a duration`},
		{"negative param", head + "params: {guard: -1s}\n", "params.guard: -1s is negative"},
		{"param relation", head + "params: {lease: 1s, renew: 2s}\n", "params.renew: renew must be shorter than lease"},
		{"loss out of range", head + "network: {loss: 1.5}\n", "f.yaml:3:17: network.loss: 1.5 is outside [0, 1]"},
		{"unknown dist", head + "network: {delay: {dist: pareto}}\n", `network.delay.dist: "pareto" is not a delay distribution`},
		{"uniform min > max", head + "network: {delay: {dist: uniform, min: 5ms, max: 1ms}}\n", "network.delay.max: max 1ms is below min 5ms"},
		{"duration without unit", head + "duration: 10\n", "f.yaml:3:11: duration: 10 has no unit"},
		{"negative duration", head + "duration: -5s\n", "duration: -5s is negative"},
		{"clock of unknown node", head + "clocks: {Z: {drift_ppm: 5}}\n", `f.yaml:3:10: clocks.Z: no node "Z" in this scenario`},
		{"unknown clock key", head + "clocks: {A: {drift: 5}}\n", `clocks.A.drift: unknown key "drift" in clocks.A; expected one of: drift_ppm, offset`},
		{"fault without kind", head + "faults:\n  - {at: 1s, until: 2s}\n", "f.yaml:4:5: faults[0]: a fault needs a kind"},
		{"fault with two kinds", head + "faults:\n  - {at: 1s, crash: A, pause: B}\n", `faults[0].pause: a fault has one kind, but this one has both "crash" and "pause"`},
		{"fault unknown key", head + "faults:\n  - {at: 1s, crash: A, restart: 2s, color: red}\n", `faults[0].color: unknown key "color" in faults[0]; expected one of: crash, at, restart`},
		{"fault unknown node", head + "faults:\n  - {at: 1s, crash: Z}\n", `faults[0].crash: no node "Z" in this scenario`},
		{"fault after the end", head + "duration: 10s\nfaults:\n  - {at: 20s, crash: A}\n", "faults[0].at: crash starts at 20s, at or after the run ends"},
		{"fault ends before it starts", head + "faults:\n  - {at: 5s, until: 2s, isolate: A}\n", "faults[0].until: isolate ends at 2s, not after it starts at 5s"},
		{"until and for", head + "faults:\n  - {at: 1s, until: 2s, for: 1s, isolate: A}\n", "faults[0].for: give either until or for, not both"},
		{"pause without length", head + "faults:\n  - {at: 1s, pause: A}\n", "faults[0]: a pause needs for or until"},
		{"instant with until", head + "faults:\n  - {at: 1s, until: 2s, drift: {node: A, ppm: 5}}\n", "faults[0].until: a drift happens at one instant"},
		{"cut with an empty side", head + "faults:\n  - {at: 1s, cut: [[], [A]]}\n", "f.yaml:4:20: faults[0].cut[0]: an empty set of nodes; expected at least one node name"},
		{"partition with a node twice", head + "faults:\n  - {at: 1s, partition: [[A, B], [B, C]]}\n", `faults[0].partition[1]: "B" is also in group 0; expected each node in one group`},
		{"group with a node twice", head + "faults:\n  - {at: 1s, partition: [[A, A], [B]]}\n", `faults[0].partition[0][1]: "A" is listed twice`},
		{"cut_oneway from nothing", head + "faults:\n  - {at: 1s, cut_oneway: {from: [], to: [A]}}\n", "faults[0].cut_oneway.from: an empty set of nodes"},
		{"link from nothing", head + "network:\n  links:\n    - {from: [], to: [A], delay: 5ms}\n", "network.links[0].from: an empty set of nodes"},
		{"cut with three groups", head + "faults:\n  - {at: 1s, cut: [[A], [B], [C]]}\n", "faults[0].cut: a cut separates exactly two sets"},
		{"lossy p", head + "faults:\n  - {at: 1s, lossy: {from: [A], to: [Q], p: 2}}\n", "faults[0].lossy.p: 2 is outside [0, 1]"},
		{"overlapping crashes", head + "faults:\n  - {at: 1s, crash: A, restart: 5s}\n  - {at: 3s, pause: A, for: 1s}\n", "faults[1]: pause of A from 3s overlaps its crash from 1s"},
		{"contradictory drifts", head + "faults:\n  - {at: 1s, drift: {node: A, ppm: 5}}\n  - {at: 1s, drift: {node: A, ppm: 9}}\n", "two drift changes of A at 1s"},
		{"random bad kind", head + "faults:\n  - random: {kinds: [meteor], mean_gap: 1s, mean_length: 1s}\n", `faults[0].random.kinds: "meteor" is not a fault kind`},
		{"random no gap", head + "faults:\n  - random: {kinds: [crash], mean_length: 1s}\n", "faults[0].random.mean_gap: a random schedule needs mean_gap > 0"},
		{"random swarm not a bool", head + "faults:\n  - random: {kinds: [crash], mean_gap: 1s, mean_length: 1s, swarm: yes}\n", `f.yaml:4:68: faults[0].random.swarm: expected true or false, got the string "yes"`},
		{"random swarm kind twice", head + "faults:\n  - random: {kinds: [crash, pause, crash], mean_gap: 1s, mean_length: 1s, swarm: true}\n", `f.yaml:4:21: faults[0].random.kinds: "crash" is listed twice; with swarm: true each kind is drawn on or off once per seed`},
		{"bad seeds", head + "seeds: 0\n", "seeds: 0 seeds; expected 1..1000000"},
		{"seeds map without count", head + "seeds: {from: 5}\n", "seeds.count: seeds needs count"},
		{"bad verdict", head + "expect: {p1: fine}\n", `expect.p1: "fine" is not a property verdict; expected holds, violated or a rate`},
		{"bad bound", head + "expect: {max_gap: 15s}\n", `expect.max_gap: "15s" does not start with a comparison`},
		{"unknown metric", head + "expect: {max_gab: \"<= 1s\"}\n", `expect.max_gab: unknown key "max_gab" in expect`},
		{"duplicate key", head + "duration: 1s\nduration: 2s\n", `f.yaml:4:1: YAML syntax: mapping key "duration" already defined`},
		{"syntax", "name: [x\n", "f.yaml:1:"},
		{"empty", "", "f.yaml:1:1: the file is empty"},
		{"list at top", "- a\n- b\n", "f.yaml:1:1: expected a mapping, got a list"},
		{"invalid utf8", "name: \xff\n", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse([]byte(tt.in), "f.yaml")
			if err == nil {
				t.Fatalf("no error; parsed %+v", sc)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" {
				t.Errorf("error %v is not an *Error naming the file", err)
			}
		})
	}
}

func TestParseReportsEveryError(t *testing.T) {
	in := "name: x\nprotocol: testproto\nholderz: 3\nduration: 5\nexpect: {p1: maybe}\n"
	_, err := Parse([]byte(in), "f.yaml")
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	if list[0].Line != 3 || list[1].Line != 4 || list[2].Line != 5 {
		t.Errorf("errors out of file order: %v", err)
	}
}
