package etcd

import (
	"slices"
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
// An unanswered Grant goes in as a lostGrant, answered at its call, where it may have
// created a lease that an answered operation shows (step's rule 7): one that asked for an
// id in that lease's part (if an operation shows the lease), and every one that asked
// for none in one part with every fresh lease — a lease id no Grant of the history asked
// for or returned, that only such a Grant can have made. The fresh leases share that
// part, and the Grants in it, because one Grant makes one lease at most: checked in
// separate parts, one Grant could justify a lease in each. That part is checked exactly,
// but it is as large as the fresh leases and their keys; the holders never produce one
// (each uses only the lease an answered Grant gave it), so only hand-made histories pay.
//
// Three simplifications, each on the strict side and only for hand-made histories: a
// Grant that asked for no id never gets an id some Grant asked for (the server picks
// ids no client asked for); of several lost Grants that can make a lease, the earliest
// called does, and the lease may be gone from its call plus its TTL — had a later one
// made it, a history that needs this lease to live long and another to vanish early is
// rejected; a lease made again after it was gone may be gone only from the call of the
// operation that shows it again plus the TTL (the Grant took effect after the lease was
// gone, a time the model does not keep; counting from a call, as every refresh does).
//
// Calls whose answers never came (but a Revoke) are left out of every part: a put's or a
// compare-and-swap's write goes with each answered read or put of its key called before
// it returned (withWrites), which may show it (a put, by keeping the key's create
// revision: rebound); placing the write just before the first answer that shows it is a
// linearization (up to that answer's place among operations that returned before the
// write was called, which this does not check). Searching every place for every
// unanswered call instead is exponential when a partition leaves many.
//
// Checking the parts separately is sound — a linearizable history has linearizable parts —
// but weaker than checking the whole: the parts' orders need not agree on one First's
// place, and create revisions are compared within a part only.
func partition(ops []porcupine.Operation) [][]porcupine.Operation {
	var g groups
	// node returns the group node an operation belongs to (anyNode for one that belongs
	// to every group, noNode for a failed Grant, which touches no key or lease).
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
		// A method the model does not know: a part of its own, where step rejects it.
		// (Left out, it would be ignored whenever the history has another part.)
		return g.add()
	}
	// Unanswered calls stay out of porcupine's search: their writes go with the answered
	// reads of their key called after them (annotate). An unanswered Revoke stays in,
	// pending: porcupine places its deletion anywhere after its call, or nowhere. An
	// unanswered Grant goes in as a lostGrant where it may have made a lease (below).
	pending := map[string][]porcupine.Operation{}
	var lost []int            // unanswered Grants
	named := map[int64]bool{} // lease ids a Grant asked for or an answered one returned
	nodes := make([]int32, len(ops))
	for i, o := range ops {
		op := o.Input.(history.Op)
		if op.Method == methodGrant {
			if op.Lease != 0 {
				named[op.Lease] = true
			}
			if op.Ok {
				named[op.OutLease] = true
			}
		}
		if o.Return == history.Forever && op.Method != methodRevoke {
			nodes[i] = noNode
			if op.Method == methodPut || op.Method == methodCAS {
				pending[op.Key] = append(pending[op.Key], o)
			}
			if op.Method == methodGrant {
				lost = append(lost, i)
			}
			continue
		}
		nodes[i] = node(op)
	}
	// A lost Grant that asked for an id goes with that lease, if some operation shows it.
	// All those that asked for none go with every fresh lease (one no Grant asked for or
	// returned, so only they can have made it), which join in one part: each of those
	// Grants makes one lease at most, whichever it is (makeLease).
	var fresh []int64
	for id := range g.leases { // sorted below: the order does not matter
		if !named[id] {
			fresh = append(fresh, id)
		}
	}
	slices.Sort(fresh)
	for _, id := range fresh[min(1, len(fresh)):] {
		g.union(g.leaseNode(fresh[0]), g.leaseNode(id))
	}
	for _, i := range lost {
		op := ops[i].Input.(history.Op)
		if n, ok := g.leases[op.Lease]; ok && op.Lease != 0 {
			nodes[i] = n
		} else if op.Lease == 0 && len(fresh) > 0 {
			nodes[i] = g.leaseNode(fresh[0])
		}
	}
	// mark gives an answered operation whose lease is fresh its mark (freshLease).
	mark := func(o porcupine.Operation, lease int64) porcupine.Operation {
		if lease != 0 && !named[lease] {
			o.Output = freshLease{op: o.Input.(history.Op)}
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
				w := write{key: in.Key, value: in.Value, lease: in.Lease, call: p.Call}
				if in.Method == methodCAS {
					w.lease = 0
				}
				ws = append(ws, w)
			}
		}
		fresh := op.Found && op.OutLease != 0 && !named[op.OutLease]
		o.Output = withWrites{op: op, writes: ws, fresh: fresh}
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
			switch op := o.Input.(history.Op); {
			case op.Method == methodGet:
				o = annotate(o, op.Key)
			case op.Method == methodGrant && o.Return == history.Forever:
				o = porcupine.Operation{ClientId: o.ClientId, Input: op, Output: lostGrant{op: op}, Call: op.Call + 1, Return: op.Call + 1}
			case op.Method == methodPut && len(pending[op.Key]) > 0:
				// A put of a key with unanswered puts: they may have kept its incarnation
				// alive (rebound).
				o = annotate(o, op.Key)
				w := o.Output.(withWrites)
				w.fresh = op.Lease != 0 && !named[op.Lease]
				o.Output = w
			case op.Method == methodKeepAlive, op.Method == methodRevoke, op.Method == methodPut:
				o = mark(o, op.Lease)
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
