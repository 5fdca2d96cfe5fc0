package etcd

import (
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestDescribeOperation: how a P3 finding names each operation of the etcd model; an
// operation of a method the model does not know is named as such, with its method and
// what it recorded as given (it was written as a read before: `delete(a) -> found=false
// lease 0 rev 0`).
func TestDescribeOperation(t *testing.T) {
	describe := OpModel().DescribeOperation
	for _, tc := range []struct {
		op   history.Op
		want string
	}{
		// A TTL is a duration (ns in the history): "ttl 3000000000" before.
		{grant("A", 0, s, 7), "grant(ttl 3s) -> lease 7 ok=true"},
		{keepalive("A", 0, s, 7, false), `keepalive(7) -> ok=false lease not found`},
		{revoke("A", 0, s, 7), "revoke(7) -> ok=true "},
		{put("A", "k", 0, s, 7, 4), "put(k=A, lease 7) -> rev 4 ok=true "},
		{cas("A", "k", "v", 0, s, 3, 4, true), "cas(k=v if rev 3) -> rev 4 ok=true "},
		{get("B", "k", 0, s, "A", 7, 4), "get(k) -> found=true A lease 7 rev 4"},
		{op("B", methodFirst, 0, s, func(o *history.Op) { o.Key, o.Ok, o.Found, o.OutValue, o.Revision = "e/", true, true, "e/1", 4 }),
			"first(e/) -> found=true e/1 lease 0 rev 4"},
		{op("B", "delete", 0, s, func(o *history.Op) { o.Key, o.Lease, o.Err = "a", 3, "no such key" }),
			`unknown method "delete"(key "a", lease 3) -> ok=false err "no such key"`},
		{op("B", "Get", 0, s, func(o *history.Op) { o.Key, o.Ok, o.Found, o.OutValue, o.Revision = "a", true, true, "x", 2 }),
			`unknown method "Get"(key "a") -> ok=true found true out_value "x" revision 2`},
		{op("B", "watch", 0, s, func(o *history.Op) { o.Value, o.TTL, o.Expect, o.OutLease, o.OutTTL = "v", 5, 6, 8, 9 }),
			`unknown method "watch"(value "v", ttl 5, expect 6) -> ok=false out_lease 8 out_ttl 9`},
		{op("B", "", 0, s, func(*history.Op) {}), `unknown method ""() -> ok=false`},
	} {
		if got := describe(tc.op, tc.op); got != tc.want {
			t.Errorf("DescribeOperation(%+v) = %q, want %q", tc.op, got, tc.want)
		}
	}
	lost := grantLost("A", 0, 7)
	if got, want := describe(lost, lostGrant{lost}), "grant(ttl 3s, lease 7) -> no answer"; got != want {
		t.Errorf("DescribeOperation(lost grant) = %q, want %q", got, want)
	}
}
