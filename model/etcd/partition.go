package etcd

import (
	"strings"

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
// under its prefix, so it goes into every part that has such a key: as itself where the
// key it answered is, as methodFirstOther elsewhere.
//
// An unanswered Grant is left out too: an answered KeepAlive or Revoke of a lease it may
// have created carries it (withGrant), and step creates the lease there if nothing else
// did.
//
// Calls whose answers never came (but a Revoke) are left out of every part: a put's or a
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
	var g groups
	// node returns the group node an operation belongs to (anyNode for one that belongs
	// to every group, noNode for one that touches no key or lease).
	node := func(op history.Op) int32 {
		switch op.Method {
		case methodGrant:
			if !op.Ok {
				return noNode
			}
			return g.leaseNode(op.OutLease)
		case methodKeepAlive, methodRevoke:
			return g.leaseNode(op.Lease)
		case methodCAS:
			return g.keyNode(op.Key)
		case methodPut:
			k := g.keyNode(op.Key)
			if op.Lease != 0 {
				g.union(k, g.leaseNode(op.Lease))
			}
			return k
		case methodGet:
			k := g.keyNode(op.Key)
			if op.Found && op.OutLease != 0 {
				g.union(k, g.leaseNode(op.OutLease))
			}
			return k
		case methodFirst:
			if op.Found {
				k := g.keyNode(op.OutValue)
				if op.OutLease != 0 {
					g.union(k, g.leaseNode(op.OutLease))
				}
			}
			return anyNode
		}
		return noNode
	}
	// Unanswered calls stay out of porcupine's search: their writes go with the answered
	// reads of their key called after them (annotate). An unanswered Revoke stays in,
	// pending: porcupine places its deletion anywhere after its call, or nowhere.
	pending := map[string][]porcupine.Operation{}
	var grants []history.Op     // unanswered Grants
	granted := map[int64]bool{} // lease ids an answered Grant returned
	nodes := make([]int32, len(ops))
	for i, o := range ops {
		op := o.Input.(history.Op)
		if o.Return == history.Forever && op.Method != methodRevoke {
			nodes[i] = noNode
			if op.Method == methodPut || op.Method == methodCAS {
				pending[op.Key] = append(pending[op.Key], o)
			}
			if op.Method == methodGrant {
				grants = append(grants, op)
			}
			continue
		}
		if op.Method == methodGrant && op.Ok {
			granted[op.OutLease] = true
		}
		nodes[i] = node(op)
	}
	// grantable marks an answered KeepAlive or Revoke whose lease an unanswered Grant may
	// have created (withGrant): one called before it returned that asked for that id, or
	// for none (the server picks it) when no answered Grant returned the id, as lease ids
	// are never reused.
	grantable := func(o porcupine.Operation) porcupine.Operation {
		op := o.Input.(history.Op)
		for _, g := range grants {
			if g.Call < o.Return && (g.Lease == op.Lease || (g.Lease == 0 && !granted[op.Lease])) {
				o.Output = withGrant{op: op}
				break
			}
		}
		return o
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
	index := make([]int32, len(g.parent)) // per root: its part + 1 (0: none yet)
	var parts [][]porcupine.Operation
	for i, n := range nodes {
		if n == anyNode {
			// A First's answer is a key of some part (perhaps one only reads show).
			if op := ops[i].Input.(history.Op); op.Found {
				n = g.keyNode(op.OutValue)
			}
		}
		if n < 0 {
			continue
		}
		r := g.find(n)
		for int(r) >= len(index) {
			index = append(index, 0)
		}
		if index[r] == 0 {
			parts = append(parts, nil)
			index[r] = int32(len(parts))
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
	// underPrefix[prefix][p]: part p has a key under prefix. Elsewhere a First of that
	// prefix is left out: it would only say that keys of the part under its prefix with a
	// lower create revision were gone, and the part has none, so in every state it is
	// legal and changes nothing (taking it out changes no verdict, and spares porcupine
	// the parts × Firsts operations it made when each part holds one key).
	underPrefix := map[string][]bool{}
	partsUnder := func(prefix string) []bool {
		if in, ok := underPrefix[prefix]; ok {
			return in
		}
		in := make([]bool, len(parts))
		for k, n := range g.keys { // builds a set: the order does not matter
			if r := g.find(n); int(r) < len(index) && index[r] > 0 && strings.HasPrefix(k, prefix) {
				in[index[r]-1] = true
			}
		}
		underPrefix[prefix] = in
		return in
	}
	for i, o := range ops {
		switch n := nodes[i]; n {
		case noNode:
			continue
		case anyNode:
			op := o.Input.(history.Op)
			home := -1
			if op.Found {
				home = int(index[g.find(g.keyNode(op.OutValue))]) - 1
			}
			in := partsUnder(op.Key)
			for p := range parts {
				if p == home {
					parts[p] = append(parts[p], annotate(o, op.OutValue))
					continue
				}
				if !in[p] {
					continue
				}
				other := op
				if op.Found {
					other.Method = methodFirstOther
				}
				parts[p] = append(parts[p], porcupine.Operation{ClientId: o.ClientId, Input: other, Output: other, Call: o.Call, Return: o.Return})
			}
		default:
			p := index[g.find(n)] - 1
			if op := o.Input.(history.Op); op.Method == methodGet {
				o = annotate(o, op.Key)
			} else if len(grants) > 0 && op.Ok && (op.Method == methodKeepAlive || op.Method == methodRevoke) {
				o = grantable(o)
			}
			parts[p] = append(parts[p], o)
		}
	}
	return parts
}

// Group nodes of partition that are not keys or leases.
const (
	anyNode int32 = -1 // the operation belongs to every group (a First)
	noNode  int32 = -2 // the operation belongs to no group
)

// groups is partition's union-find over keys and leases, each a dense int32 node.
type groups struct {
	keys   map[string]int32
	leases map[int64]int32
	parent []int32
}

func (g *groups) add() int32 {
	n := int32(len(g.parent))
	g.parent = append(g.parent, n)
	return n
}

func (g *groups) keyNode(k string) int32 {
	if n, ok := g.keys[k]; ok {
		return n
	}
	if g.keys == nil {
		g.keys = map[string]int32{}
	}
	n := g.add()
	g.keys[k] = n
	return n
}

func (g *groups) leaseNode(id int64) int32 {
	if n, ok := g.leases[id]; ok {
		return n
	}
	if g.leases == nil {
		g.leases = map[int64]int32{}
	}
	n := g.add()
	g.leases[id] = n
	return n
}

func (g *groups) find(x int32) int32 {
	for g.parent[x] != x {
		g.parent[x] = g.parent[g.parent[x]] // path halving
		x = g.parent[x]
	}
	return x
}

func (g *groups) union(a, b int32) {
	ra, rb := g.find(a), g.find(b)
	if ra != rb {
		g.parent[rb] = ra
	}
}
