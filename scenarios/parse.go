package scenarios

import (
	"errors"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/leasesim/leasesim/model"
)

// topKeys are the keys a scenario file may have at its top level, in FORMAT.md order.
var topKeys = []string{"name", "description", "protocol", "mutant", "issuers", "holders", "resource", "params", "processing", "network", "clocks", "faults", "duration", "tail", "seeds", "expect"}

var (
	nameRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	holderRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9_]*$`)
	issuerRE = regexp.MustCompile(`^Q[0-9]*$`)
)

// maxHolders bounds the holder count: beyond it a run is a load test, not a scenario.
const maxHolders = 1000

// Reserved names that cannot be holders: the issuer and resource names and the words with
// a meaning in fault and clock sections.
var reservedNames = []string{"R", "Q", "leader", "random", "default"}

// Parse reads a scenario from YAML or JSON. filename is used in error messages and kept
// in Scenario.File. Every problem found is reported, each with its line, column and
// field, as an ErrorList.
func Parse(data []byte, filename string) (*Scenario, error) {
	d := &decoder{file: filename}
	if !utf8.Valid(data) {
		return nil, ErrorList{{File: filename, Msg: "the file is not valid UTF-8"}}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, ErrorList{syntaxError(filename, err)}
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if _, isComment := doc.Body.(*ast.CommentGroupNode); isComment {
			continue
		}
		if body != nil {
			d.errorf(doc.Body, "", "a scenario file holds one document; this is document %d", i+1)
			return nil, ErrorList(d.errs)
		}
		body = doc.Body
	}
	if body == nil {
		return nil, ErrorList{{File: filename, Line: 1, Column: 1, Msg: "the file is empty; expected a scenario with at least name and protocol"}}
	}
	sc := d.scenario(body)
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		return nil, ErrorList(d.errs)
	}
	sc.File = filename
	return sc, nil
}

func syntaxError(file string, err error) *Error {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		return &Error{File: file, Line: se.Token.Position.Line, Column: se.Token.Position.Column, Msg: "YAML syntax: " + se.Message}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &Error{File: file, Msg: "YAML syntax: " + msg}
}

func sortErrors(errs []*Error) {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Line != errs[j].Line {
			return errs[i].Line < errs[j].Line
		}
		return errs[i].Column < errs[j].Column
	})
}

func (d *decoder) scenario(body ast.Node) *Scenario {
	sc := &Scenario{Issuers: 1, Duration: DefaultDuration, Seeds: Seeds{From: DefaultFirstSeed, Count: DefaultSeeds},
		Network: Network{Delay: DefaultDelay}, Params: map[string]string{},
		Processing: map[string]time.Duration{}, Clocks: map[string]Clock{}, Expect: Expect{Properties: map[string]string{}}}
	m, ok := d.mapping(body, "")
	if !ok {
		return sc
	}
	get := func(k string) (ast.Node, bool) { return m.take(k) }

	if v, ok := get("name"); ok {
		if s, ok := d.str(v, "name"); ok {
			if !nameRE.MatchString(s) {
				d.errorf(v, "name", "%q is not a scenario name; expected lower-case letters, digits and dashes ([a-z0-9-]+)", s)
			}
			sc.Name = s
		}
	} else {
		d.errorf(m.node, "name", "missing: every scenario needs a name ([a-z0-9-]+)")
	}
	if v, ok := get("description"); ok {
		sc.Description, _ = d.str(v, "description")
	}
	var proto *model.Protocol
	protoNode, hasProto := get("protocol")
	if hasProto {
		if s, ok := d.str(protoNode, "protocol"); ok {
			sc.Protocol = s
			if p, found := model.Lookup(s); found {
				proto = p
			} else {
				d.errorf(protoNode, "protocol", "unknown protocol %q; expected one of: %s", s, strings.Join(model.Names(), ", "))
			}
		}
	} else {
		d.errorf(m.node, "protocol", "missing: every scenario needs a protocol (one of: %s)", strings.Join(model.Names(), ", "))
	}
	if v, ok := get("mutant"); ok {
		if s, ok := d.str(v, "mutant"); ok {
			sc.Mutant = s
			if proto != nil {
				if _, found := proto.Mutant(s); !found {
					var names []string
					for _, mu := range proto.Mutants {
						names = append(names, mu.Name)
					}
					if len(names) == 0 {
						d.errorf(v, "mutant", "protocol %s has no mutants", proto.Name)
					} else {
						d.errorf(v, "mutant", "protocol %s has no mutant %q; expected one of: %s", proto.Name, s, strings.Join(names, ", "))
					}
				}
			}
		}
	}
	if v, ok := get("issuers"); ok {
		if n, ok := d.integer(v, "issuers"); ok {
			maxIssuers := 9
			if proto != nil {
				maxIssuers = proto.MaxIssuers
			}
			if n < 1 || n > int64(maxIssuers) {
				d.errorf(v, "issuers", "%d issuers; expected 1..%d for protocol %s", n, maxIssuers, sc.Protocol)
			} else {
				sc.Issuers = int(n)
			}
		}
	}
	if v, ok := get("holders"); ok {
		sc.Holders = d.holders(v, "holders")
	} else {
		sc.Holders = HolderNames(DefaultHolders)
	}
	if v, ok := get("resource"); ok {
		sc.Resource, _ = d.boolean(v, "resource")
	}
	known := sc.nodeNames()
	if v, ok := get("params"); ok {
		d.params(v, sc, proto)
	} else if proto != nil {
		d.setValues(m.node, sc, proto, nil)
	}
	if v, ok := get("processing"); ok {
		d.processing(v, "processing", sc, known)
	}
	if v, ok := get("network"); ok {
		d.network(v, "network", sc, known)
	}
	if v, ok := get("clocks"); ok {
		d.clocks(v, "clocks", sc, known)
	}
	var faultsNode ast.Node
	if v, ok := get("faults"); ok {
		faultsNode = v
		sc.Faults = d.faults(v, "faults")
	}
	if v, ok := get("duration"); ok {
		if dur, ok := d.duration(v, "duration", false); ok {
			if dur <= 0 {
				d.errorf(v, "duration", "a run lasts a positive time; got %s", dur)
			} else {
				sc.Duration = dur
			}
		}
	}
	tailNode, _ := get("tail")
	if v, ok := get("seeds"); ok {
		d.seeds(v, "seeds", sc)
	}
	if v, ok := get("expect"); ok {
		sc.Expect = d.expect(v, "expect")
	}
	sc.Expect.Seeds = sc.Seeds.Count
	d.done(m, "", topKeys...)
	if faultsNode != nil && len(d.errs) == 0 {
		d.checkFaults(faultsNode, sc, known)
	}
	d.liveness(sc, tailNode, faultsNode)
	if len(d.errs) == 0 {
		d.checkLimits(limitNodes{top: m, faults: faultsNode}, sc, proto)
	}
	return sc
}

// HolderNames returns the default names of n holders: A, B, C, … skipping Q and R (the
// issuer's and the resource's names), then H25, H26, … past the alphabet.
func HolderNames(n int) []string {
	var out []string
	for c := 'A'; c <= 'Z' && len(out) < n; c++ {
		if c == 'Q' || c == 'R' {
			continue
		}
		out = append(out, string(c))
	}
	for i := len(out) + 1; len(out) < n; i++ {
		out = append(out, "H"+strconv.Itoa(i))
	}
	return out
}

// IssuerNames returns the issuer names: Q for one, Q1..Qn for more.
func IssuerNames(n int) []string {
	if n == 1 {
		return []string{"Q"}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = "Q" + strconv.Itoa(i+1)
	}
	return out
}

// ResourceName is the resource node's name.
const ResourceName = "R"

// nodeNames returns every node of the scenario.
func (s *Scenario) nodeNames() []string {
	out := append(IssuerNames(s.Issuers), s.Holders...)
	if s.Resource {
		out = append(out, ResourceName)
	}
	return out
}

func (d *decoder) holders(n ast.Node, field string) []string {
	n = d.resolve(n)
	if _, isInt := n.(*ast.IntegerNode); isInt {
		c, ok := d.integer(n, field)
		if !ok {
			return nil
		}
		if c < 1 || c > maxHolders {
			d.errorf(n, field, "%d holders; expected 1..%d", c, maxHolders)
			return nil
		}
		return HolderNames(int(c))
	}
	names, ok := d.names(n, field)
	if !ok {
		return nil
	}
	if len(names) == 0 || len(names) > maxHolders {
		d.errorf(n, field, "%d holders; expected 1..%d", len(names), maxHolders)
		return nil
	}
	seen := map[string]bool{}
	for i, h := range names {
		switch {
		case slices.Contains(reservedNames, h) || issuerRE.MatchString(h):
			d.errorf(n, index(field, i), "%q is reserved (Q and Q1..Qn are issuers, R the resource; leader, random and default have meanings); choose another holder name", h)
		case !holderRE.MatchString(h):
			d.errorf(n, index(field, i), "%q is not a holder name; expected a capital letter then letters, digits or _ (A, B2, Web_1)", h)
		case seen[h]:
			d.errorf(n, index(field, i), "holder %q is listed twice", h)
		}
		seen[h] = true
	}
	return names
}

func (d *decoder) params(n ast.Node, sc *Scenario, proto *model.Protocol) {
	m, ok := d.mapping(n, "params")
	if !ok {
		return
	}
	raw := map[string]string{}
	for _, k := range m.keys {
		m.taken[k] = true
		if s, ok := d.scalarText(m.value[k], join("params", k)); ok {
			raw[k] = s
		}
	}
	sc.Params = raw
	if proto != nil {
		d.setValues(n, sc, proto, m)
	}
}

// setValues validates the parameters with the protocol, pointing a ParamError at the
// parameter's own line.
func (d *decoder) setValues(at ast.Node, sc *Scenario, proto *model.Protocol, m *mapping) {
	v, err := proto.ParseValues(sc.Params)
	if err == nil {
		sc.Values = v
		return
	}
	var pe *model.ParamError
	if errors.As(err, &pe) {
		node := at
		if m != nil {
			if kn, ok := m.key[pe.Param]; ok {
				node = kn
			}
		}
		d.errorf(node, "params."+pe.Param, "%s", pe.Msg)
		return
	}
	d.errorf(at, "params", "%v", err)
}

// nodeKey checks a key that must name a node of the scenario, or "default".
func (d *decoder) nodeKey(m *mapping, k, field string, known []string) bool {
	if k == "default" || slices.Contains(known, k) {
		return true
	}
	d.errorf(m.key[k], join(field, k), "no node %q in this scenario; expected default or one of: %s", k, strings.Join(known, ", "))
	return false
}

func (d *decoder) processing(n ast.Node, field string, sc *Scenario, known []string) {
	m, ok := d.mapping(n, field)
	if !ok {
		return
	}
	for _, k := range m.keys {
		m.taken[k] = true
		if !d.nodeKey(m, k, field, known) {
			continue
		}
		if dur, ok := d.duration(m.value[k], join(field, k), false); ok {
			sc.Processing[k] = dur
		}
	}
}

func (d *decoder) clocks(n ast.Node, field string, sc *Scenario, known []string) {
	m, ok := d.mapping(n, field)
	if !ok {
		return
	}
	for _, k := range m.keys {
		m.taken[k] = true
		if !d.nodeKey(m, k, field, known) {
			continue
		}
		kf := join(field, k)
		cm, ok := d.mapping(m.value[k], kf)
		if !ok {
			continue
		}
		var c Clock
		if v, ok := cm.take("drift_ppm"); ok {
			c.DriftPPM, c.HasDrift = d.number(v, join(kf, "drift_ppm"))
			if c.HasDrift && (c.DriftPPM <= -1e6 || c.DriftPPM > 1e6 || (k == "default" && c.DriftPPM < 0)) {
				want := "a drift in (-1000000, 1000000] ppm"
				if k == "default" {
					want = "a drift bound >= 0 (each node draws in ±drift_ppm)"
				}
				d.errorf(v, join(kf, "drift_ppm"), "%v is out of range; expected %s", c.DriftPPM, want)
			}
		}
		if v, ok := cm.take("offset"); ok {
			c.Offset, c.HasOffset = d.duration(v, join(kf, "offset"), k != "default")
		}
		d.clockDynamics(cm, kf, &c)
		d.done(cm, kf, clockKeys...)
		sc.Clocks[k] = c
	}
}

func (d *decoder) network(n ast.Node, field string, sc *Scenario, known []string) {
	m, ok := d.mapping(n, field)
	if !ok {
		return
	}
	if v, ok := m.take("delay"); ok {
		sc.Network.Delay, _ = d.delay(v, join(field, "delay"))
	}
	if v, ok := m.take("loss"); ok {
		sc.Network.Loss, _ = d.fraction(v, join(field, "loss"))
	}
	if v, ok := m.take("duplicate"); ok {
		sc.Network.Duplicate, _ = d.fraction(v, join(field, "duplicate"))
	}
	if v, ok := m.take("links"); ok {
		items, _ := d.seq(v, join(field, "links"))
		for i, it := range items {
			lf := index(join(field, "links"), i)
			lm, ok := d.mapping(it, lf)
			if !ok {
				continue
			}
			var l LinkDelay
			for _, k := range []string{"from", "to", "delay"} {
				v, has := lm.take(k)
				if !has {
					d.errorf(it, join(lf, k), "a link needs from, to and delay, like {from: [A], to: [R], delay: {dist: fixed, value: 30ms}}")
					continue
				}
				switch k {
				case "from":
					l.From, _ = d.nodeSet(v, join(lf, k))
				case "to":
					l.To, _ = d.nodeSet(v, join(lf, k))
				case "delay":
					l.Delay, _ = d.delay(v, join(lf, k))
				}
			}
			for _, name := range append(append([]string{}, l.From...), l.To...) {
				if !slices.Contains(known, name) {
					d.errorf(it, lf, "no node %q in this scenario; expected one of: %s", name, strings.Join(known, ", "))
				}
			}
			d.done(lm, lf, "from", "to", "delay")
			sc.Network.Links = append(sc.Network.Links, l)
		}
	}
	d.done(m, field, "delay", "loss", "duplicate", "links")
}

// delay reads a delay distribution, or a bare duration meaning a fixed delay.
func (d *decoder) delay(n ast.Node, field string) (Delay, bool) {
	n = d.resolve(n)
	if _, isMap := n.(*ast.MappingNode); !isMap {
		if _, isMV := n.(*ast.MappingValueNode); !isMV {
			v, ok := d.duration(n, field, false)
			return Delay{Dist: "fixed", Value: v}, ok
		}
	}
	m, _ := d.mapping(n, field)
	distNode, has := m.take("dist")
	if !has {
		d.errorf(n, join(field, "dist"), "a delay needs dist: fixed, uniform or lognormal")
		d.done(m, field, "dist")
		return Delay{}, false
	}
	dist, ok := d.str(distNode, join(field, "dist"))
	if !ok {
		return Delay{}, false
	}
	var keys []string
	switch dist {
	case "fixed":
		keys = []string{"value"}
	case "uniform":
		keys = []string{"min", "max"}
	case "lognormal":
		keys = []string{"median", "p99"}
	default:
		d.errorf(distNode, join(field, "dist"), "%q is not a delay distribution; expected fixed, uniform or lognormal", dist)
		return Delay{}, false
	}
	dl := Delay{Dist: dist}
	vals := map[string]*time.Duration{"value": &dl.Value, "min": &dl.Min, "max": &dl.Max, "median": &dl.Median, "p99": &dl.P99}
	for _, k := range keys {
		v, has := m.take(k)
		if !has {
			d.errorf(n, join(field, k), "a %s delay needs %s", dist, strings.Join(keys, " and "))
			ok = false
			continue
		}
		dur, vok := d.duration(v, join(field, k), false)
		*vals[k] = dur
		ok = ok && vok
	}
	d.done(m, field, append([]string{"dist"}, keys...)...)
	if ok && dist == "uniform" && dl.Max < dl.Min {
		d.errorf(n, join(field, "max"), "max %s is below min %s", dl.Max, dl.Min)
		ok = false
	}
	if ok && dist == "lognormal" && (dl.Median <= 0 || dl.P99 < dl.Median) {
		d.errorf(n, join(field, "p99"), "a lognormal delay needs 0 < median <= p99; got median %s, p99 %s", dl.Median, dl.P99)
		ok = false
	}
	return dl, ok
}

func (d *decoder) seeds(n ast.Node, field string, sc *Scenario) {
	n = d.resolve(n)
	if _, isInt := n.(*ast.IntegerNode); isInt {
		c, ok := d.integer(n, field)
		if ok && (c < 1 || c > 1_000_000) {
			d.errorf(n, field, "%d seeds; expected 1..1000000", c)
			return
		}
		sc.Seeds.Count = int(c)
		return
	}
	m, ok := d.mapping(n, field)
	if !ok {
		return
	}
	if v, ok := m.take("from"); ok {
		if f, ok := d.integer(v, join(field, "from")); ok {
			if f < 0 {
				d.errorf(v, join(field, "from"), "%d is negative; expected a seed >= 0", f)
			}
			sc.Seeds.From = uint64(f)
		}
	}
	if v, ok := m.take("count"); ok {
		if c, ok := d.integer(v, join(field, "count")); ok {
			if c < 1 || c > 1_000_000 {
				d.errorf(v, join(field, "count"), "%d seeds; expected 1..1000000", c)
			}
			sc.Seeds.Count = int(c)
		}
	} else {
		d.errorf(n, join(field, "count"), "seeds needs count, like {from: 1000, count: 100}")
	}
	d.done(m, field, "from", "count")
}

// checkFaults checks what needs the whole file: fault times inside the run, node names
// that exist, and faults that contradict each other.
func (d *decoder) checkFaults(n ast.Node, sc *Scenario, known []string) {
	items, _ := d.seq(n, "faults")
	targets := append(append([]string{}, known...), "leader", "random")
	type span struct {
		kind     string
		from, to time.Duration
		at       ast.Node
	}
	busy := map[string][]span{}
	instants := map[string]map[time.Duration]float64{}
	var reorders []span
	for i, f := range sc.Faults {
		field := index("faults", i)
		at := items[i]
		if f.Kind == "random" {
			if f.Random.From >= sc.Duration {
				d.errorf(at, join(field, "random.from"), "starts at %s, at or after the run ends (duration %s)", f.Random.From, sc.Duration)
			}
			continue
		}
		if f.At >= sc.Duration {
			d.errorf(at, join(field, "at"), "%s starts at %s, at or after the run ends (duration %s)", f.Kind, f.At, sc.Duration)
			continue
		}
		for _, name := range f.faultNodes() {
			if !slices.Contains(targets, name) {
				d.errorf(at, join(field, string(f.Kind)), "no node %q in this scenario; expected leader, random or one of: %s", name, strings.Join(known, ", "))
			}
		}
		switch f.Kind {
		case "crash", "pause":
			if f.Node == "leader" || f.Node == "random" {
				continue
			}
			s := span{kind: string(f.Kind), from: f.At, to: f.end(sc.Duration), at: at}
			for _, o := range busy[f.Node] {
				if s.from < o.to && o.from < s.to {
					d.errorf(at, field, "%s of %s from %s overlaps its %s from %s; a node cannot be crashed or paused twice at once", s.kind, f.Node, s.from, o.kind, o.from)
				}
			}
			busy[f.Node] = append(busy[f.Node], s)
		case "drift":
			if instants[f.Node] == nil {
				instants[f.Node] = map[time.Duration]float64{}
			}
			if prev, dup := instants[f.Node][f.At]; dup && prev != f.PPM {
				d.errorf(at, field, "two drift changes of %s at %s (%v and %v ppm) contradict each other", f.Node, f.At, prev, f.PPM)
			}
			instants[f.Node][f.At] = f.PPM
		case "reorder":
			s := span{from: f.At, to: f.end(sc.Duration)}
			for _, o := range reorders {
				if s.from < o.to && o.from < s.to {
					d.errorf(at, field, "reorder windows from %s and from %s overlap; give one window per stretch of time", o.from, s.from)
				}
			}
			reorders = append(reorders, s)
		}
	}
}
