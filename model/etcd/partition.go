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
	nodes := make([]string, len(ops))
	for i, o := range ops {
		nodes[i] = node(o.Input.(history.Op))
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
		return [][]porcupine.Operation{ops}
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
					parts[p] = append(parts[p], o)
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
			parts[p] = append(parts[p], o)
		}
	}
	return parts
}
