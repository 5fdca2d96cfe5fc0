package load

// UseSwarm puts every random: entry of the scenario in swarm mode (--swarm). A scenario
// that changes is kept as written out with swarm: true (Data), so that its run
// directory and failure bundle hold the scenario that ran and replay reproduces it.
func (s *Source) UseSwarm() {
	for _, f := range s.Scenario.Faults {
		if f.Random != nil && !f.Random.Swarm {
			s.Scenario = s.Scenario.WithSwarm()
			s.Data = s.Scenario.Marshal()
			return
		}
	}
}
