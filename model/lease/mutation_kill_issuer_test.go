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
