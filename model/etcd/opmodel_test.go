package etcd

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

const s = int64(time.Second)

func op(client, method string, call, ret int64, f func(*history.Op)) history.Op {
	o := history.Op{Client: client, Method: method, Call: call, Return: ret}
	f(&o)
	return o
}

func grant(c string, call, ret, id int64) history.Op {
	return op(c, methodGrant, call, ret, func(o *history.Op) { o.TTL, o.Ok, o.OutLease = 3*s, true, id })
}

// grantLost is c's Grant whose answer never came, asking for lease id (0: the server
// picks it).
func grantLost(c string, call, id int64) history.Op {
	return op(c, methodGrant, call, history.Forever, func(o *history.Op) { o.TTL, o.Lease = 3*s, id })
}

func keepalive(c string, call, ret, id int64, ok bool) history.Op {
	return op(c, methodKeepAlive, call, ret, func(o *history.Op) {
		o.Lease, o.Ok = id, ok
		if ok {
			o.OutTTL = 3 * s
		} else {
			o.Err = "lease not found"
		}
	})
}

// put is c putting key=c bound to lease, answered with create revision rev (ret
// history.Forever: never answered).
func put(c, key string, call, ret, lease, rev int64) history.Op {
	return op(c, methodPut, call, ret, func(o *history.Op) {
		o.Key, o.Value, o.Lease = key, c, lease
		if ret != history.Forever {
			o.Ok, o.Revision = true, rev
		}
	})
}

func putFailed(c, key string, call, ret, lease int64) history.Op {
	return op(c, methodPut, call, ret, func(o *history.Op) { o.Key, o.Value, o.Lease, o.Err = key, c, lease, errLeaseNotFound })
}

func revoke(c string, call, ret, id int64) history.Op {
	return op(c, methodRevoke, call, ret, func(o *history.Op) { o.Lease, o.Ok = id, true })
}

// get is a Get of key answered with value, lease and create revision ("" value: not
// found).
func get(c, key string, call, ret int64, value string, lease, rev int64) history.Op {
	return op(c, methodGet, call, ret, func(o *history.Op) {
		o.Key, o.Ok = key, true
		if value != "" {
			o.Found, o.OutValue, o.OutLease, o.Revision = true, value, lease, rev
		}
	})
}

// cas is c writing key=value bound to no lease if its mod revision is expect, answered
// with create revision rev, or a conflict (ok false).
func cas(c, key, value string, call, ret, expect, rev int64, ok bool) history.Op {
	return op(c, methodCAS, call, ret, func(o *history.Op) {
		o.Key, o.Value, o.Expect, o.Ok = key, value, expect, ok
		if ok {
			o.Revision = rev
		} else {
			o.Err = errConflict
		}
	})
}

func first(c string, call, ret int64, key string, lease, rev int64) history.Op {
	return op(c, methodFirst, call, ret, func(o *history.Op) {
		o.Key, o.Ok = electionPrefix, true
		if key != "" {
			o.Found, o.OutValue, o.OutLease, o.Revision = true, key, lease, rev
		}
	})
}

func check(ops []history.Op) porcupine.CheckResult {
	var pops []porcupine.Operation
	for i, o := range ops {
		pops = append(pops, porcupine.Operation{ClientId: i, Input: o, Output: o, Call: o.Call, Return: o.Return})
	}
	res, _ := porcupine.CheckOperationsVerbose(OpModel(), pops, 0)
	return res
}

