package etcd

import (
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// KeysFromReceipt returns the etcd protocol under name with a bug planted in its bulk
// holder, for keyexpiry_test.go: the holder counts each key lease from the arrival of the
// answer that renewed it, not from the send of the request (the election lease keeps
// the careful client). A slow answer makes it believe its keys exist after the issuer
// expired their lease and deleted them.
func KeysFromReceipt(name string) *model.Protocol {
	p, _ := model.Lookup("etcd")
	planted := *p
	planted.Name, planted.Mutants = name, nil
	planted.Build = func(s model.Setup) (map[string]func() sim.Node, error) {
		nodes, err := build(s)
		if err != nil || len(s.Holders) == 0 {
			return nodes, err
		}
		newHolder := nodes[s.Holders[0]]
		nodes[s.Holders[0]] = func() sim.Node { return &fromReceipt{holder: newHolder().(*holder)} }
		return nodes, nil
	}
	return &planted
}

// fromReceipt is the bulk holder with the planted bug: after every step in which an
// answer moved a key lease's deadline, it moves it on to the TTL less 1% from now, the
// answer's arrival, and extends the claim to it.
type fromReceipt struct {
	*holder
	before []int64
}

func (w *fromReceipt) Step(env *sim.Env, m sim.Message) {
	w.before = w.before[:0]
	for i := range w.bulk {
		w.before = append(w.before, w.bulk[i].deadline)
	}
	w.holder.Step(env, m)
	now := env.Mono()
	for i := range w.bulk {
		b := &w.bulk[i]
		if b.lease == 0 || b.deadline <= w.before[i] {
			continue
		}
		b.deadline = max(b.deadline, now+w.cfg.ttl-w.cfg.ttl/100)
		if b.claimed {
			env.Claim(b.name, uint64(b.lease), sim.Mono, b.deadline)
		}
	}
}

// KeysPlanted returns the etcd protocol under name with one of three more bugs planted in
// its bulk holder's key leases (the election lease keeps the careful client), for
// keyexpiry_plants_test.go:
//
//   - "no-guard": the deadline is the request's send plus the full TTL, with no
//     allowance for the issuer's clock running slower than the holder's;
//   - "unanswered": every KeepAlive counts as answered when it is sent, so a holder cut off
//     from the issuer keeps counting on its keys;
//   - "wall-clock": the deadline is kept on the wall clock (the send's wall reading plus
//     the TTL less 1%), so a wall clock stepped back extends it.
func KeysPlanted(name, plant string) *model.Protocol {
	p, _ := model.Lookup("etcd")
	planted := *p
	planted.Name, planted.Mutants = name, nil
	planted.Build = func(s model.Setup) (map[string]func() sim.Node, error) {
		nodes, err := build(s)
		if err != nil || len(s.Holders) == 0 {
			return nodes, err
		}
		newHolder := nodes[s.Holders[0]]
		nodes[s.Holders[0]] = func() sim.Node { return &plantedKeys{holder: newHolder().(*holder), plant: plant} }
		return nodes, nil
	}
	return &planted
}

// plantedKeys is the bulk holder with a planted bug (KeysPlanted), applied after every
// step to the key leases the step touched.
type plantedKeys struct {
	*holder
	plant  string
	before []int64
	wall   []int64 // "wall-clock": each lease's deadline on the wall clock, 0 for none
}

func (w *plantedKeys) Step(env *sim.Env, m sim.Message) {
	w.before = w.before[:0]
	for i := range w.bulk {
		w.before = append(w.before, w.bulk[i].deadline)
	}
	if len(w.wall) != len(w.bulk) {
		w.wall = make([]int64, len(w.bulk))
	}
	w.holder.Step(env, m)
	now := env.Mono()
	for i := range w.bulk {
		b := &w.bulk[i]
		if b.lease == 0 {
			w.wall[i] = 0
			continue
		}
		moved := b.deadline > w.before[i]
		switch w.plant {
		case "no-guard":
			if moved {
				b.deadline += w.cfg.ttl / 100
			}
		case "unanswered":
			if b.claimed && b.deadline > now {
				b.deadline = max(b.deadline, now+w.cfg.ttl-w.cfg.ttl/100)
				moved = true
			}
		case "wall-clock":
			if moved {
				w.wall[i] = b.deadline + env.Wall() - now
			}
			if b.nput == len(b.keys) && env.Wall() < w.wall[i] && (moved || !b.claimed) {
				b.claimed = true
				env.Claim(b.name, uint64(b.lease), sim.Wall, w.wall[i])
			}
			continue
		}
		if moved && b.claimed {
			env.Claim(b.name, uint64(b.lease), sim.Mono, b.deadline)
		}
	}
}
