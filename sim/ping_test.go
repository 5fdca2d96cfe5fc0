package sim

import (
	"github.com/leasesim/leasesim/history"
)

// The ping protocol: the trivial node used by the kernel's own tests and benchmarks.
// Every pinger sends a ping to the ponger every period on its own clock; the ponger
// answers each; a pinger that hears a pong claims the lease "ping/<name>" for a period.
const (
	msgPing MsgType = MsgUser + iota
	msgPong
	msgTick
)

type pinger struct {
	lease  string
	period int64
	target NodeID
	seq    uint64
	pongs  int
}

func (p *pinger) Start(env *Env) {
	p.target = env.Lookup("Q")
	p.lease = "ping/" + env.Name()
	env.After(p.period, Message{Type: msgTick})
}

func (p *pinger) Step(env *Env, m Message) {
	switch m.Type {
	case msgTick:
		p.seq++
		env.Send(Message{Type: msgPing, To: p.target, Seq: p.seq, Time: env.Mono()})
		env.After(p.period, Message{Type: msgTick})
	case msgPong:
		p.pongs++
		env.Claim(p.lease, 0, Mono, m.Time+p.period)
	}
}

type ponger struct{ pings int }

func (p *ponger) Start(env *Env) {}

func (p *ponger) Step(env *Env, m Message) {
	if m.Type == msgPing {
		p.pings++
		env.Send(Message{Type: msgPong, To: m.From, Seq: m.Seq, Time: m.Time})
	}
}

// pingConfig returns a run of one ponger Q and n pingers A, B, … .
func pingConfig(seed uint64, n int, duration int64) Config {
	cfg := Config{
		Seed:     seed,
		Duration: duration,
		Network: Network{
			Delay: DelayDist{Kind: "lognormal", Median: 2e6, P99: 40e6},
			Loss:  0.01,
		},
		Meta: history.Meta{Scenario: "ping", Protocol: "ping"},
	}
	cfg.Nodes = append(cfg.Nodes, NodeSpec{Name: "Q", Role: RoleIssuer, New: func() Node { return &ponger{} }})
	for i := 0; i < n; i++ {
		cfg.Nodes = append(cfg.Nodes, NodeSpec{
			Name: holderName(i), Role: RoleHolder,
			New:   func() Node { return &pinger{period: 1e9} },
			Clock: ClockSpec{DriftRangePPM: 100},
		})
	}
	return cfg
}

func holderName(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return string(rune('A'+i/26-1)) + string(rune('A'+i%26))
}
