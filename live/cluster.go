package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// ErrClusterStart wraps every failure to start the embedded etcd, so that callers (and
// tests) can tell "etcd cannot run here" from other errors.
var ErrClusterStart = errors.New("embedded etcd did not start")

// ErrNoLoopback wraps (inside ErrClusterStart) the one failure to start the embedded etcd
// that is the machine's and not the program's: this process cannot listen on 127.0.0.1
// at all (no loopback interface or address, no IPv4, sockets forbidden by a sandbox).
// Everything else — a readiness timeout on a busy machine, a port taken, too many open
// files — is not: it is a failure to report, not a reason to skip.
var ErrNoLoopback = errors.New("cannot listen on 127.0.0.1")

// noLoopbackErrnos are the listen errors that mean there is no usable loopback here.
var noLoopbackErrnos = []syscall.Errno{syscall.EADDRNOTAVAIL, syscall.ENETUNREACH, syscall.EAFNOSUPPORT,
	syscall.EPROTONOSUPPORT, syscall.EACCES, syscall.EPERM}

// listen is net.Listen; tests replace it to play a machine without loopback.
var listen = net.Listen

// The embedded etcd's raft timing: a 10 ms tick and a 100 ms election timeout, so that
// elections and lease expiry are not dominated by raft (its minimum lease TTL is 1 s).
const (
	clusterTickMs     = 10
	clusterElectionMs = 100
	clusterStartTries = 5
	// clusterReadyAfter is generous: on a busy machine (CI, -race, other tests on two
	// cores) etcd can take tens of seconds to be ready, and that is not a reason to fail.
	clusterReadyAfter = 2 * time.Minute
)

// Cluster is an embedded single-member etcd on 127.0.0.1 with a temporary data dir.
type Cluster struct {
	etcd   *embed.Etcd
	dir    string
	client string // host:port of the client listener
	ports  []int
}

// StartCluster starts an embedded etcd listening on free ports of 127.0.0.1 only, with
// its data in a new temporary directory and logging only errors. embed cannot listen on
// port 0, so it picks free ports by listening on 127.0.0.1:0 and closing, and retries
// with new ports when another process took one in between. Errors wrap ErrClusterStart.
func StartCluster(ctx context.Context) (*Cluster, error) {
	var last error
	for try := 0; try < clusterStartTries; try++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := startClusterOnce(ctx)
		if err == nil {
			return c, nil
		}
		last = err
		if !isAddrInUse(err) {
			break
		}
	}
	return nil, fmt.Errorf("%w: %w", ErrClusterStart, last)
}

func startClusterOnce(ctx context.Context) (*Cluster, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "leasesim-etcd-*")
	if err != nil {
		return nil, err
	}
	client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[0])}
	peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[1])}

	cfg := embed.NewConfig()
	cfg.Name = "leasesim"
	cfg.Dir = dir
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.TickMs = clusterTickMs
	cfg.ElectionMs = clusterElectionMs
	// A throwaway test cluster: durability buys nothing and fsync costs seconds on a
	// busy disk.
	cfg.UnsafeNoFsync = true
	cfg.LogLevel = "error"
	// etcd logs a few harmless errors on every start and stop; keep the last ones for
	// the error message of a failed start instead of printing them.
	logs := &tailBuffer{max: 4 << 10}
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(errorLogger(logs))

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		os.RemoveAll(dir)
		return nil, withLogs(err, logs)
	}
	c := &Cluster{etcd: e, dir: dir, client: client.Host, ports: ports}
	select {
	case <-e.Server.ReadyNotify():
		return c, nil
	case err := <-e.Err():
		c.Close()
		return nil, withLogs(fmt.Errorf("etcd failed while starting: %v", err), logs)
	case <-time.After(clusterReadyAfter):
		c.Close()
		return nil, withLogs(fmt.Errorf("etcd not ready after %v", clusterReadyAfter), logs)
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}

func withLogs(err error, logs *tailBuffer) error {
	if s := logs.String(); s != "" {
		return fmt.Errorf("%w; etcd's last log lines:\n%s", err, s)
	}
	return err
}

// errorLogger is a zap logger that writes only errors, to w.
func errorLogger(w *tailBuffer) *zap.Logger {
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	core := zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.ErrorLevel)
	return zap.New(core)
}

// Endpoints returns the cluster's client endpoints (host:port).
func (c *Cluster) Endpoints() []string { return []string{c.client} }

// Ports returns the loopback ports the cluster listens on (client and peer).
func (c *Cluster) Ports() []int { return append([]int(nil), c.ports...) }

// Close stops etcd, which closes its listeners, and removes its data dir.
func (c *Cluster) Close() error {
	c.etcd.Close()
	return os.RemoveAll(c.dir)
}

// freePorts returns n distinct ports that were free on 127.0.0.1 a moment ago.
func freePorts(n int) ([]int, error) {
	lns := make([]net.Listener, 0, n)
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		ln, err := listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, errno := range noLoopbackErrnos {
				if errors.Is(err, errno) {
					return nil, fmt.Errorf("%w: %w", ErrNoLoopback, err)
				}
			}
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func isAddrInUse(err error) bool {
	return err != nil && strings.Contains(err.Error(), "address already in use")
}
