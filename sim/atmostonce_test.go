package sim

import "testing"

// TestAtMostOnce: a message sent with AtMostOnce is never duplicated, whatever
// Network.Duplicate says, while the same link still duplicates the others and still
// loses and reorders both.
func TestAtMostOnce(t *testing.T) {
	tests := []struct {
		name       string
		atMostOnce bool
		dupWant    bool
	}{
		{"plain messages are duplicated", false, true},
		{"at-most-once messages are not", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Seed: 5, Duration: 10 * sec,
				Network: Network{Delay: DelayDist{Kind: "uniform", Min: 1e6, Max: 30e6}, Duplicate: 1, Loss: 0.2}}
			cfg.Faults = []Fault{{Kind: FaultReorder, At: 0, Until: 10 * sec, Window: 50e6}}
			sent := 0
			got := map[uint64]int{}
			cfg.Nodes = []NodeSpec{
				{Name: "A", Role: RoleHolder, New: func() Node {
					return &funcNode{start: func(env *Env) { env.After(1e6, Message{Type: msgTick}) },
						step: func(env *Env, m Message) {
							sent++
							env.Send(Message{Type: msgPing, To: env.Lookup("B"), Seq: uint64(sent), AtMostOnce: tt.atMostOnce})
							env.After(1e6, Message{Type: msgTick})
						}}
				}},
				{Name: "B", Role: RoleHolder, New: func() Node {
					return &funcNode{step: func(env *Env, m Message) { got[m.Seq]++ }}
				}},
			}
			if _, err := Run(cfg); err != nil {
				t.Fatal(err)
			}
			dups, lost := 0, 0
			for s := 1; s <= sent; s++ {
				switch n := got[uint64(s)]; {
				case n == 0:
					lost++
				case n > 1:
					dups++
				}
			}
			if (dups > 0) != tt.dupWant {
				t.Errorf("%d of %d messages delivered more than once (duplicate 1, AtMostOnce %v)", dups, sent, tt.atMostOnce)
			}
			if lost == 0 {
				t.Errorf("loss 0.2 lost none of %d messages", sent)
			}
		})
	}
}
