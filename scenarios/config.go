package scenarios

import (
	"fmt"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// Config builds the kernel configuration of one seed: the protocol's nodes (issuers,
// then holders, then the resource), their clocks and processing delays, the network and
// the faults.
func (s *Scenario) Config(seed uint64) (sim.Config, error) {
	proto, ok := model.Lookup(s.Protocol)
	if !ok {
		return sim.Config{}, fmt.Errorf("%s: protocol %q is not registered in this binary", s.File, s.Protocol)
	}
	setup := model.Setup{Holders: s.Holders, Issuers: IssuerNames(s.Issuers), Params: s.Values, Mutant: s.Mutant}
	if s.Resource {
		setup.Resource = ResourceName
	}
	ctors, err := proto.Build(setup)
	if err != nil {
		return sim.Config{}, fmt.Errorf("%s: protocol %s: %w", s.File, s.Protocol, err)
	}
	cfg := sim.Config{
		Seed:     seed,
		Duration: int64(s.Duration),
		Network:  s.simNetwork(),
		MsgName:  proto.MsgName,
		Meta: history.Meta{Scenario: s.Name, Protocol: s.Protocol, Mutant: s.Mutant,
			Params: s.Values.Map(), Lease: history.LeaderLease},
	}
	add := func(name string, role sim.Role) error {
		ctor, ok := ctors[name]
		if !ok {
			return fmt.Errorf("%s: protocol %s built no state machine for node %s", s.File, s.Protocol, name)
		}
		cfg.Nodes = append(cfg.Nodes, sim.NodeSpec{Name: name, Role: role, New: ctor,
			Clock: s.clockSpec(name), ProcessingDelay: int64(s.processingDelay(name))})
		return nil
	}
	for _, q := range setup.Issuers {
		if err := add(q, sim.RoleIssuer); err != nil {
			return sim.Config{}, err
		}
	}
	for _, h := range s.Holders {
		if err := add(h, sim.RoleHolder); err != nil {
			return sim.Config{}, err
		}
	}
	if s.Resource {
		if err := add(ResourceName, sim.RoleResource); err != nil {
			return sim.Config{}, err
		}
	}
	for i := range s.Faults {
		sf := s.Faults[i].simFault()
		if sf.Random != nil && s.Tail > 0 {
			// The fault-free tail: random faults start before it and heal by its start.
			heal := int64(s.HealBy())
			sf.Random.HealBy = heal
			if sf.Random.Until == 0 || sf.Random.Until > heal {
				sf.Random.Until = heal
			}
		}
		if r := s.Faults[i].Random; r != nil && r.Swarm {
			// This seed's own mix of kinds and rates, recorded in the history's meta.
			mix := r.DrawSwarm(seed, i)
			cfg.Meta.Swarm = append(cfg.Meta.Swarm, mix.String())
			cfg.Faults = append(cfg.Faults, swarmSimFaults(sf, mix)...)
			continue
		}
		cfg.Faults = append(cfg.Faults, sf)
	}
	if s.HasSwarm() {
		// This seed's own scale of the network's delays, recorded in the history's meta
		// after the entries' mixes.
		scale := DrawDelayScale(seed)
		cfg.Network = s.Network.scaled(scale).sim()
		cfg.Meta.Swarm = append(cfg.Meta.Swarm, fmt.Sprintf("network: delays × %.2f", scale))
	}
	return cfg, nil
}

// clockSpec combines the default clock (draw ranges) with the node's own entry (fixed
// values that replace the draw).
func (s *Scenario) clockSpec(name string) sim.ClockSpec {
	var c sim.ClockSpec
	var defp, ownp *Clock
	if def, ok := s.Clocks["default"]; ok {
		c.DriftRangePPM = def.DriftPPM
		c.OffsetRange = int64(def.Offset)
		defp = &def
	}
	if own, ok := s.Clocks[name]; ok && name != "default" {
		ownp = &own
	}
	simDynamics(defp, ownp, &c)
	if own, ok := s.Clocks[name]; ok {
		if own.HasDrift {
			c.DriftPPM, c.DriftRangePPM = own.DriftPPM, 0
		}
		if own.HasOffset {
			c.Offset, c.OffsetRange = int64(own.Offset), 0
		}
	}
	return c
}

func (s *Scenario) processingDelay(name string) int64 {
	if d, ok := s.Processing[name]; ok {
		return int64(d)
	}
	return int64(s.Processing["default"])
}

func (s *Scenario) simNetwork() sim.Network { return s.Network.sim() }

func (nw Network) sim() sim.Network {
	n := sim.Network{Delay: nw.Delay.simDelay(), Loss: nw.Loss, Duplicate: nw.Duplicate}
	for _, l := range nw.Links {
		n.Links = append(n.Links, sim.Link{From: l.From, To: l.To, Delay: l.Delay.simDelay()})
	}
	return n
}

func (d Delay) simDelay() sim.DelayDist {
	return sim.DelayDist{Kind: d.Dist, Fixed: int64(d.Value), Min: int64(d.Min), Max: int64(d.Max),
		Median: int64(d.Median), P99: int64(d.P99)}
}
