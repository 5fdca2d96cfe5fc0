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

// Cluster is an embedded etcd cluster of one or more members on 127.0.0.1, each with a
// temporary data dir, all in this process.
type Cluster struct {
	members []*member
	ports   []int
	// peers are the members' peer proxies (several members only): each member
	// advertises its proxy's address to the others, so that MemberIsolate can cut it off.
	peers []*Proxy
}

// member is one embedded etcd member: its configuration (kept to restart it with the
// same name, ports and data) and the running server, nil while it is stopped.
type member struct {
	name   string
	cfg    *embed.Config
	etcd   *embed.Etcd
	client string // host:port of the client listener
	logs   *tailBuffer
	// closed is closed once the last stopped server has released its ports (nil: never
	// stopped).
	closed chan struct{}
}

// StartCluster starts a single-member embedded etcd (StartClusterN with 1).
func StartCluster(ctx context.Context) (*Cluster, error) { return StartClusterN(ctx, 1) }

// StartClusterN starts an embedded etcd cluster of n members (Q1..Qn) listening on free
// ports of 127.0.0.1 only, each with its data in a new temporary directory and logging
// only errors. embed cannot listen on port 0, so it picks free ports by listening on
// 127.0.0.1:0 and closing, and retries with new ports when another process took one in
// between. Errors wrap ErrClusterStart.
func StartClusterN(ctx context.Context, n int) (*Cluster, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: %d members; expected at least 1", ErrClusterStart, n)
	}
	var last error
	for try := 0; try < clusterStartTries; try++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := startClusterOnce(ctx, n)
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

// MemberName is the name of member i (0-based) of a cluster: Q1, Q2, ... as the issuer
// nodes of a scenario with several issuers; a single member is Q.
func MemberName(i, n int) string {
	if n == 1 {
		return "Q"
	}
	return fmt.Sprintf("Q%d", i+1)
}

func startClusterOnce(ctx context.Context, n int) (*Cluster, error) {
	ports, err := freePorts(2 * n)
	if err != nil {
		return nil, err
	}
	c := &Cluster{ports: ports}
	var initial []string
	advertise := make([]url.URL, n)
	for i := range n {
		advertise[i] = url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i+1])}
		if n > 1 {
			p, err := NewProxy(advertise[i].Host, uint64(ports[2*i+1]), 0)
			if err != nil {
				c.Close()
				return nil, err
			}
			c.peers = append(c.peers, p)
			c.ports = append(c.ports, p.Port())
			advertise[i].Host = p.Addr()
		}
		initial = append(initial, fmt.Sprintf("%s=%s", MemberName(i, n), advertise[i].String()))
	}
	for i := range n {
		dir, err := os.MkdirTemp("", "leasesim-etcd-*")
		if err != nil {
			c.Close()
			return nil, err
		}
		client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i])}
		peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i+1])}
		cfg := embed.NewConfig()
		cfg.Name = MemberName(i, n)
		cfg.Dir = dir
		cfg.ListenClientUrls = []url.URL{client}
		cfg.AdvertiseClientUrls = []url.URL{client}
		cfg.ListenPeerUrls = []url.URL{peer}
		cfg.AdvertisePeerUrls = []url.URL{advertise[i]}
		cfg.InitialCluster = strings.Join(initial, ",")
		cfg.InitialClusterToken = fmt.Sprintf("leasesim-%d", ports[0])
		cfg.TickMs = clusterTickMs
		cfg.ElectionMs = clusterElectionMs
		// A throwaway test cluster: durability buys nothing and fsync costs seconds on a
		// busy disk.
		cfg.UnsafeNoFsync = true
		cfg.LogLevel = "error"
		// etcd logs a few harmless errors on every start and stop; keep the last ones for
		// the error message of a failed start instead of printing them.
		m := &member{name: cfg.Name, cfg: cfg, client: client.Host, logs: &tailBuffer{max: 4 << 10}}
		cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(errorLogger(m.logs))
		c.members = append(c.members, m)
	}
	// Every member must be started before any can be ready: a member waits for a quorum.
	for _, m := range c.members {
		e, err := embed.StartEtcd(m.cfg)
		if err != nil {
			c.Close()
			return nil, withLogs(err, m.logs)
		}
		m.etcd = e
	}
	timeout := time.After(clusterReadyAfter)
	for _, m := range c.members {
		select {
		case <-m.etcd.Server.ReadyNotify():
		case err := <-m.etcd.Err():
			c.Close()
			return nil, withLogs(fmt.Errorf("etcd member %s failed while starting: %v", m.name, err), m.logs)
		case <-timeout:
			c.Close()
			return nil, withLogs(fmt.Errorf("etcd not ready after %v", clusterReadyAfter), m.logs)
		case <-ctx.Done():
			c.Close()
			return nil, ctx.Err()
		}
	}
	return c, nil
}

