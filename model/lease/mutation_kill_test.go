package lease

import (
	"errors"
	"testing"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// The tests in this file kill mutants of the holder that gremlins found surviving the
// catalog scenarios and the other tests (scripts/mutation.sh; docs/mutation.md). Each
// runs one real holder A against a scripted issuer Q on ideal clocks and a fixed network
// delay, so that every instant is exact and the holder's rules (how long it claims, when
// it steps down, when it tries a takeover) can be checked to the nanosecond.

const (
	ms  = int64(1e6)
	sec = int64(1e9)
)

// scriptedQ answers the holder's requests through answer, called with the request's
// index (0 for the first) and Q's monotonic reading at its arrival; it records the
// arrivals.
type scriptedQ struct {
	answer   func(env *sim.Env, m sim.Message, k int)
	arrivals []sim.Message
	at       []int64
}

func (q *scriptedQ) Start(env *sim.Env) {}

func (q *scriptedQ) Step(env *sim.Env, m sim.Message) {
	if m.Type != msgRequest && m.Type != msgTakeover {
		return
	}
	q.arrivals = append(q.arrivals, m)
	q.at = append(q.at, env.Mono())
	q.answer(env, m, len(q.arrivals)-1)
}

// idle is holder B: a name for Q's denies to give as the owner.
type idle struct{}

func (idle) Start(*sim.Env)             {}
func (idle) Step(*sim.Env, sim.Message) {}

// runScripted runs holder A (cfg) against q for duration, with every message delayed by
// delay, and returns A's claims on the leader lease.
func runScripted(t *testing.T, cfg *config, q *scriptedQ, delay, duration int64) []history.Claim {
	t.Helper()
	s, err := sim.New(sim.Config{
		Seed: 1, Duration: duration,
		Network: sim.Network{Delay: sim.DelayDist{Kind: "fixed", Fixed: delay}},
		Nodes: []sim.NodeSpec{
			{Name: "Q", Role: sim.RoleIssuer, New: func() sim.Node { return q }},
			{Name: "A", Role: sim.RoleHolder, New: func() sim.Node { return newHolder(cfg) }},
			{Name: "B", Role: sim.RoleHolder, New: func() sim.Node { return idle{} }},
		},
		Meta: history.Meta{Scenario: t.Name(), Protocol: "lease"},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Run()
	var out []history.Claim
	for _, c := range h.Claims {
		if c.Holder == "A" && c.Lease == history.LeaderLease {
			out = append(out, c)
		}
	}
	return out
}

// lastEnd is when A's last claim on the leader lease ended, or -1 without one.
func lastEnd(cs []history.Claim) int64 {
	if len(cs) == 0 {
		return -1
	}
	return cs[len(cs)-1].To
}

func testConfig(expiry string) *config {
	return &config{lease: 5 * sec, renew: sec, guard: 250 * ms, writeEvery: 100 * sec, expiry: expiry}
}

// TestHolderClaimEnds pins how long the holder claims after its last usable grant, with
// a fixed network delay (1ms unless said) and ideal clocks (true time = every clock's reading):
//   - period: until the send of the request answered + lease - guard, even when an
//     answer to an older request arrives after that grant (a late answer never shortens
//     the lease);
//   - timestamp: until Q's timestamp - guard on its wall clock;
//   - a deny naming another owner of a newer epoch: at once, not at the deadline;
//   - an answer to a request sent lease - guard ago or more: not at all.
func TestHolderClaimEnds(t *testing.T) {
	const d = ms
	grant := func(env *sim.Env, m sim.Message, epoch uint64, time int64) {
		env.Send(sim.Message{Type: msgGrant, To: m.From, Seq: m.Seq, Epoch: epoch, Token: epoch, Subject: m.From, Time: time})
	}
	cases := []struct {
		name   string
		expiry string
		delay  int64 // the network's fixed delay; d when 0
		answer func(q *scriptedQ) func(env *sim.Env, m sim.Message, k int)
		// want is the last claim's end, given Q's arrival readings of the requests.
		want func(q *scriptedQ) int64
	}{
		{
			// Requests 0 and 1 are granted, the answer to 0 after the answer to 1; then Q
			// stays silent. The lease runs from request 1's send.
			name: "late answer to an older request", expiry: expiryPeriod,
			answer: func(q *scriptedQ) func(env *sim.Env, m sim.Message, k int) {
				return func(env *sim.Env, m sim.Message, k int) {
					if k == 1 {
						grant(env, m, 1, 0)
						grant(env, q.arrivals[0], 1, 0)
					}
				}
			},
			want: func(q *scriptedQ) int64 { return q.at[1] - d + 5*sec - 250*ms },
		},
		{
			// Q grants request 0 with the timestamp "my wall clock + lease"; the holder
			// stops guard before it.
			name: "timestamp expiry", expiry: expiryTimestamp,
			answer: func(q *scriptedQ) func(env *sim.Env, m sim.Message, k int) {
				return func(env *sim.Env, m sim.Message, k int) {
					if k == 0 {
						grant(env, m, 1, env.Wall()+5*sec)
					}
				}
			},
			want: func(q *scriptedQ) int64 { return q.at[0] + 5*sec - 250*ms },
		},
		{
			// Q answers request 0 only when request 5 arrives, 5s later, with a fresh
			// timestamp: the answer is to a request sent more than lease - guard ago,
			// whose send time the holder has forgotten, so it is ignored.
			name: "answer to a request older than lease - guard", expiry: expiryTimestamp,
			answer: func(q *scriptedQ) func(env *sim.Env, m sim.Message, k int) {
				return func(env *sim.Env, m sim.Message, k int) {
					if k == 5 {
						grant(env, q.arrivals[0], 1, env.Wall()+5*sec)
					}
				}
			},
			want: func(q *scriptedQ) int64 { return -1 },
		},
		{
			// The same with a 375ms delay, answered when request 4 arrives: the grant
			// reaches A exactly lease - guard (4s + 2·375ms) after request 0 left, the
			// first instant A no longer remembers it.
			name: "answer to a request exactly lease - guard old", expiry: expiryTimestamp, delay: 375 * ms,
			answer: func(q *scriptedQ) func(env *sim.Env, m sim.Message, k int) {
				return func(env *sim.Env, m sim.Message, k int) {
					if k == 4 {
						grant(env, q.arrivals[0], 1, env.Wall()+5*sec)
					}
				}
			},
			want: func(q *scriptedQ) int64 { return -1 },
		},
		{
			// Request 0 is granted (epoch 1); request 1 is denied: B owns epoch 2. A
			// steps down when the deny arrives.
			name: "deny naming a newer owner", expiry: expiryPeriod,
			answer: func(q *scriptedQ) func(env *sim.Env, m sim.Message, k int) {
				return func(env *sim.Env, m sim.Message, k int) {
					switch k {
					case 0:
						grant(env, m, 1, 0)
					case 1:
						env.Send(sim.Message{Type: msgDeny, To: m.From, Seq: m.Seq, Epoch: 2, Subject: env.Lookup("B")})
					}
				}
			},
			want: func(q *scriptedQ) int64 { return q.at[1] + d },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := &scriptedQ{}
			q.answer = tc.answer(q)
			delay := tc.delay
			if delay == 0 {
				delay = d
			}
			claims := runScripted(t, testConfig(tc.expiry), q, delay, 20*sec)
			if len(q.at) < 2 {
				t.Fatalf("Q saw %d requests, want at least 2", len(q.at))
			}
			if got, want := lastEnd(claims), tc.want(q); got != want {
				t.Errorf("A's claim ends at %d, want %d (%+d ns); claims %+v", got, want, got-want, claims)
			}
		})
	}
}

// TestVersionTakeoverWait pins when a contender tries a takeover in version mode: at its
// first request sent once it has seen the same version unchanged for lease + guard
// (5.25s) — counted from the first deny showing it — not earlier, and not one renewal
// later when the wait is exactly lease + guard. Q denies every request (B owns the
// lease, version 7); A renews every 1s; a deny arrives 2·delay after its request.
func TestVersionTakeoverWait(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delay int64
		// renewals is how many renew periods after its first request A sends its first
		// takeover: the first k with k·1s - 2·delay >= 5.25s.
		renewals int64
	}{
		{"1ms delay", ms, 6},                  // 6s - 2ms >= 5.25s; 5s - 2ms is not
		{"375ms delay: exactly", 375 * ms, 6}, // 6s - 750ms = 5.25s exactly
		{"400ms delay", 400 * ms, 7},          // 6s - 800ms < 5.25s
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &scriptedQ{}
			q.answer = func(env *sim.Env, m sim.Message, k int) {
				if m.Type == msgRequest {
					env.Send(sim.Message{Type: msgDeny, To: m.From, Seq: m.Seq, Subject: env.Lookup("B"), Epoch: 1, Time: 7})
				}
			}
			runScripted(t, testConfig(expiryVersion), q, tc.delay, 20*sec)
			first := -1
			for i, m := range q.arrivals {
				if m.Type == msgTakeover {
					first = i
					break
				}
			}
			if first < 0 {
				t.Fatalf("A never tried a takeover in 20s (%d requests)", len(q.arrivals))
			}
			if m := q.arrivals[first]; m.Time != 7 {
				t.Errorf("takeover on version %d, want 7", m.Time)
			}
			if got, want := q.at[first]-q.at[0], tc.renewals*sec; got != want {
				t.Errorf("first takeover %dns after the first request, want %dns", got, want)
			}
		})
	}
}

