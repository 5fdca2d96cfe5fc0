package cli

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/sim"
)

// eventRow is one line of bench --events: how many events of one kind and message type a
// run had (a drop's detail is the network's reason).
type eventRow struct {
	Kind    string `json:"kind"`
	Message string `json:"message,omitempty"`
	Detail  string `json:"detail,omitempty"`
	PerRun  int64  `json:"per_run"`
}

// eventBreakdown is what bench --events reports of one run: its events by kind and
// message type, as its transcript shows them, beside the counts of its history's meta.
type eventBreakdown struct {
	Scenario string     `json:"scenario"`
	Seed     uint64     `json:"seed"`
	Hours    float64    `json:"simulated_hours"`
	Rows     []eventRow `json:"rows"`
	// Stepped is the rows' timers and deliveries: what the transcript shows handed to a
	// node. Events and Messages are the run's meta (Events counts a node's steps, so a
	// message queued while its node was paused counts when the node resumes).
	Stepped  int64 `json:"stepped"`
	Events   int64 `json:"events"`
	Messages int64 `json:"messages"`
}

// countEvents runs sc's first seed once with a transcript and counts its lines by kind
// and message type. It is an extra run: the kernel keeps no counters for it.
func countEvents(sc *scenarios.Scenario) (eventBreakdown, error) {
	seed := sc.Seeds.From
	cfg, err := sc.Config(seed)
	if err != nil {
		return eventBreakdown{}, err
	}
	var t eventTally
	cfg.Trace = &t
	h, err := sim.Run(cfg)
	if err != nil {
		return eventBreakdown{}, fmt.Errorf("%s seed %d: %w", sc.Name, seed, err)
	}
	t.flush()
	b := eventBreakdown{Scenario: sc.Name, Seed: seed, Hours: sc.Duration.Hours(),
		Events: h.Meta.Events, Messages: h.Meta.Messages}
	for k, n := range t.counts {
		b.Rows = append(b.Rows, eventRow{Kind: k.kind, Message: k.message, Detail: k.detail, PerRun: n})
		if k.kind == "timer" || k.kind == "deliver" {
			b.Stepped += n
		}
	}
	sort.Slice(b.Rows, func(i, j int) bool {
		x, y := b.Rows[i], b.Rows[j]
		if x.PerRun != y.PerRun {
			return x.PerRun > y.PerRun
		}
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		if x.Message != y.Message {
			return x.Message < y.Message
		}
		return x.Detail < y.Detail
	})
	return b, nil
}

// eventKey is what eventTally counts by.
type eventKey struct{ kind, message, detail string }

// eventTally is the io.Writer a run's transcript goes to: it keeps no text, only the
// count of each kind of event line (sim's traceText and traceDrop write them; a node's
// notes, "NAME: text", are not events and are skipped).
type eventTally struct {
	partial []byte
	counts  map[eventKey]int64
}

func (t *eventTally) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			t.partial = append(t.partial, p...)
			break
		}
		if len(t.partial) > 0 {
			t.partial = append(t.partial, p[:i]...)
			t.line(string(t.partial))
			t.partial = t.partial[:0]
		} else {
			t.line(string(p[:i]))
		}
		p = p[i+1:]
	}
	return n, nil
}

// flush counts a last line that had no newline.
func (t *eventTally) flush() {
	if len(t.partial) > 0 {
		t.line(string(t.partial))
		t.partial = nil
	}
}

// line counts one transcript line: "   TIME  TEXT".
func (t *eventTally) line(s string) {
	s = strings.TrimLeft(s, " ")
	i := strings.Index(s, "  ")
	if i < 0 {
		return
	}
	f := strings.Fields(s[i+2:])
	if len(f) == 0 || strings.HasSuffix(f[0], ":") {
		return // a note
	}
	k := eventKey{kind: f[0]}
	switch f[0] {
	case "timer", "deliver", "drop":
		if len(f) >= 3 {
			k.message = f[2]
		}
		if f[0] == "drop" {
			if j := strings.LastIndex(s, "("); j >= 0 {
				k.detail = strings.TrimSuffix(s[j+1:], ")")
			}
		}
	case "claim":
		k.kind = "claim-end"
	case "fault":
		if len(f) >= 2 {
			k.message = f[1]
		}
		switch {
		case f[len(f)-1] == "ends":
			k.kind = "fault-end"
		case slices.Contains(f, "skipped:"):
			k.kind = "fault-skipped" // never applied ("pause leader" with no leader)
		}
	case "start":
	case "swarm":
		return // the fault mix a swarm seed drew, not an event
	default:
		k.kind = "other"
	}
	if t.counts == nil {
		t.counts = map[eventKey]int64{}
	}
	t.counts[k]++
}

// printEvents prints bench --events for people: one line per kind and message type,
// per run and per simulated hour, and its share of the events handed to a node.
func printEvents(w io.Writer, b eventBreakdown, simulated time.Duration) {
	fmt.Fprintf(w, "%s: the events of one run (seed %d, %s simulated), from its transcript\n", b.Scenario, b.Seed, simulated)
	// The message column is as wide as its widest entry ("Raft (cut in flight)"), so
	// that the numbers stay in their columns.
	msgs := make([]string, len(b.Rows))
	width := len("message")
	for i, r := range b.Rows {
		msgs[i] = r.Message
		if r.Detail != "" {
			msgs[i] += " (" + r.Detail + ")"
		}
		width = max(width, len(msgs[i]))
	}
	fmt.Fprintf(w, "  %-10s %-*s %12s %14s %7s\n", "kind", width, "message", "per run", "per sim hour", "share")
	for i, r := range b.Rows {
		msg := msgs[i]
		share := ""
		if (r.Kind == "timer" || r.Kind == "deliver") && b.Stepped > 0 {
			share = fmt.Sprintf("%.1f%%", 100*float64(r.PerRun)/float64(b.Stepped))
		}
		fmt.Fprintf(w, "  %-10s %-*s %12s %14s %7s\n", r.Kind, width, msg, result.Thousands(int(r.PerRun)), perHour(r.PerRun, b.Hours), share)
	}
	fmt.Fprintf(w, "  timers and deliveries: %s per run; the run's meta: %s events (node steps), %s messages\n",
		result.Thousands(int(b.Stepped)), result.Thousands(int(b.Events)), result.Thousands(int(b.Messages)))
}

// perHour formats n per run as a rate per simulated hour.
func perHour(n int64, hours float64) string {
	if hours <= 0 {
		return "-"
	}
	return result.Thousands(int(float64(n)/hours + 0.5))
}
