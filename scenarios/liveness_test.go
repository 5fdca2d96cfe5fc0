package scenarios

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/sim"
)

// TestTailAndRecoversWithin: the tail key, the liveness bound and its default, and every
// way a file can contradict them, each error naming the line, column and field.
func TestTailAndRecoversWithin(t *testing.T) {
	const head = "name: t\nprotocol: testproto\nduration: 5m\n"
	for _, tc := range []struct {
		name   string
		body   string
		tail   time.Duration
		within time.Duration
		err    string // "" for none; else "line:col: field: substring"
	}{
		{name: "no tail", body: "", tail: 0, within: 0},
		{name: "tail, default bound", body: "tail: 60s\n", tail: time.Minute, within: 30 * time.Second},
		{name: "tail and bound", body: "tail: 60s\nexpect: {recovers_within: 20s}\n", tail: time.Minute, within: 20 * time.Second},
		{name: "liveness verdict with a tail", body: "tail: 60s\nexpect: {liveness: violated}\n", tail: time.Minute, within: 30 * time.Second},
		{name: "healed faults", body: "tail: 60s\nfaults:\n  - {at: 10s, crash: A, restart: 4m}\n  - {at: 20s, clock_step: {node: B, by: 1s}}\n  - {random: {from: 0s, until: 4m, kinds: [pause], mean_gap: 10s, mean_length: 2s}}\n",
			tail: time.Minute, within: 30 * time.Second},
		{name: "bound without a tail", body: "expect: {recovers_within: 20s}\n", err: "4:10: expect.recovers_within: recovers_within needs a fault-free tail"},
		{name: "liveness without a tail", body: "expect: {liveness: holds}\n", err: "4:10: expect.liveness: liveness is checked only after every fault has healed"},
		{name: "bound longer than the tail", body: "tail: 60s\nexpect: {recovers_within: 2m}\n", err: "5:10: expect.recovers_within: recovers_within 2m0s is longer than the tail 1m0s"},
		{name: "zero bound", body: "tail: 60s\nexpect: {recovers_within: 0s}\n", err: "5:27: expect.recovers_within: a recovery takes a positive time"},
		{name: "tail as long as the run", body: "tail: 5m\n", err: "4:7: tail: tail 5m0s: expected a positive duration shorter than the run (duration 5m0s)"},
		{name: "tail not a duration", body: "tail: soon\n", err: "4:7: tail:"},
		{name: "fault starts in the tail", body: "tail: 60s\nfaults:\n  - {at: 4m30s, cut: [[Q], [A]], for: 5s}\n", err: "6:5: faults[0].at: cut starts at 4m30s, inside the fault-free tail from 4m0s"},
		{name: "fault never ends", body: "tail: 60s\nfaults:\n  - {at: 10s, crash: A}\n", err: "6:5: faults[0]: crash from 10s never ends, but tail: 1m0s needs every fault healed by 4m0s; give it restart at or before 4m0s"},
		{name: "fault ends in the tail", body: "tail: 60s\nfaults:\n  - {at: 10s, isolate: A, until: 4m10s}\n", err: "6:5: faults[0]: isolate ends at 4m10s, inside the fault-free tail from 4m0s; expected it to end (until or for) by 4m0s"},
		{name: "random until in the tail", body: "tail: 60s\nfaults:\n  - {random: {from: 0s, until: 5m, kinds: [pause], mean_gap: 10s, mean_length: 2s}}\n", err: "6:5: faults[0].random.until: until 5m0s reaches into the fault-free tail from 4m0s"},
		{name: "random from in the tail", body: "tail: 60s\nfaults:\n  - {random: {from: 4m, kinds: [pause], mean_gap: 10s, mean_length: 2s}}\n", err: "6:5: faults[0].random.from: starts at 4m0s, inside the fault-free tail"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse([]byte(head+tc.body), "t.yaml")
			if tc.err != "" {
				var el ErrorList
				if !errors.As(err, &el) || !strings.Contains(err.Error(), "t.yaml:"+tc.err) {
					t.Fatalf("error %v, want one containing t.yaml:%s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sc.Tail != tc.tail || sc.Expect.RecoversWithin != tc.within {
				t.Errorf("tail %s, recovers_within %s; want %s, %s", sc.Tail, sc.Expect.RecoversWithin, tc.tail, tc.within)
			}
			again, err := Parse(sc.Marshal(), "again.yaml")
			if err != nil || again.Tail != sc.Tail || again.Expect.RecoversWithin != sc.Expect.RecoversWithin {
				t.Errorf("Marshal does not keep the tail and bound: %v\n%s", err, sc.Marshal())
			}
		})
	}
}

// TestRandomFaultsHealByTheTail: a random schedule over the whole run, with a tail, draws
// faults that all start before the tail and end by its start — crashes restart, long
// faults are cut short — while the same schedule without a tail runs into the end.
func TestRandomFaultsHealByTheTail(t *testing.T) {
	const text = "name: t\nprotocol: testproto\nduration: 10m\nfaults:\n  - {random: {from: 0s, kinds: [crash, pause, partition, isolate, clock_step], mean_gap: 5s, mean_length: 1m}}\n"
	for _, tc := range []struct {
		name string
		tail string
		heal time.Duration
	}{
		{"no tail", "", 10 * time.Minute},
		{"tail 2m", "tail: 2m\n", 8 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse([]byte(text+tc.tail), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			latest := int64(0)
			for seed := uint64(1); seed <= 5; seed++ {
				cfg, err := sc.Config(seed)
				if err != nil {
					t.Fatal(err)
				}
				h, err := sim.Run(cfg)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range h.Faults {
					latest = max(latest, f.From, f.To)
				}
			}
			if tc.tail == "" && latest <= int64(8*time.Minute) {
				t.Errorf("without a tail the faults end by %s: the test shows nothing", time.Duration(latest))
			}
			if latest > int64(tc.heal) {
				t.Errorf("a fault lasts until %s, after the heal at %s", time.Duration(latest), tc.heal)
			}
		})
	}
}
