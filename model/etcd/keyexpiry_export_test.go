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
