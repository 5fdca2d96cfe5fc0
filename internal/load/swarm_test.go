package load

import (
	"bytes"
	"testing"
)

// TestUseSwarm: a scenario with random faults is switched to swarm mode and its bytes
// say so (what a bundle keeps); one without random faults is left as it was.
func TestUseSwarm(t *testing.T) {
	for _, c := range []struct {
		name  string
		swarm bool
	}{{"fault-random", true}, {"etcd-client-careful", false}} {
		s, err := Scenario(c.name)
		if err != nil {
			t.Fatal(err)
		}
		before := s.Data
		s.UseSwarm()
		if changed := !bytes.Equal(before, s.Data); changed != c.swarm || c.swarm && !bytes.Contains(s.Data, []byte("swarm: true")) {
			t.Errorf("%s: data changed %v, want %v:\n%s", c.name, changed, c.swarm, s.Data)
		}
		for _, f := range s.Scenario.Faults {
			if f.Random != nil && f.Random.Swarm != c.swarm {
				t.Errorf("%s: random entry swarm %v, want %v", c.name, f.Random.Swarm, c.swarm)
			}
		}
	}
}
