package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/leasesim/leasesim/model"
)

// decoder walks a parsed YAML (or JSON) document and turns it into typed values,
// collecting an Error — with the file, line and column of the offending node — for every
// key it does not know, every value of the wrong type and every impossible value. It never
// panics on input: every node kind it does not expect is an error.
type decoder struct {
	file    string
	errs    []*Error
	anchors map[string]ast.Node
	// liveNodes holds the nodes of the liveness keys (liveness.go), for later errors.
	liveNodes map[string]ast.Node
}

// maxErrors bounds how many errors one file reports: after that, the rest are noise.
const maxErrors = 20

func (d *decoder) errorf(n ast.Node, field, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	line, col := position(n)
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// position returns the 1-based line and column where n starts, or 0, 0 when unknown.
func position(n ast.Node) (int, int) {
	if n == nil {
		return 0, 0
	}
	if mv, ok := n.(*ast.MappingValueNode); ok && mv.Key != nil {
		n = mv.Key
	}
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 && !m.IsFlowStyle {
		return position(m.Values[0])
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

// resolve strips tags and anchors and follows aliases.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for depth := 0; depth < 32; depth++ {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			if name, ok := v.Name.(*ast.StringNode); ok {
				if d.anchors == nil {
					d.anchors = map[string]ast.Node{}
				}
				d.anchors[name.Value] = v.Value
			}
			n = v.Value
		case *ast.AliasNode:
			target, ok := d.anchors[aliasName(v)]
			if !ok {
				return v
			}
			n = target
		default:
			return n
		}
	}
	return n
}

func aliasName(a *ast.AliasNode) string {
	if s, ok := a.Value.(*ast.StringNode); ok {
		return s.Value
	}
	if a.Value != nil {
		return a.Value.String()
	}
	return ""
}

// describe names what a node is, for "expected X, got Y" messages.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("the string %q", v.Value)
	case *ast.LiteralNode:
		return "a block string"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + n.String()
	case *ast.BoolNode:
		return "the bool " + n.String()
	case *ast.AliasNode:
		return "an alias to an unknown anchor"
	}
	return n.Type().String()
}

// mapping is a YAML mapping whose keys are taken one by one; what is left at the end is
// an unknown key.
type mapping struct {
	node  ast.Node
	keys  []string
	key   map[string]ast.Node
	value map[string]ast.Node
	taken map[string]bool
}

func (d *decoder) mapping(n ast.Node, field string) (*mapping, bool) {
	n = d.resolve(n)
	var values []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		values = v.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{v}
	default:
		d.errorf(n, field, "expected a mapping, got %s", describe(n))
		return nil, false
	}
	m := &mapping{node: n, key: map[string]ast.Node{}, value: map[string]ast.Node{}, taken: map[string]bool{}}
	for _, mv := range values {
		k := d.resolve(mv.Key)
		var name string
		switch kv := k.(type) {
		case *ast.StringNode:
			name = kv.Value
		case *ast.IntegerNode, *ast.BoolNode, *ast.FloatNode:
			name = kv.String()
		case *ast.MappingKeyNode:
			d.errorf(mv, field, "complex mapping keys are not supported")
			continue
		default:
			d.errorf(mv, field, "expected a key name, got %s", describe(k))
			continue
		}
		if _, dup := m.key[name]; dup {
			d.errorf(mv, join(field, name), "duplicate key %q", name)
			continue
		}
		m.keys = append(m.keys, name)
		m.key[name] = mv
		m.value[name] = mv.Value
	}
	return m, true
}

// take returns the value of key and marks it known.
func (m *mapping) take(key string) (ast.Node, bool) {
	v, ok := m.value[key]
	if ok {
		m.taken[key] = true
	}
	return v, ok
}

// done reports every key that was not taken as unknown, listing the keys the mapping
// accepts.
func (d *decoder) done(m *mapping, field string, accepted ...string) {
	for _, k := range m.keys {
		if m.taken[k] {
			continue
		}
		where := field
		if where == "" {
			where = "the top level"
		}
		d.errorf(m.key[k], join(field, k), "unknown key %q in %s; expected one of: %s", k, where, strings.Join(accepted, ", "))
	}
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

func (d *decoder) str(n ast.Node, field string) (string, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value != nil {
			return strings.TrimRight(v.Value.Value, "\n"), true
		}
		return "", true
	}
	d.errorf(n, field, "expected a string, got %s", describe(n))
	return "", false
}

// scalarText returns a scalar's text whatever its YAML type: parameter values are
// validated by their protocol, which knows their kind.
func (d *decoder) scalarText(n ast.Node, field string) (string, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.String(), true
	}
	d.errorf(n, field, "expected a single value, got %s", describe(n))
	return "", false
}

