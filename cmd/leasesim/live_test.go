package main

import (
	"net"
	"strings"
	"testing"
	"time"
)

// An --endpoints where no etcd listens is bad input (exit 2) within seconds, and the
// message names the flag and the endpoint. It used to hang until interrupted.
func TestLiveUnreachableEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connections are refused
	start := time.Now()
	code, out, errOut := leasesim(t, "live", "etcd", "--endpoints", addr, "--duration", "4s")
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v, want at most 10s", took)
	}
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitBadInput, out, errOut)
	}
	if !strings.Contains(errOut, "--endpoints "+addr) || !strings.Contains(errOut, "no etcd reachable") {
		t.Errorf("message %q does not name --endpoints and %s", errOut, addr)
	}
}
