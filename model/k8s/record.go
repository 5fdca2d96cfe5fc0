package k8s

import (
	"fmt"
	"strconv"
	"strings"
)

// leaseKey is where the Lease object lives in the service's key space.
const leaseKey = "leases/kube-system/leader"

// record is a Lease object's spec, as client-go's LeaderElectionRecord: who holds it, for
// how long, and when it was acquired and last renewed (by the holder's wall clock). The
// times are for people: the correct elector decides by when it saw the record change on
// its own monotonic clock, never by these.
type record struct {
	holder      string
	durationNS  int64
	acquireWall int64
	renewWall   int64
	transitions int64
}

// encode is the record's stored form, one line of key=value fields.
func (r record) encode() string {
	return fmt.Sprintf("holder=%s duration=%d acquire=%d renew=%d transitions=%d",
		r.holder, r.durationNS, r.acquireWall, r.renewWall, r.transitions)
}

// parseRecord reads what encode wrote. A value it cannot read is a record held by nobody.
func parseRecord(s string) (record, bool) {
	var r record
	seen := 0
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return record{}, false
		}
		if k == "holder" {
			r.holder = v
			seen++
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return record{}, false
		}
		switch k {
		case "duration":
			r.durationNS = n
		case "acquire":
			r.acquireWall = n
		case "renew":
			r.renewWall = n
		case "transitions":
			r.transitions = n
		default:
			return record{}, false
		}
		seen++
	}
	return r, seen == 5
}
