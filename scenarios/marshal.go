package scenarios

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
)

// Marshal prints the scenario as a YAML file in FORMAT.md's layout, with every default
// written out, so that Parse(Marshal(s)) describes the same runs. Output is
// deterministic: keys in a fixed order, map entries sorted.
func (s *Scenario) Marshal() []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("name: %s\n", str(s.Name))
	if s.Description != "" {
		w("description: %s\n", str(s.Description))
	}
	w("protocol: %s\n", str(s.Protocol))
	if s.Mutant != "" {
		w("mutant: %s\n", str(s.Mutant))
	}
	w("issuers: %d\n", s.Issuers)
	w("holders: %s\n", list(s.Holders))
	w("resource: %v\n", s.Resource)
	if len(s.Params) > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Params) {
			parts = append(parts, str(k)+": "+str(s.Params[k]))
		}
		w("params: {%s}\n", strings.Join(parts, ", "))
	}
	if len(s.Processing) > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Processing) {
			parts = append(parts, str(k)+": "+result.FormatDuration(s.Processing[k]))
		}
		w("processing: {%s}\n", strings.Join(parts, ", "))
	}
	w("network:\n  delay: %s\n", s.Network.Delay.yaml())
	w("  loss: %s\n  duplicate: %s\n", num(s.Network.Loss), num(s.Network.Duplicate))
	if len(s.Network.Links) > 0 {
		w("  links:\n")
		for _, l := range s.Network.Links {
			w("    - {from: %s, to: %s, delay: %s}\n", list(l.From), list(l.To), l.Delay.yaml())
		}
	}
	if len(s.Clocks) > 0 {
		w("clocks:\n")
		for _, k := range sortedKeys(s.Clocks) {
			c := s.Clocks[k]
			var parts []string
			if c.HasDrift {
				parts = append(parts, "drift_ppm: "+num(c.DriftPPM))
			}
			if c.HasOffset {
				parts = append(parts, "offset: "+result.FormatDuration(c.Offset))
			}
			parts = append(parts, c.dynamicsYAML()...)
			w("  %s: {%s}\n", str(k), strings.Join(parts, ", "))
		}
	}
	if len(s.Faults) > 0 {
		w("faults:\n")
		for i := range s.Faults {
			w("  - %s\n", s.Faults[i].yaml())
		}
	}
	w("duration: %s\n", result.FormatDuration(s.Duration))
	if s.Tail > 0 {
		w("tail: %s\n", result.FormatDuration(s.Tail))
	}
	w("seeds: {from: %d, count: %d}\n", s.Seeds.From, s.Seeds.Count)
	if len(s.Expect.Properties) > 0 || len(s.Expect.Rates) > 0 || len(s.Expect.Bounds) > 0 || s.Expect.RecoversWithin > 0 {
		w("expect:\n")
		for _, p := range result.Properties {
			if v, ok := s.Expect.Properties[p]; ok {
				w("  %s: %s\n", p, v)
			}
			if rb, ok := s.Expect.Rates[p]; ok {
				w("  %s: {rate: %s, confidence: %s}\n", p, str(rb.Op+" "+rb.Text), strconv.FormatFloat(rb.Confidence, 'g', -1, 64))
			}
		}
		written := map[string]bool{}
		for _, bd := range s.Expect.Bounds {
			if bd.Percentile == "" {
				w("  %s: %s\n", bd.Metric, str(bd.Op+" "+bd.Text))
				continue
			}
			if written[bd.Metric] {
				continue
			}
			// Every percentile bound of a metric goes in one mapping.
			written[bd.Metric] = true
			var parts []string
			for _, o := range s.Expect.Bounds {
				if o.Metric == bd.Metric && o.Percentile != "" {
					parts = append(parts, o.Percentile+": "+str(o.Op+" "+o.Text))
				}
			}
			w("  %s: {%s}\n", bd.Metric, strings.Join(parts, ", "))
		}
		if s.Expect.RecoversWithin > 0 {
			w("  %s: %s\n", recoversWithinKey, result.FormatDuration(s.Expect.RecoversWithin))
		}
	}
	return b.Bytes()
}

