package live

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/sim"
)

var abc = []string{"A", "B", "C"}

const sec = int64(time.Second)

func TestPlanFromSimConverts(t *testing.T) {
	tests := []struct {
		name  string
		fault sim.Fault
		want  []Fault // Label and Origin are checked separately
	}{
		{"isolate leader",
			sim.Fault{Kind: sim.FaultIsolate, Node: "leader", At: 2 * sec, Until: 5 * sec},
			[]Fault{{Kind: Blackhole, Target: TargetLeader, At: 2 * time.Second, Until: 5 * time.Second}}},
		{"isolate the issuer cuts every holder",
			sim.Fault{Kind: sim.FaultIsolate, Node: "Q", At: sec},
			[]Fault{{Kind: Blackhole, Target: "A", At: time.Second}, {Kind: Blackhole, Target: "B", At: time.Second}, {Kind: Blackhole, Target: "C", At: time.Second}}},
		{"cut holder from issuer",
			sim.Fault{Kind: sim.FaultCut, Groups: [][]string{{"Q"}, {"A"}}, At: sec, Until: 2 * sec},
			[]Fault{{Kind: Blackhole, Target: "A", At: time.Second, Until: 2 * time.Second}}},
		{"partition: holders away from the issuer's group",
			sim.Fault{Kind: sim.FaultPartition, Groups: [][]string{{"Q", "A"}, {"B"}, {"C", "R"}}, At: sec, Until: 2 * sec},
			[]Fault{{Kind: Blackhole, Target: "B", At: time.Second, Until: 2 * time.Second}, {Kind: Blackhole, Target: "C", At: time.Second, Until: 2 * time.Second}}},
		{"one-way cut holder to issuer",
			sim.Fault{Kind: sim.FaultCutOneway, From: []string{"A"}, To: []string{"Q"}, At: sec, Until: 2 * sec},
			[]Fault{{Kind: Blackhole, Target: "A", Dir: ToServer, At: time.Second, Until: 2 * time.Second}}},
		{"one-way cut issuer to holders",
			sim.Fault{Kind: sim.FaultCutOneway, From: []string{"Q"}, To: []string{"A", "random"}, At: sec, Until: 2 * sec},
			[]Fault{{Kind: Blackhole, Target: "A", Dir: ToClient, At: time.Second, Until: 2 * time.Second}, {Kind: Blackhole, Target: TargetRandom, Dir: ToClient, At: time.Second, Until: 2 * time.Second}}},
		{"slow both directions",
			sim.Fault{Kind: sim.FaultSlow, From: []string{"A", "Q"}, To: []string{"Q", "A"}, By: 300 * int64(time.Millisecond), At: sec, Until: 2 * sec},
			[]Fault{{Kind: Delay, Target: "A", Dir: ToServer, Delay: 300 * time.Millisecond, At: time.Second, Until: 2 * time.Second}, {Kind: Delay, Target: "A", Dir: ToClient, Delay: 300 * time.Millisecond, At: time.Second, Until: 2 * time.Second}}},
		{"lossy",
			sim.Fault{Kind: sim.FaultLossy, From: []string{"B"}, To: []string{"Q"}, P: 0.5, At: sec, Until: 2 * sec},
			[]Fault{{Kind: Loss, Target: "B", Dir: ToServer, Loss: 0.5, At: time.Second, Until: 2 * time.Second}}},
		{"total loss is a blackhole",
			sim.Fault{Kind: sim.FaultLossy, From: []string{"B"}, To: []string{"Q"}, P: 1, At: sec, Until: 2 * sec},
			[]Fault{{Kind: Blackhole, Target: "B", Dir: ToServer, At: time.Second, Until: 2 * time.Second}}},
		{"crash with restart",
			sim.Fault{Kind: sim.FaultCrash, Node: "leader", At: sec, Until: 3 * sec},
			[]Fault{{Kind: Crash, Target: TargetLeader, At: time.Second, Until: 3 * time.Second}}},
		{"pause",
			sim.Fault{Kind: sim.FaultPause, Node: "B", At: sec, Until: 3 * sec},
			[]Fault{{Kind: Pause, Target: "B", At: time.Second, Until: 3 * time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := PlanFromSim([]sim.Fault{tt.fault}, abc)
			if err != nil {
				t.Fatalf("PlanFromSim: %v", err)
			}
			var got []Fault
			for _, f := range plan.Faults {
				if f.Label != string(tt.fault.Kind) {
					t.Errorf("Label = %q, want the scenario kind %q", f.Label, tt.fault.Kind)
				}
				if f.Origin != "faults[0] ("+string(tt.fault.Kind)+")" {
					t.Errorf("Origin = %q", f.Origin)
				}
				f.Label, f.Origin = "", ""
				got = append(got, f)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPlanFromSimRefuses(t *testing.T) {
	ok := sim.Fault{Kind: sim.FaultIsolate, Node: "A", At: sec, Until: 2 * sec}
	tests := []struct {
		name  string
		fault sim.Fault
		want  string // in the message, after "faults[1] (kind): "
	}{
		{"clock step", sim.Fault{Kind: sim.FaultClockStep, Node: "A", By: sec}, "real clocks"},
		{"drift", sim.Fault{Kind: sim.FaultDrift, Node: "Q", PPM: 500}, "real clocks"},
		{"reorder", sim.Fault{Kind: sim.FaultReorder, Window: sec}, "TCP"},
		{"random", sim.Fault{Kind: sim.FaultRandom, Random: &sim.RandomFaults{}}, "list its faults explicitly"},
		{"crash of the issuer", sim.Fault{Kind: sim.FaultCrash, Node: "Q", At: sec}, "not a holder"},
		{"pause of an issuer member", sim.Fault{Kind: sim.FaultPause, Node: "Q2", At: sec, Until: 2 * sec}, "not a holder"},
		{"cut between holders", sim.Fault{Kind: sim.FaultCut, Groups: [][]string{{"A"}, {"B"}}, At: sec}, "holders talk only to etcd"},
		{"cut from the resource only", sim.Fault{Kind: sim.FaultCut, Groups: [][]string{{"A"}, {"R"}}, At: sec}, "same etcd"},
		{"partition inside the issuer cluster", sim.Fault{Kind: sim.FaultPartition, Groups: [][]string{{"Q1", "A"}, {"Q2", "B"}}, At: sec}, "issuer cluster"},
		{"slow between holders", sim.Fault{Kind: sim.FaultSlow, From: []string{"A"}, To: []string{"B"}, By: sec, At: sec}, "no live meaning"},
		{"lossy to the resource only", sim.Fault{Kind: sim.FaultLossy, From: []string{"A"}, To: []string{"R"}, P: 0.5, At: sec}, "same etcd"},
		{"isolate the resource", sim.Fault{Kind: sim.FaultIsolate, Node: "R", At: sec}, "same etcd"},
		{"unknown node", sim.Fault{Kind: sim.FaultIsolate, Node: "Z", At: sec}, `node "Z" is not a holder (A, B, C)`},
		{"until before at", sim.Fault{Kind: sim.FaultPause, Node: "A", At: 2 * sec, Until: sec}, "not after"},
		{"negative at", sim.Fault{Kind: sim.FaultPause, Node: "A", At: -sec}, "negative"},
		{"cut with one group", sim.Fault{Kind: sim.FaultCut, Groups: [][]string{{"A"}}, At: sec}, "exactly 2 groups"},
		{"slow by nothing", sim.Fault{Kind: sim.FaultSlow, From: []string{"A"}, To: []string{"Q"}, At: sec}, "positive extra delay"},
		{"lossy p out of range", sim.Fault{Kind: sim.FaultLossy, From: []string{"A"}, To: []string{"Q"}, P: 1.5, At: sec}, "probability"},
		{"unknown kind", sim.Fault{Kind: "flood", At: sec}, "unknown fault kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanFromSim([]sim.Fault{ok, tt.fault}, abc)
			if err == nil {
				t.Fatalf("PlanFromSim accepted %+v", tt.fault)
			}
			prefix := "faults[1] (" + string(tt.fault.Kind) + "): "
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q; want it to start with %q and mention %q", err, prefix, tt.want)
			}
		})
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		f    Fault
		want string // "" for valid
	}{
		{"valid blackhole", Fault{Kind: Blackhole, Target: "A", At: time.Second, Until: 2 * time.Second}, ""},
		{"valid open-ended crash", Fault{Kind: Crash, Target: TargetLeader, At: time.Second}, ""},
		{"valid reset", Fault{Kind: Reset, Target: "B", At: time.Second}, ""},
		{"unknown kind", Fault{Kind: "melt", Target: "A"}, "unknown kind"},
		{"unknown target", Fault{Kind: Pause, Target: "Z", Until: time.Second}, `target "Z"`},
		{"negative at", Fault{Kind: Pause, Target: "A", At: -1}, "negative"},
		{"until not after at", Fault{Kind: Pause, Target: "A", At: time.Second, Until: time.Second}, "not after"},
		{"zero delay", Fault{Kind: Delay, Target: "A", Until: time.Second}, "not both 0"},
		{"loss of 1", Fault{Kind: Loss, Target: "A", Loss: 1, Until: time.Second}, "(0, 1)"},
		{"bad direction", Fault{Kind: Blackhole, Target: "A", Dir: 9, Until: time.Second}, "direction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Plan{Faults: []Fault{tt.f}}.Validate(abc)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate = %v; want an error mentioning %q", err, tt.want)
			case tt.want != "" && !strings.HasPrefix(err.Error(), "plan fault 0 ("):
				t.Fatalf("Validate = %v; want it to name the fault", err)
			}
		})
	}
}
