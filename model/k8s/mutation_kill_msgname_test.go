package k8s

import (
	"fmt"
	"testing"

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
