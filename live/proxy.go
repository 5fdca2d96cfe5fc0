package live

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"time"
)

// Effect is one link fault active on a Proxy. Effects stack: the proxy blackholes a
// direction while any effect blackholes it, adds up delays and jitters, and combines
// losses as independent events.
type Effect struct {
	Dir       Direction
	Blackhole bool
	Delay     time.Duration
	Jitter    time.Duration
	Loss      float64
}

// DefaultRTO is the retransmission timeout a Proxy charges for a lost chunk: Linux's
// minimum TCP RTO.
const DefaultRTO = 200 * time.Millisecond

// maxRetransmits bounds the doubling retransmission delay of one chunk under loss.
const maxRetransmits = 8

// Proxy is a TCP proxy on 127.0.0.1 between one holder and one etcd endpoint, with link
// faults: blackhole, delay with jitter, loss and reset, per direction. It never reorders
// bytes within a connection, because TCP does not. Random draws (jitter, loss) come from
// a seeded math/rand/v2 source; the order in which connections consume them depends on
// the scheduler, so a live run is reproducible only as far as real time allows.
type Proxy struct {
	ln     net.Listener
	target string
	rto    time.Duration

	mu      sync.Mutex
	rng     *rand.Rand
	effects map[int]Effect
	nextID  int
	changed chan struct{} // closed and replaced whenever effects change
	links   map[*link]struct{}
	closed  bool

	done chan struct{}
	wg   sync.WaitGroup
}

// NewProxy listens on a free port of 127.0.0.1 and forwards every connection to target
// (host:port). rto <= 0 means DefaultRTO.
func NewProxy(target string, seed uint64, rto time.Duration) (*Proxy, error) {
	if rto <= 0 {
		rto = DefaultRTO
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("proxy for %s: %w", target, err)
	}
	p := &Proxy{
		ln: ln, target: target, rto: rto,
		rng:     rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		effects: map[int]Effect{},
		changed: make(chan struct{}),
		links:   map[*link]struct{}{},
		done:    make(chan struct{}),
	}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address, 127.0.0.1:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the proxy's listening port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Apply activates an effect and returns the function that removes it (idempotent).
func (p *Proxy) Apply(e Effect) (remove func()) {
	p.mu.Lock()
	id := p.nextID
	p.nextID++
	p.effects[id] = e
	p.notifyLocked()
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			delete(p.effects, id)
			p.notifyLocked()
			p.mu.Unlock()
		})
	}
}

// Heal removes every active effect.
func (p *Proxy) Heal() {
	p.mu.Lock()
	clear(p.effects)
	p.notifyLocked()
	p.mu.Unlock()
}

// ResetConnections closes every open connection through the proxy with a TCP RST on
// both sides and returns how many it closed.
func (p *Proxy) ResetConnections() int {
	p.mu.Lock()
	ls := make([]*link, 0, len(p.links))
	for l := range p.links {
		ls = append(ls, l)
	}
	p.mu.Unlock()
	for _, l := range ls {
		l.reset()
	}
	return len(ls)
}

// Close stops listening, closes every connection and waits for the proxy's goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	ls := make([]*link, 0, len(p.links))
	for l := range p.links {
		ls = append(ls, l)
	}
	p.mu.Unlock()
	err := p.ln.Close()
	for _, l := range ls {
		l.close()
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// linkState is the combined effect on one direction.
type linkState struct {
	blackhole     bool
	delay, jitter time.Duration
	loss          float64
}

func (p *Proxy) stateLocked(d Direction) linkState {
	var s linkState
	pass := 1.0
	for _, e := range p.effects {
		if e.Dir != Both && e.Dir != d {
			continue
		}
		s.blackhole = s.blackhole || e.Blackhole
		s.delay += e.Delay
		s.jitter += e.Jitter
		pass *= 1 - e.Loss
	}
	s.loss = 1 - pass
	return s
}

// schedule returns when a chunk read now in direction d may be delivered: after its
// delay, jitter and retransmissions, and never before the chunk read before it.
func (p *Proxy) schedule(d Direction, last time.Time) time.Time {
	p.mu.Lock()
	s := p.stateLocked(d)
	extra := s.delay
	if s.jitter > 0 {
		extra += time.Duration(p.rng.Int64N(int64(s.jitter) + 1))
	}
	rto := p.rto
	for i := 0; i < maxRetransmits && s.loss > 0 && p.rng.Float64() < s.loss; i++ {
		extra += rto
		rto *= 2
	}
	p.mu.Unlock()
	release := time.Now().Add(extra)
	if release.Before(last) {
		release = last
	}
	return release
}

// waitRelease blocks until release has passed and direction d is not blackholed. It
// returns false when the link closes first.
func (p *Proxy) waitRelease(d Direction, release time.Time, closed <-chan struct{}) bool {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		p.mu.Lock()
		blackholed := p.stateLocked(d).blackhole
		changed := p.changed
		p.mu.Unlock()
		if blackholed {
			select {
			case <-changed:
				continue
			case <-closed:
				return false
			}
		}
		wait := time.Until(release)
		if wait <= 0 {
			return true
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-timer.C:
		case <-changed:
			// Go ≥ 1.23 timers: Stop leaves no stale value in timer.C to drain.
			timer.Stop()
		case <-closed:
			return false
		}
	}
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			select {
			case <-p.done:
				return
			case <-time.After(10 * time.Millisecond):
				continue
			}
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		client.Close()
		return
	}
	l := &link{client: client, server: server, closed: make(chan struct{})}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		l.close()
		return
	}
	p.links[l] = struct{}{}
	p.mu.Unlock()

	var pumps sync.WaitGroup
	pumps.Add(2)
	go func() { defer pumps.Done(); p.pump(l, client, server, ToServer) }()
	go func() { defer pumps.Done(); p.pump(l, server, client, ToClient) }()
	pumps.Wait()
	l.close()
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// chunk is bytes read from one side, to be written to the other at release.
type chunk struct {
	data    []byte
	release time.Time
}

// pump copies src to dst in direction d through the proxy's effects: a reader goroutine
// stamps each chunk with its release time, and this goroutine writes chunks in order.
func (p *Proxy) pump(l *link, src, dst net.Conn, d Direction) {
	chunks := make(chan chunk, 1024)
	go func() {
		defer close(chunks)
		buf := make([]byte, 32*1024)
		var last time.Time
		for {
			n, err := src.Read(buf)
			if n > 0 {
				c := chunk{data: append([]byte(nil), buf[:n]...)}
				c.release = p.schedule(d, last)
				last = c.release
				select {
				case chunks <- c:
				case <-l.closed:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range chunks {
		if !p.waitRelease(d, c.release, l.closed) {
			break
		}
		if _, err := dst.Write(c.data); err != nil {
			break
		}
	}
	// Either side ended: end the whole connection, and let the reader goroutine go.
	l.close()
	for range chunks {
	}
}

// link is one proxied connection.
type link struct {
	client, server net.Conn
	once           sync.Once
	closed         chan struct{}
}

func (l *link) close() {
	l.once.Do(func() {
		close(l.closed)
		l.client.Close()
		l.server.Close()
	})
}

// reset closes both sides with SO_LINGER 0, so that the peers see a TCP RST.
func (l *link) reset() {
	for _, c := range []net.Conn{l.client, l.server} {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
	}
	l.close()
}

// portOf returns the port of a host:port address, or 0.
func portOf(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}
