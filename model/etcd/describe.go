package etcd

import (
	"fmt"
	"strings"

	"github.com/leasesim/leasesim/history"
)

// DescribeUnknown writes an operation whose method the P3 model does not know (a
// history from another producer may record any method) as a P3 finding names it: the
// method as given, quoted, then the arguments and the answer it recorded, each by its
// history field name and only when set:
//
//	unknown method "delete"(key "a", lease 3) -> ok=false err "no such key"
//
// not in the format of a read, which would pass it off as one.
func DescribeUnknown(op history.Op) string {
	var args []string
	add := func(name string, set bool, v any) {
		if set {
			args = append(args, fmt.Sprintf("%s %v", name, v))
		}
	}
	add("key", op.Key != "", fmt.Sprintf("%q", op.Key))
	add("value", op.Value != "", fmt.Sprintf("%q", op.Value))
	add("lease", op.Lease != 0, op.Lease)
	add("ttl", op.TTL != 0, op.TTL)
	add("expect", op.Expect != 0, op.Expect)
	in := strings.Join(args, ", ")
	args = []string{fmt.Sprintf("ok=%v", op.Ok)}
	add("found", op.Found, true)
	add("out_value", op.OutValue != "", fmt.Sprintf("%q", op.OutValue))
	add("out_lease", op.OutLease != 0, op.OutLease)
	add("out_ttl", op.OutTTL != 0, op.OutTTL)
	add("revision", op.Revision != 0, op.Revision)
	add("err", op.Err != "", fmt.Sprintf("%q", op.Err))
	return fmt.Sprintf("unknown method %q(%s) -> %s", op.Method, in, strings.Join(args, " "))
}
