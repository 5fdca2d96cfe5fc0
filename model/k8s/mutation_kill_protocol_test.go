package k8s

import (
	"fmt"
	"testing"
	"time"

	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// TestMsgName: transcripts name the service's messages as the etcd model does, the
// elector's timers and the resource's writes by their own names, and anything else by
// number.
func TestMsgName(t *testing.T) {
	for _, tc := range []struct {
		t    sim.MsgType
		want string
	}{
		{etcd.MsgResponse, etcd.ServiceMsgName(etcd.MsgResponse)},
		{msgAttempt, "Attempt"},
		{msgTimeout, "Timeout"},
		{msgDeadline, "Deadline"},
		{msgWriteTick, "WriteTick"},
		{resource.MsgWrite, "Write"},
		{msgWriteTick + 1, fmt.Sprintf("msg%d", msgWriteTick+1)},
	} {
		if got := MsgName(tc.t); got != tc.want || got == "" {
			t.Errorf("MsgName(%d) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

// TestLeadFor: how long after its last renewal the leader counts on leading:
// RetryPeriod + RenewDeadline, and for the guard-short-5pct mutant 5% of the guard
// LeaseDuration − RenewDeadline − RetryPeriod more (k8s-drift-margin's parameters: 4.02s,
// and 4.02s + 5% of 1.98s = 4.119s), the size the catalog's mutant scenario and its
// description count on.
func TestLeadFor(t *testing.T) {
	const ms = int64(time.Millisecond)
	for _, tc := range []struct {
		mutant string
		want   int64
	}{
		{"", 4020 * ms},
		{MutantGuardShort, 4119 * ms},
		{MutantTrustsRemoteTimestamps, 4020 * ms},
	} {
		c := &config{leaseDuration: 6000 * ms, renewDeadline: 4000 * ms, retryPeriod: 20 * ms, mutant: tc.mutant}
		if got := c.leadFor(); got != tc.want {
			t.Errorf("leadFor with mutant %q = %v, want %v", tc.mutant, time.Duration(got), time.Duration(tc.want))
		}
	}
}
