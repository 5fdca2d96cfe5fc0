package live

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// echoServer echoes every connection back on 127.0.0.1 until the test ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				io.Copy(c, c)
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

func newTestProxy(t *testing.T, target string, rto time.Duration) *Proxy {
	t.Helper()
	p, err := NewProxy(target, 1, rto)
	if err != nil {
		t.Fatalf("NewProxy: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readFull reads len(want) bytes with a generous deadline and compares.
func expectEcho(t *testing.T, c net.Conn, want []byte) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("read echo: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("echo differs: got %d bytes starting %q, want %d bytes starting %q", len(got), head(got), len(want), head(want))
	}
}

func head(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}

func TestProxyListensOnLoopbackOnly(t *testing.T) {
	p := newTestProxy(t, echoServer(t), 0)
	host, _, err := net.SplitHostPort(p.Addr())
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("proxy listens on %q, want 127.0.0.1:port", p.Addr())
	}
}

func TestProxyForwardsBothWays(t *testing.T) {
	p := newTestProxy(t, echoServer(t), 0)
	c := dial(t, p.Addr())
	msg := []byte("hello through the proxy")
	c.Write(msg)
	expectEcho(t, c, msg)
}

func TestProxyKeepsStreamIntactUnderJitterAndLoss(t *testing.T) {
	p := newTestProxy(t, echoServer(t), time.Millisecond)
	remove := p.Apply(Effect{Dir: Both, Jitter: 3 * time.Millisecond, Loss: 0.3})
	defer remove()
	c := dial(t, p.Addr())
	rng := rand.New(rand.NewPCG(7, 7))
	var pieces [][]byte
	var expect []byte
	for range 400 {
		b := make([]byte, 1+rng.IntN(1000))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		pieces = append(pieces, b)
		expect = append(expect, b...)
	}
	go func() {
		// Many small writes, so that chunks get different delays and retransmissions.
		for _, b := range pieces {
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}()
	expectEcho(t, c, expect)
}

func TestProxyBlackholeHoldsUntilHeal(t *testing.T) {
	for _, dir := range []Direction{Both, ToServer, ToClient} {
		t.Run(dir.String(), func(t *testing.T) {
			p := newTestProxy(t, echoServer(t), 0)
			c := dial(t, p.Addr())
			c.Write([]byte("before"))
			expectEcho(t, c, []byte("before"))

			remove := p.Apply(Effect{Dir: dir, Blackhole: true})
			c.Write([]byte("during"))
			c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
			buf := make([]byte, 16)
			if n, err := c.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("blackholed %v: read %q, %v; want nothing (deadline exceeded)", dir, buf[:n], err)
			}
			remove()
			expectEcho(t, c, []byte("during"))
		})
	}
}

func TestProxyBlackholesStackAndHeal(t *testing.T) {
	p := newTestProxy(t, echoServer(t), 0)
	c := dial(t, p.Addr())
	r1 := p.Apply(Effect{Dir: ToServer, Blackhole: true})
	p.Apply(Effect{Dir: ToClient, Blackhole: true})
	r1()
	c.Write([]byte("x"))
	c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("one of two blackholes removed: read returned %v, want deadline exceeded", err)
	}
	p.Heal()
	expectEcho(t, c, []byte("x"))
}

func TestProxyDelayIsALowerBound(t *testing.T) {
	p := newTestProxy(t, echoServer(t), 0)
	c := dial(t, p.Addr())
	p.Apply(Effect{Dir: ToServer, Delay: 80 * time.Millisecond})
	start := time.Now()
	c.Write([]byte("slow"))
	expectEcho(t, c, []byte("slow"))
	if took := time.Since(start); took < 80*time.Millisecond {
		t.Fatalf("echo through an 80ms delay took %v", took)
	}
}

func TestProxyResetClosesConnections(t *testing.T) {
	p := newTestProxy(t, echoServer(t), 0)
	c := dial(t, p.Addr())
	c.Write([]byte("a"))
	expectEcho(t, c, []byte("a"))
	if n := p.ResetConnections(); n != 1 {
		t.Fatalf("ResetConnections closed %d connections, want 1", n)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read after reset: %v; want the connection closed", err)
	}
	// New connections still work.
	c2 := dial(t, p.Addr())
	c2.Write([]byte("b"))
	expectEcho(t, c2, []byte("b"))
}

func TestProxyCloseReleasesPortAndConnections(t *testing.T) {
	p, err := NewProxy(echoServer(t), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, p.Addr())
	p.Apply(Effect{Dir: Both, Blackhole: true}) // a pump is waiting on the blackhole
	c.Write([]byte("held"))
	addr := p.Addr()
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read after Close: %v; want the connection closed", err)
	}
	if ln, err := net.Listen("tcp", addr); err != nil {
		t.Fatalf("port of a closed proxy still taken: %v", err)
	} else {
		ln.Close()
	}
}
