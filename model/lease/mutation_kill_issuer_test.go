package lease

import (
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/sim"
)

// send is one scripted request: at true time At (every clock is ideal), Type.
type send struct {
	At   int64
	Type sim.MsgType
}

// scriptedHolder sends its script's requests to Q and records what Q answers, with its
// arrival time.
type scriptedHolder struct {
	script []send
	got    []sim.Message
	gotAt  []int64
}

func (h *scriptedHolder) Start(env *sim.Env) {
	for i, s := range h.script {
		env.After(s.At, sim.Message{Type: msgRenewTick, Seq: uint64(i)})
	}
}

func (h *scriptedHolder) Step(env *sim.Env, m sim.Message) {
	if m.Type == msgRenewTick {
		s := h.script[m.Seq]
		env.Send(sim.Message{Type: s.Type, To: env.Issuers()[0], Seq: m.Seq + 1})
		return
	}
	h.got = append(h.got, m)
	h.gotAt = append(h.gotAt, env.Mono())
}

// TestIssuerHandoverAndDeclaration runs the real issuer Q against two scripted holders
// on ideal clocks and a 1ms network: A asks once (at 6.1s unless said) and then falls
// silent; B asks every second from 200ms later. Q grants A when A's request arrives and must:
//   - hand the lease to the waiting B the moment it frees on its clock, lease + guard + 1ns
//     after that grant (its free timer), not at B's next request (at 11.301s, between
//     lease - guard and lease + guard after the grant) and not earlier;
//   - in period mode, count that on its monotonic clock: a 3s forward step of its wall
//     clock at 7s changes nothing;
//   - declare A failed at its first liveness scan at or after lease + guard past A's
//     last request: the scans run every max(renew, (lease + guard)/4) = 1.3125s, so at
//     9 × 1.3125s = 11.8125s.
func TestIssuerHandoverAndDeclaration(t *testing.T) {
	for _, tc := range []struct {
		name   string
		expiry string
		faults []sim.Fault
		aAt    int64 // when A asks; 6.1s when 0
	}{
		{"period", expiryPeriod, nil, 0},
		{"period, Q's wall clock steps", expiryPeriod, []sim.Fault{{Kind: sim.FaultClockStep, At: 7 * sec, Node: "Q", By: 3 * sec}}, 0},
		{"timestamp", expiryTimestamp, nil, 0},
		// A's liveness runs out at 5.4s + 5.25s = 10.65s, after the scan at 10.5s
		// (which lease - guard would reach), so the scan at 11.8125s declares it.
		{"period, A asks at 5.399s", expiryPeriod, nil, 5399 * ms},
		// A's liveness runs out exactly at the scan at 11.8125s, which declares it.
		{"period, A's liveness ends on a scan", expiryPeriod, nil, 6561500 * 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const d = ms
			aAt := tc.aAt
			if aAt == 0 {
				aAt = 6100 * ms
			}
			a := &scriptedHolder{script: []send{{aAt, msgRequest}}}
			b := &scriptedHolder{}
			for at := aAt + 200*ms; at < 20*sec; at += sec {
				b.script = append(b.script, send{at, msgRequest})
			}
			cfg := testConfig(tc.expiry)
			s, err := sim.New(sim.Config{
				Seed: 1, Duration: 20 * sec,
				Network: sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: d}},
				Nodes: []sim.NodeSpec{
					{Name: "Q", Role: sim.RoleIssuer, New: func() sim.Node { return newIssuer(cfg) }},
					{Name: "A", Role: sim.RoleHolder, New: func() sim.Node { return a }},
					{Name: "B", Role: sim.RoleHolder, New: func() sim.Node { return b }},
				},
				Faults: tc.faults,
				Meta:   history.Meta{Scenario: t.Name(), Protocol: "lease"},
			})
			if err != nil {
				t.Fatal(err)
			}
			h := s.Run()

			grantA := aAt + d // Q's reading when it granted A
			if len(a.got) == 0 || a.got[0].Type != msgGrant || a.gotAt[0] != grantA+d {
				t.Fatalf("A's answers %+v at %v: want a grant at %d", a.got, a.gotAt, grantA+d)
			}
			firstB := int64(-1)
			for i, m := range b.got {
				if m.Type == msgGrant {
					firstB = b.gotAt[i]
					break
				}
			}
			if want := grantA + 5*sec + 250*ms + 1 + d; firstB != want {
				t.Errorf("B's first grant arrived at %d, want %d (%+d ns)", firstB, want, firstB-want)
			}

			declared := int64(-1)
			for _, st := range h.Statuses {
				if st.Kind == history.StatusDeclaredFailed && st.Node == "A" {
					declared = st.At
					break
				}
			}
			if want := 9 * (5*sec + 250*ms) / 4; declared != want {
				t.Errorf("A declared failed at %d, want %d; statuses %+v", declared, want, h.Statuses)
			}
		})
	}
}

