package live

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
)

// A machine where 127.0.0.1 cannot be listened on is the one environmental reason
// (ErrNoLoopback); other listen failures are start failures like any other.
func TestStartClusterNoLoopback(t *testing.T) {
	tests := []struct {
		name       string
		errno      syscall.Errno
		noLoopback bool
	}{
		{"address not available", syscall.EADDRNOTAVAIL, true},
		{"no IPv4", syscall.EAFNOSUPPORT, true},
		{"sandbox forbids sockets", syscall.EPERM, true},
		{"too many open files", syscall.EMFILE, false},
	}
	defer func(l func(string, string) (net.Listener, error)) { listen = l }(listen)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listen = func(network, addr string) (net.Listener, error) {
				return nil, &net.OpError{Op: "listen", Net: network, Err: os.NewSyscallError("socket", tt.errno)}
			}
			c, err := StartCluster(context.Background())
			if err == nil {
				c.Close()
				t.Fatal("StartCluster succeeded with listen failing")
			}
			if !errors.Is(err, ErrClusterStart) || errors.Is(err, ErrNoLoopback) != tt.noLoopback {
				t.Errorf("StartCluster = %v; want ErrClusterStart, ErrNoLoopback %v", err, tt.noLoopback)
			}
		})
	}
}