func (d *decoder) boolean(n ast.Node, field string) (bool, bool) {
	n = d.resolve(n)
	if v, ok := n.(*ast.BoolNode); ok {
		return v.Value, true
	}
	d.errorf(n, field, "expected true or false, got %s", describe(n))
	return false, false
}

func (d *decoder) integer(n ast.Node, field string) (int64, bool) {
	n = d.resolve(n)
	if v, ok := n.(*ast.IntegerNode); ok {
		switch x := v.Value.(type) {
		case int64:
			return x, true
		case uint64:
			if x <= math.MaxInt64 {
				return int64(x), true
			}
		}
		d.errorf(n, field, "%s is too large", v.String())
		return 0, false
	}
	d.errorf(n, field, "expected an integer, got %s", describe(n))
	return 0, false
}

func (d *decoder) number(n ast.Node, field string) (float64, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.IntegerNode:
		f, err := strconv.ParseFloat(v.String(), 64)
		if err == nil {
			return f, true
		}
	case *ast.FloatNode:
		if !math.IsNaN(v.Value) && !math.IsInf(v.Value, 0) {
			return v.Value, true
		}
	}
	d.errorf(n, field, "expected a number, got %s", describe(n))
	return 0, false
}

// fraction is a number in [0, 1].
func (d *decoder) fraction(n ast.Node, field string) (float64, bool) {
	f, ok := d.number(n, field)
	if ok && (f < 0 || f > 1) {
		d.errorf(n, field, "%v is outside [0, 1]; expected a probability", f)
		return 0, false
	}
	return f, ok
}

// duration is a Go duration string ("500ms", "-2s") or the integer 0. Negative durations
// are allowed only where signed says so.
func (d *decoder) duration(n ast.Node, field string, signed bool) (time.Duration, bool) {
	n = d.resolve(n)
	var text string
	switch v := n.(type) {
	case *ast.StringNode:
		text = v.Value
	case *ast.IntegerNode:
		if v.String() == "0" {
			return 0, true
		}
		d.errorf(n, field, "%s has no unit; expected a Go duration like 500ms, 10s or 2m", v.String())
		return 0, false
	default:
		d.errorf(n, field, "expected a duration like 500ms or 10s, got %s", describe(n))
		return 0, false
	}
	dur, err := time.ParseDuration(text)
	if err != nil {
		d.errorf(n, field, "%q is not a duration; expected a Go duration like 500ms, 10s or 2m", text)
		return 0, false
	}
	if dur < 0 && !signed {
		d.errorf(n, field, "%s is negative; expected a duration >= 0", text)
		return 0, false
	}
	if dur > model.MaxDuration || dur < -model.MaxDuration {
		want := "at most " + maxText
		if signed {
			want = "between -" + maxText + " and " + maxText
		}
		d.errorf(n, field, "%s is too long; expected %s (FORMAT.md, Limits)", text, want)
		return 0, false
	}
	return dur, true
}

func (d *decoder) seq(n ast.Node, field string) ([]ast.Node, bool) {
	n = d.resolve(n)
	if v, ok := n.(*ast.SequenceNode); ok {
		return v.Values, true
	}
	d.errorf(n, field, "expected a list, got %s", describe(n))
	return nil, false
}

// names is a list of node names, or a single name.
func (d *decoder) names(n ast.Node, field string) ([]string, bool) {
	n = d.resolve(n)
	if s, ok := n.(*ast.StringNode); ok {
		return []string{s.Value}, true
	}
	items, ok := d.seq(n, field)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := d.str(it, index(field, i))
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// nodeSet is a non-empty set of node names: a list, or a single name, each name once.
func (d *decoder) nodeSet(n ast.Node, field string) ([]string, bool) {
	names, ok := d.names(n, field)
	if !ok {
		return nil, false
	}
	if len(names) == 0 {
		d.errorf(n, field, "an empty set of nodes; expected at least one node name, like [A]")
		return nil, false
	}
	for i, name := range names {
		if slices.Contains(names[:i], name) {
			d.errorf(n, index(field, i), "%q is listed twice; expected each node once", name)
			return nil, false
		}
	}
	return names, true
}

// groups is a list of disjoint, non-empty sets of node names.
func (d *decoder) groups(n ast.Node, field string) ([][]string, bool) {
	items, ok := d.seq(n, field)
	if !ok {
		return nil, false
	}
	out := make([][]string, 0, len(items))
	for i, it := range items {
		g, ok := d.nodeSet(it, index(field, i))
		if !ok {
			return nil, false
		}
		for _, name := range g {
			for j, prev := range out {
				if slices.Contains(prev, name) {
					d.errorf(it, index(field, i), "%q is also in group %d; expected each node in one group", name, j)
					return nil, false
				}
			}
		}
		out = append(out, g)
	}
	return out, true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