// runIssuer runs the real issuer Q (cfg) against scripted holders, named in order, on
// ideal clocks and a 1ms network, for 20s.
func runIssuer(t *testing.T, cfg *config, names []string, holders []*scriptedHolder) *history.History {
	t.Helper()
	nodes := []sim.NodeSpec{{Name: "Q", Role: sim.RoleIssuer, New: func() sim.Node { return newIssuer(cfg) }}}
	for i, h := range holders {
		nodes = append(nodes, sim.NodeSpec{Name: names[i], Role: sim.RoleHolder, New: func() sim.Node { return h }})
	}
	s, err := sim.New(sim.Config{
		Seed: 1, Duration: 20 * sec,
		Network: sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: ms}},
		Nodes:   nodes,
		Meta:    history.Meta{Scenario: t.Name(), Protocol: "lease"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.Run()
}

// firstGrant is when h first received a grant, -1 if never.
func firstGrant(h *scriptedHolder) int64 {
	for i, m := range h.got {
		if m.Type == msgGrant {
			return h.gotAt[i]
		}
	}
	return -1
}

// asks is a script of requests at the given times (ms).
func asks(at ...int64) *scriptedHolder {
	h := &scriptedHolder{}
	for _, a := range at {
		h.script = append(h.script, send{a * ms, msgRequest})
	}
	return h
}

// TestIssuerTimestampRenewal: in timestamp mode, the free timer armed at A's first grant
// fires while A's renewal still holds the lease, and must arm itself again for the
// instant the renewed lease frees on Q's wall clock (expiry + guard), so that the
// waiting B gets the lease then — not at its next request a second later.
func TestIssuerTimestampRenewal(t *testing.T) {
	a := asks(6100, 8100)
	b := asks(6300, 7300, 8300, 9300, 10300, 11300, 12300, 13300, 14300, 15300)
	runIssuer(t, testConfig(expiryTimestamp), []string{"A", "B"}, []*scriptedHolder{a, b})
	renewed := 8100*ms + ms // Q's reading when it renewed A
	if got, want := firstGrant(b), renewed+5*sec+250*ms+1+ms; got != want {
		t.Errorf("B's first grant arrived at %d, want %d (%+d ns)", got, want, got-want)
	}
}

// TestIssuerWaitingQueueCompaction: Q keeps denied contenders in a queue, compacted after
// a handover once more than half of it is served or stale. After the compaction every
// contender's place must still be its own: E2, asking on, must get the lease at the next
// handover, not E0, which went silent (a renewal of E2 recorded on E0's place would hand
// the lease to a node that stopped asking, perhaps crashed).
func TestIssuerWaitingQueueCompaction(t *testing.T) {
	// A leads from 6s and falls silent; X, Y, Z ask once and fall silent; B, E0, E1
	// ask again at 10.4–10.6s, E2 on every second. The lease frees at 11.251s: X, Y and
	// Z are stale, B gets it; the queue [X Y Z B E0 E1 E2] is compacted to [E0 E1 E2].
	// B falls silent too: the lease frees again at 16.501s, when only E2 has asked
	// within the last two renewal periods.
	names := []string{"A", "X", "Y", "Z", "B", "E0", "E1", "E2"}
	hs := []*scriptedHolder{asks(6000), asks(6100), asks(6200), asks(6300), asks(6400, 10400),
		asks(6500, 10500), asks(6600, 10600), asks(6700, 10700, 11700, 12700, 13700, 14700, 15700, 16700, 17700)}
	runIssuer(t, testConfig(expiryPeriod), names, hs)
	want := map[string]int64{"A": 6001*ms + ms, "B": 11251*ms + 1 + ms, "E2": 16501*ms + 2 + ms}
	for i, h := range hs {
		if got := firstGrant(h); got != want[names[i]] && !(got == -1 && want[names[i]] == 0) {
			t.Errorf("%s's first grant at %d, want %d (-1: none)", names[i], got, want[names[i]])
		}
	}
}
