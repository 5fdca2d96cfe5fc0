package live

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// holderProc is one holder subprocess (one incarnation of a holder), in its own process
// group so that signals reach it and nothing else.
type holderProc struct {
	name        string
	incarnation int
	cmd         *exec.Cmd
	pid         int

	stdinMu sync.Mutex
	stdin   io.WriteCloser
	stderr  *tailBuffer

	exited  chan struct{} // closed once the process is reaped
	exitErr error

	// reaped is set, under mu, once the process has exited, just before it is reaped:
	// until then its pid (and group id) cannot be reused, so signalling is safe.
	mu     sync.Mutex
	reaped bool
}

// procHooks receive a holder process's stamped lines and its exit.
type procHooks struct {
	line func(p *holderProc, stamp int64, line string)
	exit func(p *holderProc, stamp int64, err error)
}

// startProc starts a holder subprocess: command, then the holder's flags.
func startProc(command, env, flags []string, name string, incarnation int, clock func() int64, hooks procHooks) (*holderProc, error) {
	args := append(append([]string(nil), command[1:]...), flags...)
	cmd := exec.Command(command[0], args...)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid: true,
		// If this process dies without cleaning up, the kernel kills the holder.
		Pdeathsig: syscall.SIGKILL,
	}
	p := &holderProc{name: name, incarnation: incarnation, cmd: cmd,
		stderr: &tailBuffer{max: 8 << 10}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start holder %s (%s): %w", name, command[0], err)
	}
	p.pid = cmd.Process.Pid
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			hooks.line(p, clock(), sc.Text())
		}
		// Wait for the exit without reaping, so that no signal can reach a reused pid.
		var info unix.Siginfo
		for unix.Waitid(unix.P_PID, p.pid, &info, unix.WEXITED|unix.WNOWAIT, nil) == unix.EINTR {
		}
		p.mu.Lock()
		p.reaped = true
		p.mu.Unlock()
		// All output is read: now Wait may close the pipes.
		p.exitErr = cmd.Wait()
		hooks.exit(p, clock(), p.exitErr)
		close(p.exited)
	}()
	return p, nil
}

// signal sends sig to the holder's process group; a group already gone is not an error.
func (p *holderProc) signal(sig syscall.Signal) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reaped {
		return nil
	}
	err := syscall.Kill(-p.pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// kill sends SIGKILL to the group and waits up to d for the process to be reaped.
func (p *holderProc) kill(d time.Duration) error {
	if err := p.signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill holder %s (pid %d): %w", p.name, p.pid, err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(d):
		return fmt.Errorf("holder %s (pid %d) not reaped %v after SIGKILL", p.name, p.pid, d)
	}
}

// send writes one command line to the holder's stdin. A stopped holder's pipe buffers it.
func (p *holderProc) send(line string) error {
	p.stdinMu.Lock()
	defer p.stdinMu.Unlock()
	_, err := io.WriteString(p.stdin, line+"\n")
	return err
}

// alive reports whether the process has not been reaped yet.
func (p *holderProc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = append([]byte(nil), b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}
