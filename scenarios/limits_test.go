package scenarios_test

import (
	"errors"
	"strings"
	"testing"

	_ "github.com/leasesim/leasesim/model/all"
	"github.com/leasesim/leasesim/scenarios"
)

// TestLimitsRejectRunsThatCannotEnd pins the values that, before the limits, made a
// run panic (write_every 0: invalid argument to Int64N), run out of memory (a 1ns
// renewal or heartbeat), hang (a 1ns write or keepalive period) or overflow int64 into
// false violations (a lease near the int64 limit): each is now a parse error naming the
// file, line, field and what is expected, with the catalog's protocols.
func TestLimitsRejectRunsThatCannotEnd(t *testing.T) {
	file := func(protocol, body string) string {
		return "name: x\nprotocol: " + protocol + "\nresource: true\nduration: 10s\n" + body
	}
	tests := []struct {
		name, in, want string
	}{
		// write_every 0 panicked in every protocol.
		{"write_every 0 lease", file("lease", "params: {write_every: 0}\n"), "f.yaml:5:10: params.write_every: 0s is the period of a repeating event; expected at least 1ms"},
		{"write_every 0 fencing", file("fencing", "params: {write_every: 0s}\n"), "params.write_every: 0s is the period of a repeating event; expected at least 1ms"},
		{"write_every 0 heartbeat", file("heartbeat", "params: {write_every: 0}\n"), "params.write_every: 0s is the period"},
		{"write_every 0 etcd", file("etcd", "params: {write_every: 0}\n"), "params.write_every: 0s is the period"},
		{"write_every 0 k8s", file("k8s", "params: {write_every: 0}\n"), "params.write_every: 0s is the period"},
		// 1ns periods ran out of memory or hung.
		{"renew 1ns", file("lease", "params: {renew: 1ns}\n"), "f.yaml:5:10: params.renew: 1ns is the period of a repeating event; expected at least 1ms"},
		{"heartbeat 1ns", file("heartbeat", "params: {heartbeat: 1ns}\n"), "params.heartbeat: 1ns is the period of a repeating event; expected at least 1ms"},
		{"write_every 1ns", file("lease", "params: {write_every: 1ns}\n"), "params.write_every: 1ns is the period"},
		{"keepalive 1ns", file("etcd", "params: {keepalive: 1ns}\n"), "params.keepalive: 1ns is the period"},
		{"retry_period 1ns", file("k8s", "params: {retry_period: 1ns}\n"), "params.retry_period: 1ns is the period"},
		{"heartbeat_tick 1ns", file("etcd", "params: {heartbeat_tick: 1ns}\n"), "params.heartbeat_tick: 1ns is the period"},
		// A renewal at least every lease/1000.
		{"renew below lease/1000", file("lease", "params: {lease: 20s, renew: 10ms, guard: 1s}\n"), "params.renew: 10ms is too short for lease 20s; expected at least lease/1000 = 20ms"},
		{"keepalive below ttl/1000, a default", file("etcd", "params: {ttl: 1000h}\n"), "params.keepalive: 1s is too short for ttl 1000h0m0s; expected at least ttl/1000 = 1h0m0s (1s is the default; set params.keepalive)"},
		// A lease near the int64 limit overflowed into false P1/P2 violations.
		{"lease near int64 max", file("lease", "params: {lease: 2562046h50m, renew: 1s, guard: 1h}\n"), "f.yaml:5:10: params.lease: 2562046h50m0s is too long; expected at most 1000h"},
		{"ttl near int64 max", file("etcd", "params: {ttl: 2562047h}\n"), "params.ttl: 2562047h0m0s is too long; expected at most 1000h"},
		{"timeout near int64 max", file("heartbeat", "params: {timeout: 2562047h}\n"), "params.timeout: 2562047h0m0s is too long"},
		{"lease_duration near int64 max", file("k8s", "params: {lease_duration: 2562047h}\n"), "params.lease_duration: 2562047h0m0s is too long"},
		// Sums: each term fits, the horizon does not.
		{"horizon", "name: x\nprotocol: lease\nduration: 999h\nparams: {lease: 2h, renew: 10s}\n", "f.yaml:3:1: duration: the run's horizon duration 999h0m0s + params.lease 2h0m0s adds up to 1001h0m0s; expected at most 1000h"},
		{"horizon with offsets and steps", "name: x\nprotocol: lease\nduration: 500h\nparams: {lease: 5s, renew: 1s, guard: 250ms}\nclocks: {default: {offset: 400h}}\nfaults:\n  - {at: 1s, clock_step: {node: A, by: -60h}}\n  - {at: 2s, clock_step: {node: A, by: 60h}}\n",
			"duration: the run's horizon duration 500h0m0s + clock offset 400h0m0s (clocks.default) + clock steps 120h0m0s + params.lease 5s adds up to 1020h0m5s; expected at most 1000h"},
		// A period that fires too often over a long run.
		{"periodic events", "name: x\nprotocol: lease\nholders: 40\nduration: 10h\nparams: {renew: 10ms}\n", "f.yaml:5:10: params.renew: a 10h0m0s run paces about 147600000 periodic events (renew 10ms: 3600000 × 41 nodes); expected at most 100000000"},
		{"periodic writes", "name: x\nprotocol: lease\nresource: true\nduration: 999h\nparams: {write_every: 10ms, lease: 10s, renew: 1s}\n", "f.yaml:5:10: params.write_every: a 999h0m0s run paces about 374025600 periodic events (renew 1s: 3596400 × 4 nodes; write_every 10ms: 359640000 × the leader)"},
		{"periodic key keepalives", "name: x\nprotocol: etcd\nduration: 2h\nparams: {keys: 100000, key_leases: 10000, keepalive: 10ms, ttl: 10s}\n", "f.yaml:4:43: params.keepalive: a 2h0m0s run paces about 28803168000 periodic events (keepalive 10ms: 720000 × 4 nodes × (1 + key_leases 10000); heartbeat_tick 100ms: 72000 × 4 nodes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenarios.Parse([]byte(tt.in), "f.yaml")
			if err == nil {
				t.Fatalf("accepted; parsed %+v", sc)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var e *scenarios.Error
			if !errors.As(err, &e) || e.File != "f.yaml" || e.Line == 0 || e.Field == "" {
				t.Errorf("error %v does not name the file, line and field", err)
			}
		})
	}
}

