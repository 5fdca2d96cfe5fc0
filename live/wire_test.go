package live

import (
	"strings"
	"testing"
)

func TestEventRoundTrip(t *testing.T) {
	events := []event{
		{Kind: evHello, Text: "1234"},
		{Kind: evSession, Text: "694d8b1f2c3a4b05"},
		{Kind: evWon, Rev: 7, Text: "/leasesim/x/election/694d8b1f2c3a4b05"},
		{Kind: evLost, Rev: 7, Text: "session-done"},
		{Kind: evWrite, Rev: 7, Seq: 3},
		{Kind: evWriteOK, Rev: 7, Seq: 3, Revision: 42},
		{Kind: evWriteRejected, Rev: 7, Seq: 4, Revision: 43},
		{Kind: evWriteError, Rev: 7, Seq: 5, Text: "context deadline exceeded"},
		{Kind: evError, Text: "session: connection refused"},
	}
	for _, e := range events {
		line := e.String()
		if strings.Contains(line, "\n") {
			t.Fatalf("%+v formats over several lines: %q", e, line)
		}
		got, err := parseEvent(line)
		if err != nil {
			t.Fatalf("parseEvent(%q): %v", line, err)
		}
		if got != e {
			t.Fatalf("round trip of %q: got %+v, want %+v", line, got, e)
		}
	}
}

func TestEventTextStaysOnOneLine(t *testing.T) {
	line := event{Kind: evWriteError, Rev: 1, Seq: 2, Text: "rpc error:\n  code = Unavailable\n"}.String()
	if line != "write-error 1 2 rpc error: code = Unavailable" {
		t.Fatalf("got %q", line)
	}
}

func TestParseEventRejects(t *testing.T) {
	for _, line := range []string{"", "winner 3 k", "won", "won x key", "write 1", "write-ok 1 2", "write-ok 1 2 x"} {
		if e, err := parseEvent(line); err == nil {
			t.Errorf("parseEvent(%q) = %+v, want an error", line, e)
		}
	}
}

func TestResourceValue(t *testing.T) {
	v := resourceValue{Holder: "B", Epoch: 12, Seq: 40}
	got, err := parseResourceValue(v.String())
	if err != nil || got != v {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, s := range []string{"", "B 12", "B x 40", "B 12 40 extra"} {
		if _, err := parseResourceValue(s); err == nil {
			t.Errorf("parseResourceValue(%q) accepted", s)
		}
	}
}