// TestValidateBoundaries pins the parameter checks at their edges: each bad value is an
// error naming the parameter at fault, and the value just inside is accepted.
func TestValidateBoundaries(t *testing.T) {
	p := Protocol("lease", "", false, nil)
	for _, tc := range []struct {
		params map[string]string
		bad    string // the parameter named by the error, "" for none
	}{
		{map[string]string{"lease": "0s"}, "lease"},
		{map[string]string{"renew": "0s"}, "renew"},
		{map[string]string{"lease": "5s", "guard": "5s", "renew": "1s"}, "guard"},
		{map[string]string{"lease": "5s", "guard": "1s", "renew": "4s"}, "renew"},
		{map[string]string{"lease": "5s", "guard": "1s", "renew": "3999ms"}, ""},
		{map[string]string{"lease": "5s", "guard": "4999ms", "renew": "1ms"}, "renew"},
		{map[string]string{"lease": "1ns", "guard": "0s", "renew": "1ns"}, "renew"},
	} {
		_, err := p.ParseValues(tc.params)
		var pe *model.ParamError
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%v: %v, want accepted", tc.params, err)
		case tc.bad != "" && (!errors.As(err, &pe) || pe.Param != tc.bad):
			t.Errorf("%v: error %v, want one naming params.%s", tc.params, err, tc.bad)
		}
	}
}