// TestLimitsAcceptTheEdges: values at the limits parse.
func TestLimitsAcceptTheEdges(t *testing.T) {
	for _, in := range []string{
		"name: x\nprotocol: lease\nresource: true\nduration: 10s\nparams: {write_every: 1ms, renew: 5ms, lease: 5s}\n",
		"name: x\nprotocol: etcd\nduration: 999h\nparams: {ttl: 1h, keepalive: 3600ms, heartbeat_tick: 360ms, election_timeout: 2s}\n",
		"name: x\nprotocol: lease\nduration: 1h\nparams: {write_every: 1ms}\nresource: true\n",
	} {
		if _, err := scenarios.Parse([]byte(in), "f.yaml"); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
}

// TestLimitsOnScenarioFields: every duration of a file is at most 1000h either way, a
// random schedule draws a countable number of faults, and expectation bounds lie in the
// metric's range.
func TestLimitsOnScenarioFields(t *testing.T) {
	const head = "name: x\nprotocol: testproto\n"
	tests := []struct {
		name, in, want string
	}{
		{"duration", head + "duration: 1001h\n", "f.yaml:3:11: duration: 1001h is too long; expected at most 1000h ("},
		{"fault at", head + "faults:\n  - {at: 2562047h, crash: A}\n", "f.yaml:4:10: faults[0].at: 2562047h is too long"},
		{"fault for", head + "faults:\n  - {at: 1s, for: 1001h, isolate: A}\n", "faults[0].for: 1001h is too long"},
		{"clock offset", head + "clocks: {A: {offset: -1001h}}\n", "clocks.A.offset: -1001h is too long; expected between -1000h and 1000h"},
		{"clock step", head + "faults:\n  - {at: 1s, clock_step: {node: A, by: -2000h}}\n", "faults[0].clock_step.by: -2000h is too long"},
		{"delay", head + "network: {delay: 1001h}\n", "network.delay: 1001h is too long"},
		{"slow by", head + "faults:\n  - {at: 1s, slow: {from: [A], to: [Q], by: 1001h}}\n", "faults[0].slow.by: 1001h is too long"},
		{"processing", head + "processing: {default: 1001h}\n", "processing.default: 1001h is too long"},
		{"random max_step", head + "faults:\n  - random: {kinds: [clock_step], mean_gap: 1s, mean_length: 1s, max_step: 1001h}\n", "faults[0].random.max_step: 1001h is too long"},
		{"random mean_gap 1ns", head + "faults:\n  - random: {kinds: [crash], mean_gap: 1ns, mean_length: 1s}\n", "f.yaml:4:5: faults[0].random.mean_gap: 1ns is too short; expected at least 1ms"},
		{"random too many faults", head + "duration: 1000s\nfaults:\n  - random: {kinds: [crash], mean_gap: 1ms, mean_length: 1s}\n", "faults[0].random.mean_gap: 1ms draws about 1000000 faults between 0s and 16m40s; expected at most 100000 (a mean_gap of at least 10ms)"},
		{"random swarm too many faults", head + "duration: 1000s\nfaults:\n  - random: {kinds: [crash], mean_gap: 15ms, mean_length: 1s, swarm: true}\n", "faults[0].random.mean_gap: 15ms draws about 133333 faults between 0s and 16m40s in a swarm seed at 2 times its rate; expected at most 100000 (a mean_gap of at least 20ms)"},
		{"random clock steps in the horizon", head + "duration: 100h\nfaults:\n  - random: {kinds: [clock_step], mean_gap: 1h, mean_length: 1s, max_step: 10h}\n", "duration: the run's horizon duration 100h0m0s + clock steps 1000h0m0s + params.lease 10s adds up to 1100h0m10s"},
		{"fraction bound above 1", head + "expect: {unavailable_fraction: \"<= 2\"}\n", `expect.unavailable_fraction: 2 is outside [0, 1] (0% to 100%); expected a fraction`},
		{"negative count bound", head + "expect: {leader_changes: \"<= -1\"}\n", `expect.leader_changes: -1 is negative; expected a number >= 0`},
		{"duration bound too long", head + "expect: {max_gap: \"<= 2000h\"}\n", `expect.max_gap: "2000h" is not a duration in [0, 1000h]`},
		{"param too long", head + "params: {guard: 1001h}\n", "params.guard: 1001h0m0s is too long; expected at most 1000h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenarios.Parse([]byte(tt.in), "f.yaml")
			if err == nil {
				t.Fatalf("accepted; parsed %+v", sc)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var e *scenarios.Error
			if !errors.As(err, &e) || e.File != "f.yaml" || e.Line == 0 || e.Field == "" {
				t.Errorf("error %v does not name the file, line and field", err)
			}
		})
	}
}