// TestOpModel checks the client-API model on small histories, legal and not, one or more
// per rule of step (the rule in the name). Every illegal one was checked to pass with its
// rule removed.
func TestOpModel(t *testing.T) {
	ms := int64(time.Millisecond)
	forever := history.Forever
	tests := []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		{"rule 1: a lease id granted twice", []history.Op{grant("A", 0, ms, 1), grant("B", 2*ms, 3*ms, 1)}, porcupine.Illegal},
		{"rule 2: a lease cannot vanish before its TTL", []history.Op{grant("A", 0, ms, 1), keepalive("A", s, s+ms, 1, false)}, porcupine.Illegal},
		{"rule 2: a lease may be gone after its TTL", []history.Op{grant("A", 0, ms, 1), keepalive("A", 3*s, 3*s+ms, 1, false)}, porcupine.Ok},
		{"rule 2: keepalive extends it", []history.Op{grant("A", 0, ms, 1), keepalive("A", 2*s, 2*s+ms, 1, true), keepalive("A", 4*s, 4*s+ms, 1, false)}, porcupine.Illegal},
		{"rule 2: no keepalive after it is gone", []history.Op{grant("A", 0, ms, 1), keepalive("A", 4*s, 4*s+ms, 1, false), keepalive("A", 5*s, 5*s+ms, 1, true)}, porcupine.Illegal},
		{"rule 2: keepalive of a lease an unanswered grant created", []history.Op{grantLost("A", 0, 0), keepalive("A", s, s+ms, 7, true)}, porcupine.Ok},
		{"rule 2: keepalive of the id an unanswered grant asked for", []history.Op{grantLost("A", 0, 7), keepalive("A", s, s+ms, 7, true)}, porcupine.Ok},
		{"rule 2: an unanswered grant takes effect after a not found", []history.Op{grantLost("A", 0, 0), keepalive("A", 100*ms, 101*ms, 7, false),
			keepalive("A", s, s+ms, 7, true)}, porcupine.Ok},
		{"rule 2: revoke of a lease an unanswered grant created", []history.Op{grantLost("A", 0, 0), revoke("A", s, s+ms, 7),
			keepalive("A", 2*s, 2*s+ms, 7, false)}, porcupine.Ok},
		{"rule 2: keepalive of a lease nothing granted", []history.Op{keepalive("A", s, s+ms, 7, true)}, porcupine.Illegal},
		{"rule 2: keepalive before the unanswered grant was called", []history.Op{keepalive("A", s, s+ms, 7, true), grantLost("A", 2*s, 0)}, porcupine.Illegal},
		{"rule 2: an unanswered grant asked for another id", []history.Op{grantLost("A", 0, 8), keepalive("A", s, s+ms, 7, true)}, porcupine.Illegal},
		{"rule 2: an unanswered grant takes effect once", []history.Op{grantLost("A", 0, 0), keepalive("A", s, s+ms, 7, true),
			keepalive("A", 5*s, 5*s+ms, 7, false), keepalive("A", 6*s, 6*s+ms, 7, true)}, porcupine.Illegal},
		{"rule 2: an unanswered grant does not return an id another grant returned", []history.Op{grant("A", 0, ms, 7),
			keepalive("A", 4*s, 4*s+ms, 7, false), grantLost("B", 4*s+2*ms, 0), keepalive("A", 5*s, 5*s+ms, 7, true)}, porcupine.Illegal},
		{"rule 2: revoke deletes the lease's keys", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			revoke("A", 4*ms, 5*ms, 1), get("B", "k", 6*ms, 7*ms, "A", 1, 1)}, porcupine.Illegal},
		{"rule 3: a key created again gets a newer create revision", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 5),
			keepalive("A", 4*s, 4*s+ms, 1, false), grant("A", 5*s, 5*s+ms, 2), put("A", "election/A", 6*s, 6*s+ms, 2, 3)}, porcupine.Illegal},
		{"rule 3: another key may have an older create revision (a put whose answer was lost)", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 5),
			grant("B", 4*ms, 5*ms, 2), put("B", "election/B", 6*ms, 7*ms, 2, 3)}, porcupine.Ok},
		{"rule 3: a new incarnation while the old one's lease lives", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			grant("B", 4*ms, 5*ms, 2), put("B", "k", 6*ms, 7*ms, 2, 9)}, porcupine.Illegal},
		{"rule 3: lease not found for a put while the lease lives", []history.Op{grant("A", 0, ms, 1), putFailed("A", "k", 2*ms, 3*ms, 1)}, porcupine.Illegal},
		{"rule 4: a compare-and-swap's value is read", []history.Op{cas("A", "k", "v1", 0, ms, 0, 1, true), get("B", "k", 2*ms, 3*ms, "v1", 0, 1)}, porcupine.Ok},
		{"rule 4: a conflict whose write a later read shows (a duplicated request)", []history.Op{cas("A", "k", "v1", 0, ms, 0, 1, true),
			cas("A", "k", "v2", 2*ms, 3*ms, 1, 0, false), get("B", "k", 4*ms, 5*ms, "v2", 0, 1)}, porcupine.Illegal},
		{"rule 4: a key bound to no lease does not expire", []history.Op{cas("A", "k", "v1", 0, ms, 0, 1, true), get("B", "k", 10*s, 10*s+ms, "", 0, 0)}, porcupine.Illegal},
		{"rule 5: a get shows the value put", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1), get("B", "k", 4*ms, 5*ms, "A", 1, 1)}, porcupine.Ok},
		{"rule 5: a get shows a value nothing put", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1), get("B", "k", 4*ms, 5*ms, "X", 1, 1)}, porcupine.Illegal},
		{"rule 5: a get of a key nothing put", []history.Op{get("B", "k", 4*ms, 5*ms, "X", 1, 1)}, porcupine.Illegal},
		{"rule 5: a get shows an unanswered put's value", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			put("B", "k", 4*ms, forever, 1, 0), get("C", "k", 6*ms, 7*ms, "B", 1, 1)}, porcupine.Ok},
		{"rule 5: an unanswered put called after the get returned", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			get("C", "k", 6*ms, 7*ms, "B", 1, 1), put("B", "k", 8*ms, forever, 1, 0)}, porcupine.Illegal},
		{"rule 5: a get shows the key bound to another lease than put", []history.Op{grant("A", 0, ms, 1), grant("A", 0, ms, 2), put("A", "k", 2*ms, 3*ms, 1, 1),
			get("B", "k", 4*ms, 5*ms, "A", 2, 1)}, porcupine.Illegal},
		{"rule 5: not found while the key's lease lives", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1), get("B", "k", 4*ms, 5*ms, "", 0, 0)}, porcupine.Illegal},
		{"rule 5: not found once the key's lease may have expired", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1), get("B", "k", 4*s, 4*s+ms, "", 0, 0)}, porcupine.Ok},
		{"rule 5: a key deleted with its lease is not seen again", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			keepalive("A", 4*s, 4*s+ms, 1, false), get("B", "k", 5*s, 5*s+ms, "A", 1, 1)}, porcupine.Illegal},
		{"rule 5: a deleted incarnation is not seen again, even with a put of the key pending", []history.Op{grant("A", 0, ms, 1), put("A", "k", 2*ms, 3*ms, 1, 1),
			keepalive("A", 4*s, 4*s+ms, 1, false), put("A", "k", 4*s+2*ms, forever, 1, 0), get("B", "k", 5*s, 5*s+ms, "A", 1, 1)}, porcupine.Illegal},
		{"rule 6: grant, put, first finds it", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1), first("A", 4*ms, 5*ms, "election/A", 1, 1)}, porcupine.Ok},
		{"rule 6: the lowest create revision leads", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1),
			grant("B", 4*ms, 5*ms, 2), put("B", "election/B", 6*ms, 7*ms, 2, 2), first("B", 8*ms, 9*ms, "election/B", 2, 2)}, porcupine.Illegal},
		{"rule 6: the first key may be gone once its lease can have expired", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1),
			grant("B", 4*ms, 5*ms, 2), put("B", "election/B", 6*ms, 7*ms, 2, 2), first("B", 4*s, 4*s+ms, "election/B", 2, 2)}, porcupine.Ok},
		{"rule 6: an expired key is not seen again", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1),
			keepalive("A", 4*s, 4*s+ms, 1, false), first("B", 5*s, 5*s+ms, "election/A", 1, 1)}, porcupine.Illegal},
		{"rule 6: an unanswered put seen later is accepted", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, forever, 1, 0),
			first("B", s, s+ms, "election/A", 1, 1)}, porcupine.Ok},
		{"rule 6: a key nothing put", []history.Op{grant("A", 0, ms, 1), first("B", s, s+ms, "election/A", 1, 1)}, porcupine.Illegal},
		{"rule 6: an unanswered put of the key with another lease", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, forever, 2, 0),
			first("B", s, s+ms, "election/A", 1, 1)}, porcupine.Illegal},
	}
	for _, tt := range tests {
		if got := check(tt.ops); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
