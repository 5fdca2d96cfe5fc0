package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// endpointCheckTimeout bounds the check of all given endpoints together, so that a wrong
// --endpoints is reported within seconds instead of hanging the first trial.
const endpointCheckTimeout = 8 * time.Second

// EndpointError is the failure to reach etcd at one of Config.Endpoints before any trial
// ran: nothing accepts connections there, or what does is not an etcd that answers.
type EndpointError struct {
	// Endpoint is the endpoint as host:port.
	Endpoint string
	Err      error
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("no etcd reachable at %s: %v", e.Endpoint, e.Err)
}

// Unwrap returns the underlying error.
func (e *EndpointError) Unwrap() error { return e.Err }

// checkEndpoints checks, within endpointCheckTimeout for all of them, that each endpoint
// accepts a TCP connection and answers etcd's Status call. It returns an *EndpointError
// for the first that does not, or ctx's error when ctx ended first.
func checkEndpoints(ctx context.Context, endpoints []string) error {
	cctx, cancel := context.WithTimeout(ctx, endpointCheckTimeout)
	defer cancel()
	for _, ep := range endpoints {
		var d net.Dialer
		conn, err := d.DialContext(cctx, "tcp", ep)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &EndpointError{Endpoint: ep, Err: err}
		}
		conn.Close()
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}, DialTimeout: endpointCheckTimeout, Logger: zap.NewNop()})
		if err != nil {
			return &EndpointError{Endpoint: ep, Err: err}
		}
		_, err = cli.Status(cctx, ep)
		cli.Close()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				err = fmt.Errorf("it accepts connections but gave no etcd status within %v", endpointCheckTimeout)
			}
			return &EndpointError{Endpoint: ep, Err: err}
		}
	}
	return nil
}
