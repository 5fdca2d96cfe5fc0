package leasesimtest

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"pgregory.net/rapid"

	"github.com/leasesim/leasesim/model"
	_ "github.com/leasesim/leasesim/model/all" // the catalog's protocols, which its files name
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// entry is one scenario to run: its parsed form, where it came from, its exact file
// text (for the bundle), and why it is skipped ("" to run it).
type entry struct {
	sc   *scenarios.Scenario
	file string
	data []byte
	skip string
	// random is the index of a random schedule (Random), -1 for any other scenario.
	random int
}

// plan lists the scenarios the options select for protocol p, in option order: catalog
// patterns, then files, then random schedules.
func plan(p *model.Protocol, c *config) ([]entry, error) {
	var out []entry
	for _, pat := range c.catalog {
		if _, err := path.Match(pat, ""); err != nil {
			return nil, fmt.Errorf("leasesimtest: Catalog(%q): %v", pat, err)
		}
		n := 0
		for _, name := range catalog.Names() {
			if ok, _ := path.Match(pat, strings.TrimSuffix(name, ".yaml")); !ok {
				continue
			}
			n++
			data, err := catalog.Read(name)
			if err != nil {
				return nil, err
			}
			e, err := substituted(p, catalog.Prefix+name, data)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		if n == 0 {
			return nil, fmt.Errorf("leasesimtest: Catalog(%q) matches no built-in scenario; `leasesim list` lists them", pat)
		}
	}
	for _, pat := range c.files {
		paths, err := filepath.Glob(pat)
		if err != nil {
			return nil, fmt.Errorf("leasesimtest: Files(%q): %v", pat, err)
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("leasesimtest: Files(%q) matches no file", pat)
		}
		for _, f := range paths {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("leasesimtest: %v", err)
			}
			sc, err := scenarios.Parse(data, f)
			if err != nil {
				return nil, err
			}
			if sc.Protocol != p.Name {
				return nil, fmt.Errorf("leasesimtest: %s: protocol: %s; expected %s, the protocol under test", f, sc.Protocol, p.Name)
			}
			out = append(out, entry{sc: sc, file: f, data: data, random: -1})
		}
	}
	if c.seeds > 0 {
		for _, e := range out {
			e.sc.SetSeedCount(c.seeds)
		}
	}
	if c.random > 0 {
		base, err := RandomBase(p)
		if err != nil {
			return nil, err
		}
		bounds := scenarios.BoundsFrom(base)
		gen := rapid.Custom(func(t *rapid.T) *scenarios.Scenario { return scenarios.Generate(t, base, bounds) })
		for i := range c.random {
			g := gen.Example(i)
			g.Name = fmt.Sprintf("random-%d", i)
			data := g.Marshal()
			sc, err := scenarios.Parse(data, g.Name+".yaml")
			if err != nil {
				return nil, fmt.Errorf("leasesimtest: random schedule %d does not parse back (a leasesim bug): %w", i, err)
			}
			out = append(out, entry{sc: sc, file: g.Name + ".yaml", data: data, random: i})
		}
	}
	return out, nil
}

// RandomBase returns the scenario Random draws its schedules from, for protocol p:
// holders A, B, C, the resource R, lognormal delays (median 2ms, p99 40ms), clocks
// drifting up to ±100ppm, the protocol's default parameters, a minute of random faults
// of every kind but the issuer's crash, then the generated fault-free tail; p1, p2 and
// p4 must hold (and p3 when the protocol has an OpModel), and the lease must be held
// again within half the tail.
func RandomBase(p *model.Protocol) (*scenarios.Scenario, error) {
	expect := "  p1: holds\n  p2: holds\n  p4: holds\n"
	if p.OpModel != nil {
		expect += "  p3: holds\n"
	}
	yaml := fmt.Sprintf(`name: random
protocol: %s
holders: [A, B, C]
resource: true
network:
  delay: {dist: lognormal, median: 2ms, p99: 40ms}
clocks:
  default: {drift_ppm: 100}
faults:
  - random: {from: 0s, until: 60s, kinds: [partition, cut, cut_oneway, isolate, crash, pause, slow, lossy, clock_step, drift],
             mean_gap: 10s, mean_length: 4s, max_drift_ppm: 100}
duration: 60s
seeds: 1
expect:
%s`, p.Name, expect)
	sc, err := scenarios.Parse([]byte(yaml), "random.yaml")
	if err != nil {
		return nil, fmt.Errorf("leasesimtest: the random base scenario does not fit protocol %s: %w", p.Name, err)
	}
	return sc, nil
}

// SubstituteProtocol returns the catalog scenario in data (read from file) with protocol
// p in place of its own, by the rule of the package documentation, as the text of a
// scenario file. skip is non-empty when the scenario does not fit p, and says why.
func SubstituteProtocol(p *model.Protocol, file string, data []byte) (out []byte, skip string, err error) {
	e, err := substituted(p, file, data)
	if err != nil {
		return nil, "", err
	}
	return e.data, e.skip, nil
}

func substituted(p *model.Protocol, file string, data []byte) (entry, error) {
	sc, err := scenarios.Parse(data, file)
	if err != nil {
		return entry{}, err
	}
	e := entry{sc: sc, file: file, data: data, random: -1}
	if sc.Protocol == p.Name {
		return e, nil
	}
	switch {
	case sc.Mutant != "":
		e.skip = fmt.Sprintf("%s runs mutant %s of protocol %s", sc.Name, sc.Mutant, sc.Protocol)
		return e, nil
	case sc.Issuers > max(p.MaxIssuers, 1):
		e.skip = fmt.Sprintf("%s has %d issuers; protocol %s supports %d", sc.Name, sc.Issuers, p.Name, max(p.MaxIssuers, 1))
		return e, nil
	}
	for _, k := range result.Properties {
		rb, rated := sc.Expect.Rates[k]
		if sc.Expect.Properties[k] == result.PropViolated || rated && (rb.Op == ">=" || rb.Op == ">") {
			e.skip = fmt.Sprintf("%s expects %s of protocol %s to be violated", sc.Name, k, sc.Protocol)
			return e, nil
		}
	}
	s := *sc
	s.Protocol = p.Name
	s.Params = map[string]string{}
	declared := map[string]bool{}
	for _, prm := range p.AllParams() {
		declared[prm.Name] = true
	}
	for k, v := range sc.Params {
		if declared[k] {
			s.Params[k] = v
		}
	}
	s.Expect.Bounds = nil
	s.Description = fmt.Sprintf("%s with protocol %s in place of %s (leasesimtest: params it does not declare and metric bounds dropped). %s", file, p.Name, sc.Protocol, sc.Description)
	text := s.Marshal()
	out, err := scenarios.Parse(text, file)
	if err != nil {
		return entry{}, fmt.Errorf("leasesimtest: %s with protocol %s: %w", file, p.Name, err)
	}
	return entry{sc: out, file: file, data: text, random: -1}, nil
}
