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

func put(c, key string, call, ret, lease, rev int64) history.Op {
	return op(c, methodPut, call, ret, func(o *history.Op) { o.Key, o.Lease, o.Ok, o.Revision = key, lease, true, rev })
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

// TestOpModel checks the client-API model on small histories, legal and not.
func TestOpModel(t *testing.T) {
	ms := int64(time.Millisecond)
	tests := []struct {
		name string
		ops  []history.Op
		want porcupine.CheckResult
	}{
		{"grant, put, first finds it", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1), first("A", 4*ms, 5*ms, "election/A", 1, 1)}, porcupine.Ok},
		{"the lowest create revision leads", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1),
			grant("B", 4*ms, 5*ms, 2), put("B", "election/B", 6*ms, 7*ms, 2, 2), first("B", 8*ms, 9*ms, "election/B", 2, 2)}, porcupine.Illegal},
		{"the first key may be gone once its lease can have expired", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1),
			grant("B", 4*ms, 5*ms, 2), put("B", "election/B", 6*ms, 7*ms, 2, 2), first("B", 4*s, 4*s+ms, "election/B", 2, 2)}, porcupine.Ok},
		{"a lease cannot vanish before its TTL", []history.Op{grant("A", 0, ms, 1), keepalive("A", s, s+ms, 1, false)}, porcupine.Illegal},
		{"a lease may be gone after its TTL", []history.Op{grant("A", 0, ms, 1), keepalive("A", 3*s, 3*s+ms, 1, false)}, porcupine.Ok},
		{"keepalive extends it", []history.Op{grant("A", 0, ms, 1), keepalive("A", 2*s, 2*s+ms, 1, true), keepalive("A", 4*s, 4*s+ms, 1, false)}, porcupine.Illegal},
		{"no keepalive after it is gone", []history.Op{grant("A", 0, ms, 1), keepalive("A", 4*s, 4*s+ms, 1, false), keepalive("A", 5*s, 5*s+ms, 1, true)}, porcupine.Illegal},
		{"an expired key is not seen again", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 1),
			keepalive("A", 4*s, 4*s+ms, 1, false), first("B", 5*s, 5*s+ms, "election/A", 1, 1)}, porcupine.Illegal},
		{"a key created again gets a newer create revision", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 5),
			keepalive("A", 4*s, 4*s+ms, 1, false), grant("A", 5*s, 5*s+ms, 2), put("A", "election/A", 6*s, 6*s+ms, 2, 3)}, porcupine.Illegal},
		{"another key may have an older create revision (a put whose answer was lost)", []history.Op{grant("A", 0, ms, 1), put("A", "election/A", 2*ms, 3*ms, 1, 5),
			grant("B", 4*ms, 5*ms, 2), put("B", "election/B", 6*ms, 7*ms, 2, 3)}, porcupine.Ok},
		{"an unanswered put seen later is accepted", []history.Op{grant("A", 0, ms, 1), first("B", s, s+ms, "election/A", 1, 1)}, porcupine.Ok},
	}
	for _, tt := range tests {
		if got := check(tt.ops); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
