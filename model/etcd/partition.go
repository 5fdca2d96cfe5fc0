package etcd

import (
	"strconv"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// methodFirstOther is a First projected into a partition that does not hold the key it
// answered: there it only says that every key of the partition under the prefix with a
// lower create revision was gone.
const methodFirstOther = "first(other)"

// partition splits a client history into independent parts so that porcupine's search
// stays small: keys and leases are linked when one operation names both (a Put, a read
// that answers a key with its lease), and each connected group of keys and leases is a
// part with every operation on them. A First (the election's read) looks at every key
// under its prefix, so it goes into every part: as itself where the key it answered is,
// as methodFirstOther elsewhere.
//
// Calls whose answers never came are left out of every part: a put's or a
// compare-and-swap's write goes with each answered read of its key called before the read
// returned (withWrites), which may show it; placing the write just before the first
// answer that shows it is a linearization (up to that answer's place among operations
// that returned before the write was called, which this does not check). Searching every
// place for every unanswered call instead is exponential when a partition leaves many.
//
// Checking the parts separately is sound — a linearizable history has linearizable parts —
// but weaker than checking the whole: the parts' orders need not agree on one First's
// place, and create revisions are compared within a part only.
func partition(ops []porcupine.Operation) [][]porcupine.Operation {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok {
			parent[x] = x
			return x
		}
		if p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[rb] = ra
		}
	}
	leaseNode := func(id int64) string { return "l" + strconv.FormatInt(id, 10) }
	keyNode := func(k string) string { return "k" + k }

	// node returns the group node an operation belongs to ("" for one that belongs to
	// every group, "-" for one that touches no key or lease).
	node := func(op history.Op) string {
		switch op.Method {
		case methodGrant:
			if !op.Ok {
				return "-"
			}
			return leaseNode(op.OutLease)
		case methodKeepAlive, methodRevoke:
			return leaseNode(op.Lease)
		case methodCAS:
			return keyNode(op.Key)
		case methodPut:
			k := keyNode(op.Key)
			if op.Lease != 0 {
				union(k, leaseNode(op.Lease))
			}
			return k
		case methodGet:
			k := keyNode(op.Key)
			if op.Found && op.OutLease != 0 {
				union(k, leaseNode(op.OutLease))
			}
			return k
		case methodFirst:
			if op.Found {
				k := keyNode(op.OutValue)
				if op.OutLease != 0 {
					union(k, leaseNode(op.OutLease))
				}
			}
			return ""
		}
		return "-"
	}
	// Unanswered calls stay out of porcupine's search: their writes go with the answered
	// reads of their key called after them (annotate).
	pending := map[string][]porcupine.Operation{}
	nodes := make([]string, len(ops))
	for i, o := range ops {
		op := o.Input.(history.Op)
		if o.Return == history.Forever {
			nodes[i] = "-"
			if op.Method == methodPut || op.Method == methodCAS {
				pending[op.Key] = append(pending[op.Key], o)
			}
			continue
		}
		nodes[i] = node(op)
	}
	// annotate gives a read of key the unanswered writes of the key called before it
	// returned.
	annotate := func(o porcupine.Operation, key string) porcupine.Operation {
		op := o.Input.(history.Op)
		var ws []write
		for _, p := range pending[key] {
			if p.Call < o.Return {
				in := p.Input.(history.Op)
				w := write{key: in.Key, value: in.Value, lease: in.Lease}
				if in.Method == methodCAS {
					w.lease = 0
				}
				ws = append(ws, w)
			}
		}
		o.Output = withWrites{op: op, writes: ws}
		return o
	}
	// Parts in order of their first operation.
	index := map[string]int{}
	var parts [][]porcupine.Operation
	for i, n := range nodes {
		if n == "" {
			// A First's answer is a key of some part (perhaps one only reads show).
			if op := ops[i].Input.(history.Op); op.Found {
				n = keyNode(op.OutValue)
			}
		}
		if n == "" || n == "-" {
			continue
		}
		r := find(n)
		if _, ok := index[r]; !ok {
			index[r] = len(parts)
			parts = append(parts, nil)
		}
	}
	if len(parts) == 0 {
		var answered []porcupine.Operation
		for _, o := range ops {
			if o.Return != history.Forever {
				answered = append(answered, o)
			}
		}
		return [][]porcupine.Operation{answered}
	}
	for i, o := range ops {
		switch n := nodes[i]; n {
		case "-":
			continue
		case "":
			op := o.Input.(history.Op)
			home := -1
			if op.Found {
				if p, ok := index[find(keyNode(op.OutValue))]; ok {
					home = p
				}
			}
			for p := range parts {
				if p == home {
					parts[p] = append(parts[p], annotate(o, op.OutValue))
					continue
				}
				other := op
				if op.Found {
					other.Method = methodFirstOther
				}
				parts[p] = append(parts[p], porcupine.Operation{ClientId: o.ClientId, Input: other, Output: other, Call: o.Call, Return: o.Return})
			}
		default:
			p := index[find(n)]
			if op := o.Input.(history.Op); op.Method == methodGet {
				o = annotate(o, op.Key)
			}
			parts[p] = append(parts[p], o)
		}
	}
	return parts
}
