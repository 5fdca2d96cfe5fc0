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

// wholeSeconds is a wall time in nanoseconds as metav1.Time marshals it: RFC3339 at whole
// seconds, that is the Unix seconds rounded down (also before the epoch).
func wholeSeconds(ns int64) int64 {
	s := ns / 1e9
	if ns%1e9 < 0 {
		s--
	}
	return s
}

// sameAsMarshalled reports whether two stored records read the same to client-go's
// elector: LeaseLock.Get returns the record as json.Marshal of a LeaderElectionRecord,
// whose AcquireTime and RenewTime are metav1.Time at whole seconds, and tryAcquireOrRenew
// compares those bytes. So two records differ only in the holder, the lease duration, the
// transition count, or the whole seconds of the acquire or renew time. Values that do
// not parse are compared as they are.
func sameAsMarshalled(a, b string) bool {
	ra, oka := parseRecord(a)
	rb, okb := parseRecord(b)
	if !oka || !okb {
		return a == b
	}
	return ra.holder == rb.holder && ra.durationNS == rb.durationNS && ra.transitions == rb.transitions &&
		wholeSeconds(ra.acquireWall) == wholeSeconds(rb.acquireWall) &&
		wholeSeconds(ra.renewWall) == wholeSeconds(rb.renewWall)
}
