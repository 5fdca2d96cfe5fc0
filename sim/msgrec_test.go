package sim

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/leasesim/leasesim/history"
)

// TestRecordMessagesIsObservationOnly: recording messages changes neither the trace nor
// any other record of the history, and what it adds reads back through the strict
// reader.
func TestRecordMessagesIsObservationOnly(t *testing.T) {
	for _, seed := range []uint64{3, 9} {
		cfg := richConfig(seed)
		plain, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg.RecordMessages = true
		rec, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Meta.TraceHash != plain.Meta.TraceHash {
			t.Fatalf("seed %d: recording messages changed the trace: %s, without %s", seed, rec.Meta.TraceHash, plain.Meta.TraceHash)
		}
		if len(plain.Msgs) != 0 || len(plain.Clocks) != 0 {
			t.Fatalf("seed %d: messages recorded without RecordMessages", seed)
		}
		if len(rec.Msgs) == 0 || len(rec.Clocks) < len(cfg.Nodes) {
			t.Fatalf("seed %d: %d messages and %d clock pieces recorded", seed, len(rec.Msgs), len(rec.Clocks))
		}
		stripped := *rec
		stripped.Msgs, stripped.Clocks = nil, nil
		var a, b bytes.Buffer
		plain.Write(&a)
		stripped.Write(&b)
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("seed %d: the history's other records differ when messages are recorded", seed)
		}
		b.Reset()
		rec.Write(&b)
		back, err := history.Read(&b, "recorded")
		if err != nil {
			t.Fatalf("seed %d: the recorded history does not read back: %v", seed, err)
		}
		if len(back.Msgs) != len(rec.Msgs) || len(back.Clocks) != len(rec.Clocks) {
			t.Fatalf("seed %d: read back %d messages, %d pieces; wrote %d, %d", seed, len(back.Msgs), len(back.Clocks), len(rec.Msgs), len(rec.Clocks))
		}
	}
}

// TestRecordedMessagesAndClocks: every message sent through the network appears once per
// delivery or drop, with the send before the delivery, and the recorded clock readings
// agree with the clock pieces (a drifting, stepping node's included).
func TestRecordedMessagesAndClocks(t *testing.T) {
	cfg := richConfig(5)
	cfg.RecordMessages = true
	cfg.MsgName = func(t MsgType) string {
		if t == msgPing {
			return "ping"
		}
		return "" // the kernel falls back to the type number
	}
	h, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pieces := map[string][]history.ClockPiece{}
	for _, c := range h.Clocks {
		pieces[c.Node] = append(pieces[c.Node], c)
	}
	monoAt := func(node string, t int64) int64 {
		ps := pieces[node]
		for i := len(ps) - 1; i >= 0; i-- {
			if ps[i].At <= t {
				return ps[i].MonoAt(t)
			}
		}
		return ps[0].MonoAt(t)
	}
	kinds := map[string]bool{}
	dropped, delivered := 0, 0
	for i, m := range h.Msgs {
		if m.Sent > m.At {
			t.Fatalf("msg %d: sent %d after %d", i, m.Sent, m.At)
		}
		kinds[m.Kind] = true
		if m.Dropped != "" {
			dropped++
		} else {
			delivered++
		}
		for _, c := range []struct {
			node     string
			at, want int64
		}{{m.From, m.Sent, m.SentClock}, {m.To, m.At, m.AtClock}} {
			if got := monoAt(c.node, c.at); got-c.want > 1 || c.want-got > 1 {
				t.Fatalf("msg %d (%+v): %s's clock at %d from its pieces is %d, recorded %d", i, m, c.node, c.at, got, c.want)
			}
		}
	}
	if dropped == 0 || delivered == 0 {
		t.Fatalf("%d dropped and %d delivered messages: a lossy run with cuts has both", dropped, delivered)
	}
	if len(h.Clocks) == len(cfg.Nodes) {
		t.Fatal("no clock piece beyond the first: the run has drift changes and steps")
	}
	if !kinds["ping"] || !kinds[fmt.Sprintf("type %d", msgPong)] || len(kinds) != 2 {
		t.Fatalf("message kinds %v; expected ping (named) and the pong's number", kinds)
	}
}
