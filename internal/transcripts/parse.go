package transcripts

import (
	"fmt"
	"strings"
	"time"
)

// line is one line of a run's transcript: the true time and what happened. Lines added
// from the history (claim starts, findings) have added set.
type line struct {
	at    int64
	text  string
	added bool
}

// parseTranscript splits the simulator's transcript ("%14s  %s" per line: a true time
// as a Go duration, two spaces, the event) into lines.
func parseTranscript(b []byte) ([]line, error) {
	text := strings.TrimSuffix(string(b), "\n")
	if text == "" {
		return nil, nil
	}
	raw := strings.Split(text, "\n")
	out := make([]line, 0, len(raw))
	for i, r := range raw {
		s := strings.TrimLeft(r, " ")
		at, rest, ok := strings.Cut(s, "  ")
		if !ok {
			return nil, fmt.Errorf("transcript line %d: want a time and an event separated by two spaces, got %q", i+1, r)
		}
		d, err := time.ParseDuration(at)
		if err != nil {
			return nil, fmt.Errorf("transcript line %d: time %q: %v", i+1, at, err)
		}
		out = append(out, line{at: int64(d), text: rest})
	}
	return out, nil
}

// kind names what a line is for the counts: the event and, for messages, the message
// type ("deliver Grant", "drop Request (lost)", "timer RenewTick"), for faults the fault's
// kind, for a node's note its first word ("note promoted", "note write accepted=false").
func kind(text string) string {
	word, rest, _ := strings.Cut(text, " ")
	switch word {
	case "timer", "deliver", "drop", "depart":
		// "deliver A->B Name ...", "drop A->B Name ... (why)"
		f := strings.Fields(rest)
		if len(f) < 2 {
			return word
		}
		k := word + " " + f[1]
		if word == "drop" {
			if i := strings.LastIndex(rest, " ("); i >= 0 {
				k += rest[i:]
			}
		}
		return k
	case "fault":
		f, _, _ := strings.Cut(rest, " ")
		return "fault " + f
	case "start":
		return "start"
	case "claim":
		k, _, _ := strings.Cut(text, ":")
		return k
	}
	if strings.HasSuffix(word, ":") { // "Q: promoted B", "R: write from B ... accepted=true"
		f, _, _ := strings.Cut(rest, " ")
		f = strings.TrimSuffix(f, ":")
		if f == "write" {
			if i := strings.LastIndex(rest, " accepted="); i >= 0 {
				f += rest[i:]
			}
		}
		return "note " + f
	}
	return word
}

// workload reports whether a line is the workload rather than the protocol: timers
// (their effects are the messages that follow), the writers' writes the resource
// accepted, and raft's own traffic among issuers. These are counted but left out of the
// excerpt; rejected writes stay in.
func workload(text string) bool {
	switch k := kind(text); {
	case strings.HasPrefix(k, "timer "):
		return true
	case k == "note write accepted=true", k == "deliver Write", strings.HasPrefix(k, "drop Write"):
		return true
	case k == "deliver Raft", strings.HasPrefix(k, "drop Raft"), k == "depart Raft":
		return true
	}
	return false
}

// anchor reports whether the excerpt shows the lines around this one: a fault begins or
// ends, a claim begins or ends, a finding, or a node's note (an issuer's decision, a
// rejected write, a restart).
func anchor(l line) bool {
	if l.added {
		return true
	}
	k := kind(l.text)
	switch {
	case strings.HasPrefix(k, "fault "), strings.HasPrefix(k, "claim "):
		return true
	case strings.HasPrefix(k, "note "):
		return !workload(l.text) && k != "note paused"
	}
	return false
}

// isFault reports whether a line is a fault's start or end.
func isFault(l line) bool { return !l.added && strings.HasPrefix(l.text, "fault ") }