func (d Delay) yaml() string {
	switch d.Dist {
	case "fixed":
		return fmt.Sprintf("{dist: fixed, value: %s}", result.FormatDuration(d.Value))
	case "uniform":
		return fmt.Sprintf("{dist: uniform, min: %s, max: %s}", result.FormatDuration(d.Min), result.FormatDuration(d.Max))
	case "lognormal":
		return fmt.Sprintf("{dist: lognormal, median: %s, p99: %s}", result.FormatDuration(d.Median), result.FormatDuration(d.P99))
	}
	return "{dist: " + str(d.Dist) + "}"
}

func (f *Fault) yaml() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+": "+v) }
	if f.Kind != "random" {
		add("at", result.FormatDuration(f.At))
	}
	switch f.Kind {
	case "cut", "partition":
		var gs []string
		for _, g := range f.Groups {
			gs = append(gs, list(g))
		}
		add(string(f.Kind), "["+strings.Join(gs, ", ")+"]")
	case "cut_oneway":
		add("cut_oneway", fmt.Sprintf("{from: %s, to: %s}", list(f.From), list(f.To)))
	case "slow":
		add("slow", fmt.Sprintf("{from: %s, to: %s, by: %s}", list(f.From), list(f.To), result.FormatDuration(f.By)))
	case "lossy":
		add("lossy", fmt.Sprintf("{from: %s, to: %s, p: %s}", list(f.From), list(f.To), num(f.P)))
	case "isolate", "crash", "pause":
		add(string(f.Kind), str(f.Node))
	case "clock_step":
		add("clock_step", fmt.Sprintf("{node: %s, by: %s}", str(f.Node), result.FormatDuration(f.By)))
	case "drift":
		add("drift", fmt.Sprintf("{node: %s, ppm: %s}", str(f.Node), num(f.PPM)))
	case "reorder":
		add("reorder", fmt.Sprintf("{window: %s}", result.FormatDuration(f.Window)))
	case "random":
		r := f.Random
		var kinds []string
		for _, k := range r.Kinds {
			kinds = append(kinds, string(k))
		}
		rp := []string{"from: " + result.FormatDuration(r.From)}
		if r.Until != 0 {
			rp = append(rp, "until: "+result.FormatDuration(r.Until))
		}
		rp = append(rp, "kinds: "+list(kinds), "mean_gap: "+result.FormatDuration(r.MeanGap), "mean_length: "+result.FormatDuration(r.MeanLength))
		if r.MaxStep != 0 {
			rp = append(rp, "max_step: "+result.FormatDuration(r.MaxStep))
		}
		if r.MaxDriftPPM != 0 {
			rp = append(rp, "max_drift_ppm: "+num(r.MaxDriftPPM))
		}
		if r.Swarm {
			rp = append(rp, "swarm: true")
		}
		add("random", "{"+strings.Join(rp, ", ")+"}")
	}
	if f.Until != 0 {
		if f.Kind == "crash" {
			add("restart", result.FormatDuration(f.Until))
		} else {
			add("until", result.FormatDuration(f.Until))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// plainRE matches strings that YAML reads back as the same string without quotes.
var plainRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

var yamlWords = map[string]bool{"true": true, "false": true, "null": true, "yes": true, "no": true,
	"on": true, "off": true, "y": true, "n": true, "nan": true, "inf": true}

// str writes a string plainly when that is unambiguous, else double-quoted (Go's escapes
// are a subset of YAML's double-quoted escapes, and Parse only accepts valid UTF-8).
func str(s string) string {
	if plainRE.MatchString(s) && !yamlWords[strings.ToLower(s)] {
		return s
	}
	if _, err := time.ParseDuration(s); err == nil && durationRE.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

func list(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = str(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

var durationRE = regexp.MustCompile(`^[0-9][0-9.a-zµ]*[a-zµ]$`)

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
