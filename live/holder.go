package live

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
	"go.uber.org/zap"
)

// HolderMain is the main function of one holder subprocess; args are its flags (without
// the program name or subcommand). The leasesim binary runs it from the hidden subcommand
// `leasesim live-holder`, and tests from a re-executed test binary. It returns the exit
// code: 0 when its parent closed stdin, 2 for bad flags, 1 for other errors.
//
// A holder is the plain etcd client recipe: a concurrency.Session with a TTL, an
// Election on a prefix, Campaign; once it has won (and the parent acknowledged the win),
// it writes to the resource key every -write-every until the session ends, then starts
// over with a new session. Writes are fenced (a transaction that compares the leader
// key's create revision with the revision the holder won at) unless -unfenced is given.
// It reports every step on stdout in the line protocol of wire.go.
func HolderMain(args []string) int {
	fs := flag.NewFlagSet("live-holder", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	var (
		name       = fs.String("name", "", "holder name (required)")
		endpoints  = fs.String("endpoints", "", "comma-separated etcd endpoints, host:port (required)")
		ttl        = fs.Int("ttl", 2, "session TTL in whole seconds")
		election   = fs.String("election", "", "election key prefix (required)")
		resource   = fs.String("resource", "", "resource key (required)")
		writeEvery = fs.Duration("write-every", 100*time.Millisecond, "interval between a leader's writes")
		timeout    = fs.Duration("write-timeout", 10*time.Second, "how long a holder waits for etcd's answer to one write (beyond its term: a write a partition held back is answered when it heals)")
		unfenced   = fs.Bool("unfenced", false, "write with a plain Put instead of a fenced transaction")
	)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case *name == "" || strings.ContainsAny(*name, " \t\n"):
		fmt.Fprintln(os.Stderr, "live-holder: -name: expected a holder name without spaces")
		return 2
	case *endpoints == "":
		fmt.Fprintln(os.Stderr, "live-holder: -endpoints: expected host:port[,host:port...]")
		return 2
	case *election == "" || *resource == "":
		fmt.Fprintln(os.Stderr, "live-holder: -election and -resource: expected etcd keys")
		return 2
	case *ttl < 1:
		fmt.Fprintln(os.Stderr, "live-holder: -ttl: expected at least 1 (seconds)")
		return 2
	case *writeEvery <= 0 || *timeout <= 0:
		fmt.Fprintln(os.Stderr, "live-holder: -write-every and -write-timeout: expected positive durations")
		return 2
	}

	out := &eventWriter{w: os.Stdout}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	acks := make(chan int64, 8)
	go readCommands(os.Stdin, acks, cancel)

	cli, err := clientv3.New(clientv3.Config{
		Endpoints: strings.Split(*endpoints, ","),
		// DialTimeout 0: do not block on the first connection, which may be cut.
		Logger: zap.NewNop(),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "live-holder:", err)
		return 1
	}
	defer cli.Close()

	h := &holder{
		name: *name, cli: cli, out: out, acks: acks,
		ttl: *ttl, election: *election, resource: *resource,
		writeEvery: *writeEvery, writeTimeout: *timeout, fenced: !*unfenced,
		writing: make(chan struct{}, 1),
	}
	out.emit(event{Kind: evHello, Text: strconv.Itoa(os.Getpid())})
	h.run(ctx)
	return 0
}

// readCommands reads the parent's commands from stdin; EOF (the parent is gone or done)
// cancels the holder.
func readCommands(r io.Reader, acks chan<- int64, cancel context.CancelFunc) {
	defer cancel()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		cmd, arg, _ := strings.Cut(sc.Text(), " ")
		if cmd != cmdGo {
			continue
		}
		if rev, err := strconv.ParseInt(arg, 10, 64); err == nil {
			acks <- rev
		}
	}
}

// eventWriter writes event lines, one write call per line.
type eventWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (o *eventWriter) emit(e event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	io.WriteString(o.w, e.String()+"\n")
}

// holder is the state of one holder process.
type holder struct {
	name         string
	cli          *clientv3.Client
	out          *eventWriter
	acks         <-chan int64
	ttl          int
	election     string
	resource     string
	writeEvery   time.Duration
	writeTimeout time.Duration
	fenced       bool
	// writing holds a token while a write waits for its answer.
	writing chan struct{}
}