// Members is the number of members.
func (c *Cluster) Members() int { return len(c.members) }

// Leader returns the index of the member that is raft leader now, as the running members
// see it, or -1 when none is known.
func (c *Cluster) Leader() int {
	for i, m := range c.members {
		if m.etcd == nil {
			continue
		}
		if lead := m.etcd.Server.Leader(); lead != 0 && lead == m.etcd.Server.MemberID() {
			return i
		}
	}
	return -1
}

// Leader, Stop and Restart are for one goroutine at a time (a trial's fault schedule).

// Stop crashes member i: its raft node stops at once (HardStop: no leadership transfer,
// as a killed process), and its listeners close in the background, where etcd lets open
// client streams drain for up to its request timeout; its data dir stays for Restart.
func (c *Cluster) Stop(i int) error {
	m := c.members[i]
	if m.etcd == nil {
		return fmt.Errorf("etcd member %s is already stopped", m.name)
	}
	e := m.etcd
	e.Server.HardStop()
	m.etcd = nil
	done := make(chan struct{})
	m.closed = done
	go func() {
		defer close(done)
		e.Close()
	}()
	return nil
}

// Isolate cuts member i's peer proxy off both ways until the returned function is
// called. Its peers reach it, and read its raft streams, over connections to that proxy,
// so they stop hearing from it and elect another leader; the connections it opened to
// them go through their proxies and are not cut, so it still hears the new leader and
// steps down. It is cut off from sending, not from receiving: enough for a leader change
// while it runs. Cutting its clients off is the caller's (their proxies).
func (c *Cluster) Isolate(i int) (heal func(), err error) {
	if i >= len(c.peers) {
		return nil, fmt.Errorf("etcd member %s: a single member cannot be isolated from peers", MemberName(i, len(c.members)))
	}
	return c.peers[i].Apply(Effect{Dir: Both, Blackhole: true}), nil
}

// Restart starts a stopped member i again with its name, ports and data. It returns once
// the member serves; it rejoins the cluster by itself.
func (c *Cluster) Restart(i int) error {
	m := c.members[i]
	if m.etcd != nil {
		return fmt.Errorf("etcd member %s is running", m.name)
	}
	if m.closed != nil {
		<-m.closed // its ports must be free
	}
	var err error
	for try := 0; try < clusterStartTries; try++ {
		var e *embed.Etcd
		if e, err = embed.StartEtcd(m.cfg); err == nil {
			m.etcd = e
			return nil
		}
		// Its ports were closed a moment ago; another process may hold one briefly.
		time.Sleep(100 * time.Millisecond)
	}
	return withLogs(fmt.Errorf("restart etcd member %s: %w", m.name, err), m.logs)
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

// restartStopped restarts every stopped member, so that a trial starts with the whole
// cluster (a fault may have stopped one for the rest of the previous trial). A nil
// cluster (given endpoints) has none.
func (c *Cluster) restartStopped() error {
	if c == nil {
		return nil
	}
	for i, m := range c.members {
		if m.etcd == nil {
			if err := c.Restart(i); err != nil {
				return err
			}
			select {
			case <-m.etcd.Server.ReadyNotify():
			case <-time.After(clusterReadyAfter):
				return withLogs(fmt.Errorf("restarted etcd member %s not ready after %v", m.name, clusterReadyAfter), m.logs)
			}
		}
	}
	return nil
}

// Endpoints returns the members' client endpoints (host:port), in member order.
func (c *Cluster) Endpoints() []string {
	out := make([]string, len(c.members))
	for i, m := range c.members {
		out[i] = m.client
	}
	return out
}

// Ports returns the loopback ports the cluster listens on (each member's client and
// peer ports).
func (c *Cluster) Ports() []int { return append([]int(nil), c.ports...) }

// Close stops every running member, which closes its listeners, and removes the data
// dirs.
func (c *Cluster) Close() error {
	var errs []error
	for _, m := range c.members {
		if m.etcd != nil {
			m.etcd.Close()
			m.etcd = nil
		}
		if m.closed != nil {
			<-m.closed
		}
		if m.cfg != nil && m.cfg.Dir != "" {
			errs = append(errs, os.RemoveAll(m.cfg.Dir))
		}
	}
	for _, p := range c.peers {
		p.Close()
	}
	return errors.Join(errs...)
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
