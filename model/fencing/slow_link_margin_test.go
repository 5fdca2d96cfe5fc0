package fencing_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/internal/modeltest"
	"github.com/leasesim/leasesim/model/lease"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
	"github.com/leasesim/leasesim/sim"
)

// TestSlowLinkMarginVersion: fencing-slow-link-margin-version is
// fencing-drift-margin-version (version mode at the drift its guard tolerates, the
// leader's requests lost from 4s while Q's answers arrive) with Q's answers to the
// leader D = 50ms slower from before the cut to after its claim can end. A holder counts
// its lease from its request's send s, on its monotonic clock, so the grant's delay
// moves nothing: the claim still ends at s + (L−g)/(1−ρ), the contenders see the version
// in denies on links the fault leaves alone, and the next claim starts (4.4ms, 13.5ms]
// after the old one ends (TestMarginEveryMode derives and checks it for both files).
//
// A holder that counts its lease from the grant's arrival instead ends it later by the
// round trip of the last request Q renewed, 2·d + D in true time (it counts L − g on its
// own clock from the arrival as the correct one does from the send, so the clock's rate
// cancels): 52ms here, more than the largest spacing, so it overlaps the next claim by
// at least 2·d + D − 13.5ms = 38.5ms in every seed. Without the slow link the round trip,
// 2·d = 2ms, is less than the smallest spacing, 4.4ms: fencing-drift-margin-version
// never sees two leaders, which is why no catalog scenario caught such a holder in
// version mode. The fencing protocol has no such mutant, but it shares the holder and
// issuer of the lease protocol, whose count-from-grant-receipt mutant is that holder:
// the test runs both files under it (an unfenced resource) and wants P1 violated in
// every seed of this one, with the overlap derived, and in none of the other.
func TestSlowLinkMarginVersion(t *testing.T) {
	const ms = int64(time.Millisecond)
	const spaceHi = 13*ms + 5*ms/10 // TestMarginEveryMode's largest spacing
	sc := modeltest.Catalog(t, "fencing-slow-link-margin-version")
	base := modeltest.Catalog(t, "fencing-drift-margin-version")
	var slow *scenarios.Fault
	var rest []scenarios.Fault
	for i := range sc.Faults {
		if sc.Faults[i].Kind == sim.FaultSlow && slow == nil {
			slow = &sc.Faults[i]
			continue
		}
		rest = append(rest, sc.Faults[i])
	}
	if slow == nil || !reflect.DeepEqual(rest, base.Faults) || !reflect.DeepEqual(sc.Values, base.Values) ||
		!reflect.DeepEqual(sc.Clocks, base.Clocks) || !reflect.DeepEqual(sc.Network, base.Network) {
		t.Fatalf("%s: the derivation wants %s's parameters, clocks, network and faults plus one slow link", sc.Name, base.Name)
	}
	d := int64(sc.Network.Delay.Value)
	cut := base.Faults[len(base.Faults)-1]
	if sc.Network.Delay.Dist != "fixed" || cut.Kind != sim.FaultCutOneway {
		t.Fatalf("%s: the derivation wants a fixed delay and the leader's requests cut last", base.Name)
	}
	// The slow link carries Q's answers to the leader from after the leader is known
	// (the drift fault names it) until after its last claim can end.
	if !slices.Equal(slow.From, []string{"Q"}) || !slices.Equal(slow.To, []string{"leader"}) ||
		slow.At <= base.Faults[0].At || slow.At >= cut.At || slow.Until < cut.At+time.Duration(sc.Values.Duration("lease")) {
		t.Fatalf("%s: the slow link must run from Q to the leader, from after %v to the cut's %v and until at least a lease after it", sc.Name, base.Faults[0].At, cut.At)
	}
	D := int64(slow.By)
	if 2*d >= 4*ms+4*ms/10 || 2*d+D <= spaceHi {
		t.Fatalf("derivation: want the round trip without the slow link (%v) below the smallest spacing and with it (%v) above the largest (%v)",
			time.Duration(2*d), time.Duration(2*d+D), time.Duration(spaceHi))
	}
	overlap := 2*d + D - spaceHi
	n := modeltest.Seeds(50, 500)
	for _, tt := range []struct {
		sc   *scenarios.Scenario
		want bool // P1 violated in every seed, each overlap at least the derived one
	}{{receiptHolder(t, sc), true}, {receiptHolder(t, base), false}} {
		violated := 0
		least := int64(1 << 62)
		for _, r := range modeltest.Run(t, tt.sc, modeltest.SeedRange(1, n)) {
			for _, f := range r.Check.Findings {
				if f.Kind == checker.P1 {
					least = min(least, f.To-f.From)
				}
			}
			if r.Check.Violated("p1") {
				violated++
			}
		}
		switch {
		case tt.want && violated != n:
			t.Errorf("%s with a holder counting from the grant's arrival: P1 violated in %d of %d seeds, want every seed", tt.sc.Name, violated, n)
		case tt.want && least < overlap:
			t.Errorf("%s with a holder counting from the grant's arrival: two leaders for %v at least, less than the derived %v", tt.sc.Name, time.Duration(least), time.Duration(overlap))
		case !tt.want && violated != 0:
			t.Errorf("%s with a holder counting from the grant's arrival: P1 violated in %d of %d seeds, want none (the round trip is inside the slack)", tt.sc.Name, violated, n)
		}
		if tt.want {
			t.Logf("%s with a holder counting from the grant's arrival: P1 in %d of %d seeds, two leaders for %v at least (derived %v)", tt.sc.Name, violated, n, time.Duration(least), time.Duration(overlap))
		}
	}
}

// receiptHolder is sc run by the lease protocol's holder that counts its lease from the
// grant's arrival (the fencing protocol's holder and issuer, the resource unfenced).
func receiptHolder(t *testing.T, sc *scenarios.Scenario) *scenarios.Scenario {
	t.Helper()
	data, err := catalog.Read(sc.Name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "\nprotocol: fencing\n", "\nprotocol: lease\nmutant: "+lease.MutantGrantReceipt+"\n", 1)
	if text == string(data) {
		t.Fatalf("%s: no protocol line to replace", sc.Name)
	}
	text = text[:strings.Index(text, "\nexpect:")+1] // the expectations are the correct protocol's
	return modeltest.Parse(t, text)
}