// run campaigns and leads, session after session, until ctx ends.
func (h *holder) run(ctx context.Context) {
	for ctx.Err() == nil {
		s, err := concurrency.NewSession(h.cli, concurrency.WithTTL(h.ttl), concurrency.WithContext(ctx))
		if err != nil {
			if ctx.Err() == nil {
				h.out.emit(event{Kind: evError, Text: "session: " + err.Error()})
				sleep(ctx, 100*time.Millisecond)
			}
			continue
		}
		h.out.emit(event{Kind: evSession, Text: strconv.FormatInt(int64(s.Lease()), 16)})
		h.term(ctx, s)
		s.Orphan()
	}
}

// term campaigns in one session and leads until the session ends.
func (h *holder) term(ctx context.Context, s *concurrency.Session) {
	// Campaign and every write stop when the session ends: waiting or writing on behalf
	// of a lost session is pointless.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.Done():
			cancel()
		case <-sctx.Done():
		}
	}()

	e := concurrency.NewElection(s, h.election)
	if err := e.Campaign(sctx, h.name); err != nil {
		if sctx.Err() == nil {
			h.out.emit(event{Kind: evError, Text: "campaign: " + err.Error()})
			sleep(sctx, 100*time.Millisecond)
		}
		return
	}
	if sessionDone(s) {
		return // won on a session that is already gone: no belief to record
	}
	rev, key := e.Rev(), e.Key()
	h.out.emit(event{Kind: evWon, Rev: rev, Text: key})
	// Act as leader only once the parent has stamped the win, so that every action of
	// this term comes after the claim's recorded start.
	for acked := false; !acked; {
		select {
		case a := <-h.acks:
			acked = a == rev
		case <-s.Done():
			h.out.emit(event{Kind: evLost, Rev: rev, Text: "session-done"})
			return
		case <-ctx.Done():
			return
		}
	}

	tick := time.NewTicker(h.writeEvery)
	defer tick.Stop()
	var seq int64
	// One write at a time waits for etcd's answer, aside from this loop and beyond the
	// session (up to -write-timeout): a write a partition held back reaches etcd when it
	// heals, and its answer — refused by the fence when a newer leader was elected
	// meanwhile — is reported even after the term ended, while this loop reports the
	// session's end when it happens. The write is announced here, before the loop can
	// report the end, and handed to the client at once.
	busy := h.writing
	for {
		select {
		case <-s.Done():
			h.out.emit(event{Kind: evLost, Rev: rev, Text: "session-done"})
			return
		case <-ctx.Done():
			return
		case <-tick.C:
			if sessionDone(s) {
				continue // the Done case reports it
			}
			select {
			case busy <- struct{}{}:
			default:
				continue // the last write still waits for its answer
			}
			seq++
			h.out.emit(event{Kind: evWrite, Rev: rev, Seq: seq})
			sent := make(chan struct{})
			go func(seq int64) {
				defer func() { <-busy }()
				h.write(ctx, key, rev, seq, sent)
			}(seq)
			<-sent
		}
	}
}

// write sends one write under epoch rev, announced already, closes sent as it hands it
// to the client, and reports its outcome.
func (h *holder) write(ctx context.Context, key string, rev, seq int64, sent chan<- struct{}) {
	value := resourceValue{Holder: h.name, Epoch: rev, Seq: seq}.String()
	wctx, cancel := context.WithTimeout(ctx, h.writeTimeout)
	defer cancel()
	if !h.fenced {
		close(sent)
		resp, err := h.cli.Put(wctx, h.resource, value)
		if err != nil {
			h.out.emit(event{Kind: evWriteError, Rev: rev, Seq: seq, Text: errText(err)})
			return
		}
		h.out.emit(event{Kind: evWriteOK, Rev: rev, Seq: seq, Revision: resp.Header.Revision})
		return
	}
	txn := h.cli.Txn(wctx).
		If(clientv3.Compare(clientv3.CreateRevision(key), "=", rev)).
		Then(clientv3.OpPut(h.resource, value))
	close(sent)
	resp, err := txn.Commit()
	if err != nil {
		h.out.emit(event{Kind: evWriteError, Rev: rev, Seq: seq, Text: errText(err)})
		return
	}
	kind := evWriteRejected
	if resp.Succeeded {
		kind = evWriteOK
	}
	h.out.emit(event{Kind: kind, Rev: rev, Seq: seq, Revision: resp.Header.Revision})
}

func errText(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return err.Error()
}

func sessionDone(s *concurrency.Session) bool {
	select {
	case <-s.Done():
		return true
	default:
		return false
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
