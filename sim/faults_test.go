package sim

import (
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// funcNode is a test node built from two functions.
type funcNode struct {
	start func(env *Env)
	step  func(env *Env, m Message)
}

func (f *funcNode) Start(env *Env) {
	if f.start != nil {
		f.start(env)
	}
}

func (f *funcNode) Step(env *Env, m Message) {
	if f.step != nil {
		f.step(env, m)
	}
}

const sec = int64(1e9)

func claimsOf(h *history.History, holder string) []history.Claim {
	var out []history.Claim
	for _, c := range h.Claims {
		if c.Holder == holder {
			out = append(out, c)
		}
	}
	return out
}

// claimedDuring reports whether holder has any claim intersecting [from, to).
func claimedDuring(h *history.History, holder string, from, to int64) bool {
	for _, c := range claimsOf(h, holder) {
		if c.From < to && c.To > from {
			return true
		}
	}
	return false
}

func runPing(t *testing.T, faults ...Fault) *history.History {
	t.Helper()
	cfg := pingConfig(7, 2, 20*sec)
	cfg.Network.Loss = 0
	cfg.Faults = faults
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestNetworkFaultsStopTheirLinks runs the ping protocol (A and B ping Q every second
// and claim a 1s lease per pong) under each link fault aimed at A, and checks that A
// loses its claims during the fault, keeps them outside it, and B is unaffected.
func TestNetworkFaultsStopTheirLinks(t *testing.T) {
	window := func(k FaultKind) Fault { return Fault{Kind: k, At: 5 * sec, Until: 12 * sec} }
	cases := []struct {
		name  string
		fault Fault
	}{
		{"cut", func() Fault { f := window(FaultCut); f.Groups = [][]string{{"Q"}, {"A"}}; return f }()},
		{"cut_oneway Q->A", func() Fault { f := window(FaultCutOneway); f.From, f.To = []string{"Q"}, []string{"A"}; return f }()},
		{"cut_oneway A->Q", func() Fault { f := window(FaultCutOneway); f.From, f.To = []string{"A"}, []string{"Q"}; return f }()},
		{"partition", func() Fault { f := window(FaultPartition); f.Groups = [][]string{{"Q", "B"}, {"A"}}; return f }()},
		{"isolate", func() Fault { f := window(FaultIsolate); f.Node = "A"; return f }()},
		{"slow", func() Fault {
			f := window(FaultSlow)
			f.From, f.To, f.By = []string{"A"}, []string{"Q"}, 3*sec
			return f
		}()},
		{"lossy", func() Fault { f := window(FaultLossy); f.From, f.To, f.P = []string{"Q"}, []string{"A"}, 1; return f }()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := runPing(t, tc.fault)
			// A's last claim before the fault may run into it by up to one period; from
			// 1.1s into the fault until it ends, A must hold nothing.
			if claimedDuring(h, "A", 6200e6, 12*sec) {
				t.Errorf("A held a claim during the %s: %+v", tc.name, claimsOf(h, "A"))
			}
			if !claimedDuring(h, "A", 2*sec, 5*sec) || !claimedDuring(h, "A", 16*sec, 20*sec) {
				t.Errorf("A should claim before and after the %s: %+v", tc.name, claimsOf(h, "A"))
			}
			if !claimedDuring(h, "B", 7*sec, 11*sec) {
				t.Errorf("B was affected by a fault on A's links")
			}
			if len(h.Faults) != 1 || h.Faults[0].From != 5*sec || h.Faults[0].To != 12*sec {
				t.Errorf("fault not recorded as applied: %+v", h.Faults)
			}
		})
	}
}

func TestCrashEndsClaimsLosesStateAndRestarts(t *testing.T) {
	starts := 0
	var durableSeen []any
	cfg := pingConfig(3, 1, 20*sec)
	cfg.Network.Loss = 0
	cfg.Nodes[1].New = func() Node {
		p := &pinger{period: sec}
		return &funcNode{
			start: func(env *Env) {
				starts++
				durableSeen = append(durableSeen, env.Durable())
				env.SetDurable(starts)
				p.Start(env)
			},
			step: p.Step,
		}
	}
	cfg.Faults = []Fault{{Kind: FaultCrash, Node: "A", At: 5500e6, Until: 9 * sec}}
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if starts != 2 {
		t.Fatalf("A started %d times, want 2 (start and restart)", starts)
	}
	if durableSeen[0] != nil || durableSeen[1] != 1 {
		t.Fatalf("durable state across the crash = %v, want [nil 1]", durableSeen)
	}
	var crashEnd bool
	for _, c := range claimsOf(h, "A") {
		if c.End == history.EndCrash && c.To == 5500e6 {
			crashEnd = true
		}
	}
	if !crashEnd {
		t.Fatalf("no claim of A ended by the crash at 5.5s: %+v", claimsOf(h, "A"))
	}
	if claimedDuring(h, "A", 5500e6, 9*sec) {
		t.Fatal("A claimed while crashed")
	}
	if !claimedDuring(h, "A", 11*sec, 20*sec) {
		t.Fatal("A did not claim after restarting")
	}
	want := []history.Up{{Holder: "A", From: 0, To: 5500e6}, {Holder: "A", From: 9 * sec, To: 20 * sec}}
	if len(h.Up) != 2 || h.Up[0] != want[0] || h.Up[1] != want[1] {
		t.Fatalf("up intervals = %+v, want %+v", h.Up, want)
	}
}

// TestPauseQueuesAndReleases: a paused node keeps its claim (its clock runs), processes
// nothing, then sees every queued input at once; a message it emitted inside its
// processing delay leaves only at the resume.
func TestPauseQueuesAndReleases(t *testing.T) {
	var steps []int64 // true times of A's steps
	var got []MsgType
	cfg := Config{Seed: 1, Duration: 10 * sec, Network: Network{Delay: DelayDist{Kind: "fixed", Fixed: 1e6}}}
	cfg.Nodes = []NodeSpec{
		{Name: "A", Role: RoleHolder, ProcessingDelay: 50e6, New: func() Node {
			return &funcNode{
				start: func(env *Env) {
					env.Claim("x", 1, Mono, env.Mono()+5*sec)
					env.After(1*sec, Message{Type: msgTick})
					env.After(2*sec, Message{Type: msgTick + 1})
				},
				step: func(env *Env, m Message) {
					steps = append(steps, env.s.now)
					got = append(got, m.Type)
					if m.Type == msgTick {
						env.Send(Message{Type: msgPing, To: env.Lookup("B")})
					}
				},
			}
		}},
		{Name: "B", Role: RoleHolder, New: func() Node {
			return &funcNode{
				start: func(env *Env) { env.Send(Message{Type: msgPong, To: env.Lookup("A")}) },
				step: func(env *Env, m Message) {
					steps = append(steps, -env.s.now) // B's steps negative, to tell apart
				},
			}
		}},
	}
	// The pause starts 10ms after A's first timer step, inside its 50ms processing delay.
	cfg.Faults = []Fault{{Kind: FaultPause, Node: "A", At: 1010e6, Until: 4 * sec}}
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A sees B's pong at 1ms, its 1s timer, then (paused from 1.01s) its 2s timer only
	// at the resume, 4s.
	wantTypes := []MsgType{msgPong, msgTick, msgTick + 1}
	if len(got) != 3 || got[0] != wantTypes[0] || got[1] != wantTypes[1] || got[2] != wantTypes[2] {
		t.Fatalf("A's inputs = %v, want %v", got, wantTypes)
	}
	if len(steps) != 4 || steps[0] != 1e6 || steps[1] != sec || steps[2] != 4*sec {
		t.Fatalf("step times = %v; want pong at 1ms, tick at 1s, queued timer at the 4s resume, then B's receipt", steps)
	}
	// A's ping was emitted at 1s, due to leave at 1.05s, held by the pause until 4s,
	// and reaches B 1ms later.
	if steps[3] != -(4*sec + 1e6) {
		t.Fatalf("B received A's held ping at %d, want at 4.001s", -steps[3])
	}
	// The pause did not end the claim: it runs to its 5s deadline.
	if len(h.Claims) != 1 || h.Claims[0].To != 5*sec || h.Claims[0].End != history.EndDeadline {
		t.Fatalf("claims = %+v, want one ending at its 5s deadline", h.Claims)
	}
}

// TestClockFaultsMoveClaimEnds: a drift change and a wall-clock step move the true end of
// claims read on the affected clock, exactly.
func TestClockFaultsMoveClaimEnds(t *testing.T) {
	cfg := Config{Seed: 1, Duration: 30 * sec}
	cfg.Nodes = []NodeSpec{{Name: "A", Role: RoleHolder, New: func() Node {
		return &funcNode{start: func(env *Env) {
			env.Claim("mono", 1, Mono, 10*sec)
			env.Claim("wall", 1, Wall, 10*sec)
			env.After(10*sec, Message{Type: msgTick})
		}, step: func(env *Env, m Message) { env.Claim("timer", 1, Mono, env.Mono()+sec) }}
	}}}
	cfg.Faults = []Fault{
		{Kind: FaultDrift, Node: "A", At: 1 * sec, PPM: 100_000}, // 10% fast from 1s
		{Kind: FaultClockStep, Node: "A", At: 2 * sec, By: 3 * sec},
	}
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// mono: 1s at rate 1, then 9s of local time at 1.1 → 1s + 9/1.1 s = 9.181818182s.
	// wall: at 2s wall reads 2.1 + 3 = 5.1s; 4.9s of local time left → 2s + 4.9/1.1 s.
	// timer: set for local 10s, fires with the mono claim's end; its claim starts there.
	ends := map[string]int64{}
	for _, c := range h.Claims {
		ends[c.Lease] = c.To
	}
	if got, want := ends["mono"], int64(9_181_818_182); got != want {
		t.Errorf("mono claim ends at %d, want %d", got, want)
	}
	if got, want := ends["wall"], int64(6_454_545_455); got != want {
		t.Errorf("wall claim ends at %d, want %d", got, want)
	}
	if len(h.Faults) != 2 || h.Faults[0].Kind != "drift" || h.Faults[1].Kind != "clock_step" {
		t.Errorf("faults = %+v", h.Faults)
	}
	for _, c := range h.Claims {
		if c.Lease == "timer" && c.From != ends["mono"] {
			t.Errorf("the rescheduled timer fired at %d, not with the mono deadline %d", c.From, ends["mono"])
		}
	}
}

// TestReorderAndDuplicate: links are FIFO unless a reorder fault is in force;
// duplication delivers extra copies.
func TestReorderAndDuplicate(t *testing.T) {
	run := func(faults []Fault, dup float64) (order []uint64) {
		cfg := Config{Seed: 5, Duration: 10 * sec,
			Network: Network{Delay: DelayDist{Kind: "uniform", Min: 1e6, Max: 30e6}, Duplicate: dup}}
		cfg.Nodes = []NodeSpec{
			{Name: "A", Role: RoleHolder, New: func() Node {
				seq := uint64(0)
				return &funcNode{start: func(env *Env) { env.After(1e6, Message{Type: msgTick}) },
					step: func(env *Env, m Message) {
						seq++
						env.Send(Message{Type: msgPing, To: env.Lookup("B"), Seq: seq})
						env.After(1e6, Message{Type: msgTick})
					}}
			}},
			{Name: "B", Role: RoleHolder, New: func() Node {
				return &funcNode{step: func(env *Env, m Message) { order = append(order, m.Seq) }}
			}},
		}
		cfg.Faults = faults
		if _, err := Run(cfg); err != nil {
			t.Fatal(err)
		}
		return order
	}
	inversions := func(o []uint64) int {
		n := 0
		for i := 1; i < len(o); i++ {
			if o[i] < o[i-1] {
				n++
			}
		}
		return n
	}
	if n := inversions(run(nil, 0)); n != 0 {
		t.Fatalf("a FIFO link delivered %d messages out of order", n)
	}
	reordered := run([]Fault{{Kind: FaultReorder, At: 0, Until: 10 * sec, Window: 50e6}}, 0)
	if inversions(reordered) == 0 {
		t.Fatal("a reorder fault left the link in order")
	}
	sent := len(run(nil, 0))
	if dup := len(run(nil, 0.5)); dup < sent+sent/3 {
		t.Fatalf("duplicate 0.5 delivered %d messages for %d sent", dup, sent)
	}
}

func TestLeaderTargetAndRandomExpansion(t *testing.T) {
	cfg := pingConfig(11, 3, 60*sec)
	// The ping protocol's claims are on ping/<name>; measure that of B so "leader" is B.
	cfg.Meta.Lease = "ping/B"
	cfg.Faults = []Fault{
		{Kind: FaultCrash, Node: TargetLeader, At: 10 * sec, Until: 20 * sec},
		{Kind: FaultRandom, Random: &RandomFaults{From: 0, Until: 60 * sec,
			Kinds:   []FaultKind{FaultPartition, FaultCrash, FaultPause, FaultClockStep, FaultDrift, FaultSlow, FaultLossy, FaultReorder, FaultIsolate, FaultCut, FaultCutOneway, FaultIssuerCrash},
			MeanGap: 5 * sec, MeanLength: 2 * sec}},
	}
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var leaderCrash *history.Fault
	kinds := map[string]bool{}
	for i, f := range h.Faults {
		kinds[f.Kind] = true
		if f.Kind == "crash" && f.From == 10*sec && strings.Contains(f.Detail, "(leader)") {
			leaderCrash = &h.Faults[i]
		}
	}
	if leaderCrash == nil || len(leaderCrash.Nodes) != 1 || leaderCrash.Nodes[0] != "B" {
		t.Fatalf("the crash of the leader was not aimed at B: %+v", h.Faults)
	}
	if len(h.Faults) < 6 || len(kinds) < 4 {
		t.Fatalf("the random schedule drew only %d faults of %d kinds", len(h.Faults), len(kinds))
	}
}

func TestConfigErrorsNameTheProblem(t *testing.T) {
	base := func() Config { return pingConfig(1, 2, 10*sec) }
	cases := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"unknown node in a fault", func(c *Config) { c.Faults = []Fault{{Kind: FaultCrash, Node: "Z", At: 1}} }, `no node named "Z"`},
		{"fault ends before it starts", func(c *Config) { c.Faults = []Fault{{Kind: FaultPause, Node: "A", At: 5, Until: 2}} }, "ends"},
		{"duplicate name", func(c *Config) { c.Nodes[2].Name = "A" }, `two nodes are named "A"`},
		{"bad delay", func(c *Config) { c.Network.Delay = DelayDist{Kind: "lognormal", Median: 5, P99: 1} }, "median <= p99"},
		{"bad loss", func(c *Config) { c.Network.Loss = 2 }, "loss"},
		{"zero duration", func(c *Config) { c.Duration = 0 }, "duration"},
		{"cut of three groups", func(c *Config) {
			c.Faults = []Fault{{Kind: FaultCut, Groups: [][]string{{"A"}, {"B"}, {"Q"}}}}
		}, "two groups"},
	}
	for _, tc := range cases {
		cfg := base()
		tc.mod(&cfg)
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestLeaderInsideLists: `leader` may stand in a fault's node lists; it resolves when the
// fault starts, and a fault whose leader does not exist does nothing.
func TestLeaderInsideLists(t *testing.T) {
	cfg := pingConfig(11, 3, 30*sec)
	cfg.Network.Loss = 0
	cfg.Meta.Lease = "ping/C"
	cfg.Faults = []Fault{
		{Kind: FaultCutOneway, From: []string{"Q"}, To: []string{TargetLeader}, At: 0, Until: 5 * sec}, // nobody leads at 0
		{Kind: FaultCutOneway, From: []string{"Q"}, To: []string{TargetLeader}, At: 10500e6, Until: 20 * sec},
	}
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Faults) != 2 || h.Faults[0].From != h.Faults[0].To || !strings.Contains(h.Faults[0].Detail, "skipped") {
		t.Fatalf("the fault at 0 (no leader yet) should be skipped: %+v", h.Faults)
	}
	if got := h.Faults[1]; len(got.Nodes) != 2 || got.Nodes[1] != "C" || !strings.Contains(got.Detail, "C (leader)") {
		t.Fatalf("leader in the to-list did not resolve to C: %+v", got)
	}
	if claimedDuring(h, "C", 11200e6, 20*sec) || !claimedDuring(h, "A", 11*sec, 20*sec) {
		t.Fatal("the cut did not stop C's pongs (and only C's)")
	}
}

// TestOverlappingLossyFaultsDoNotCompound: a lossy fault on Q→B that starts and ends
// while a lossy fault on Q→A is in force leaves Q→A's loss alone. Each link draws from
// its own stream, so A's claims must be exactly those of the run without the Q→B fault;
// recomputing every lossy fault's links when one starts or ends multiplied Q→A's
// survival by 1-p again each time (0.5 → 0.25 → 0.125).
func TestOverlappingLossyFaultsDoNotCompound(t *testing.T) {
	lossy := func(to string, at, until int64) Fault {
		return Fault{Kind: FaultLossy, At: at, Until: until, From: []string{"Q"}, To: []string{to}, P: 0.5}
	}
	alone := runPing(t, lossy("A", 2*sec, 20*sec))
	overlapped := runPing(t, lossy("A", 2*sec, 20*sec), lossy("B", 3*sec, 4*sec), lossy("B", 6*sec, 7*sec))
	a, b := claimsOf(alone, "A"), claimsOf(overlapped, "A")
	if len(a) != len(b) {
		t.Fatalf("A made %d claims under Q→A's loss alone and %d with Q→B's loss overlapping it", len(a), len(b))
	}
	for i := range a {
		if a[i].From != b[i].From || a[i].To != b[i].To {
			t.Fatalf("A's claim %d: [%d, %d) alone, [%d, %d) with Q→B's loss overlapping", i, a[i].From, a[i].To, b[i].From, b[i].To)
		}
	}
}
