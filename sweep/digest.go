package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/scenarios"
)

// ManifestName is the file in a results directory that records what produced it.
const ManifestName = "digest.json"

// Manifest is digest.json: what produced a results directory. Digest covers the
// canonical scenario, the seed range and the leasesim version; the points are recorded
// per line of points.jsonl (each with its own digest), so that a sweep over other
// points of the same scenario adds to the directory instead of replacing it.
type Manifest struct {
	Digest   string `json:"digest"`
	Version  string `json:"version"`
	Seeds    Seeds  `json:"seeds"`
	Scenario string `json:"scenario"`
	// Canonical is the scenario's canonical YAML form, for saying what changed.
	Canonical string `json:"canonical_scenario"`
	// Points lists the keys of the expanded --set points of every sweep written into the
	// directory, in the order first seen (informative: points.jsonl is what counts).
	Points []string `json:"points"`
}

// Seeds is a seed range.
type Seeds struct {
	From  uint64 `json:"from"`
	Count int    `json:"count"`
}

// String describes the range ("4 seeds from 1").
func (s Seeds) String() string {
	return fmt.Sprintf("%d seeds from %d", s.Count, s.From)
}

// BuildVersion returns the leasesim version recorded in the binary: the module's
// version and VCS revision (with "+modified" for a dirty tree) when the build recorded
// them, else "devel" (buildinfo.Version).
func BuildVersion() string { return buildinfo.Version() }

// NewManifest describes a plan run by the given version.
func NewManifest(p *Plan, version string) Manifest {
	canon := canonical(p.Base)
	m := Manifest{Version: version, Seeds: Seeds{From: p.Base.Seeds.From, Count: p.Base.Seeds.Count},
		Scenario: p.Base.Name, Canonical: string(canon)}
	m.Digest = digest(canon, m.Seeds, version)
	for _, pt := range p.Points {
		m.Points = append(m.Points, pt.Key)
	}
	return m
}

// canonical is the scenario's canonical form without its origin or seed range (both
// recorded apart).
func canonical(sc *scenarios.Scenario) []byte {
	c := *sc
	c.Seeds = scenarios.Seeds{}
	return c.Marshal()
}

func digest(canon []byte, seeds Seeds, version string) string {
	h := sha256.New()
	fmt.Fprintf(h, "leasesim sweep\nversion %s\nseeds %d %d\n", version, seeds.From, seeds.Count)
	h.Write(canon)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// pointDigest identifies what produced one point's numbers: its scenario's canonical
// form, its seeds and the version.
func pointDigest(pt Point, version string) string {
	s := pt.Scenario.Seeds
	return digest(canonical(pt.Scenario), Seeds{From: s.From, Count: s.Count}, version)
}

// Mismatch says why a directory's manifest does not match this sweep's, part by part;
// "" when they match.
func Mismatch(have, want Manifest) string {
	var why []string
	if have.Seeds != want.Seeds {
		why = append(why, fmt.Sprintf("the seed range differs: the directory has %s, this sweep asks for %s", have.Seeds, want.Seeds))
	}
	if have.Version != want.Version {
		why = append(why, fmt.Sprintf("the leasesim version differs: the directory was written by %q, this is %q", have.Version, want.Version))
	}
	if have.Canonical != want.Canonical {
		why = append(why, "the scenario differs: "+firstDiff(have.Canonical, want.Canonical))
	} else if have.Digest != want.Digest && len(why) == 0 {
		why = append(why, fmt.Sprintf("the digest differs (%s in the directory, %s now)", have.Digest, want.Digest))
	}
	return strings.Join(why, "; ")
}

// firstDiff names the first line where two canonical scenarios differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d of its canonical form is %q in the directory and %q now", i+1, strings.TrimSpace(x), strings.TrimSpace(y))
		}
	}
	return "the canonical forms differ"
}

func (m Manifest) encode() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}
