package history

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func sample() *History {
	return &History{
		Meta: Meta{Scenario: "s", Protocol: "lease", Seed: 7, Start: 0, End: 100, Holders: []string{"A", "B"},
			Issuers: []string{"Q"}, Resource: "R", TraceHash: "00ff", Events: 12, Messages: 5,
			Params: map[string]string{"lease": "10s"}},
		Claims:   []Claim{{Holder: "A", Lease: LeaderLease, Epoch: 1, From: 0, To: 40, End: EndDeadline, Clock: "mono"}},
		Writes:   []Write{{Writer: "A", Epoch: 1, Token: 1, Sent: 3, At: 5, Accepted: true}},
		Ops:      []Op{{Client: "A", Call: 1, Return: Forever, Method: "grant", TTL: 10, Ok: true}},
		Faults:   []Fault{{Kind: "cut", Nodes: []string{"Q", "A"}, From: 10, To: 20, Detail: "cut Q | A"}},
		Statuses: []Status{{Issuer: "Q", Node: "A", Kind: StatusDeclaredFailed, At: 50}, {Issuer: "Q", Node: "A", Kind: StatusExpired, At: 60, Lease: "keys/A/0", Epoch: 3}},
		Up:       []Up{{Holder: "A", From: 0, To: 100}},
	}
}

func TestRoundTrip(t *testing.T) {
	h := sample()
	var b bytes.Buffer
	if err := h.Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&b, "x.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, h) {
		t.Fatalf("round trip changed the history:\n got %+v\nwant %+v", got, h)
	}
}

func TestWriteIsOneTypedObjectPerLine(t *testing.T) {
	var b bytes.Buffer
	if err := sample().Write(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines, want 8", len(lines))
	}
	for i, want := range []string{"meta", "claim", "write", "op", "fault", "status", "status", "up"} {
		if !strings.HasPrefix(lines[i], `{"type":"`+want+`",`) {
			t.Errorf("line %d = %s, want a %s record", i+1, lines[i], want)
		}
	}
	// A status without a lease is written as before the field existed (histories and
	// goldens stay byte-identical); an expired one carries its lease and grant.
	for i, want := range []string{
		`{"type":"status","issuer":"Q","node":"A","kind":"declared-failed","at":50}`,
		`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":60,"lease":"keys/A/0","epoch":3}`,
	} {
		if lines[5+i] != want {
			t.Errorf("status line %d = %s, want %s", i+1, lines[5+i], want)
		}
	}
}

func TestTraceHasherSeesOrderAndContent(t *testing.T) {
	sum := func(f func(h *TraceHasher)) string { h := NewTraceHasher(); f(&h); return h.Sum() }
	a := sum(func(h *TraceHasher) { h.Int(1); h.Int(2) })
	if a == sum(func(h *TraceHasher) { h.Int(2); h.Int(1) }) {
		t.Error("order does not change the hash")
	}
	if a != sum(func(h *TraceHasher) { h.Int(1); h.Int(2) }) {
		t.Error("equal traces hash differently")
	}
	if sum(func(h *TraceHasher) { h.String("ab"); h.String("c") }) == sum(func(h *TraceHasher) { h.String("a"); h.String("bc") }) {
		t.Error("string boundaries do not change the hash")
	}
}

// FuzzRead: any input either parses into a history that writes and reads back equal, or
// fails with a ParseError naming a line — never a panic.
func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	sample().Write(&b)
	f.Add(b.String())
	f.Add(`{"type":"meta"}`)
	f.Add("{\"type\":\"meta\"}\n{\"type\":\"claim\",\"holder\":\"A\",\"from\":1,\"to\":0}")
	f.Add("\n\n{")
	f.Add(lines(tMeta, tClaimA, tClaimB, tLive, tStatus, tWrite, tOp, tFault, tUp))
	f.Add(lines(tMeta, `{"type":"claim","holder":"A","lease":"x","epoch":0,"from":0,"to":9223372036854775807,"end":"run-end"}`))
	f.Add(lines(tMeta, tKeys, tExpired))
	f.Add(lines(tMeta, tKeys, strings.Replace(tExpired, `,"epoch":7`, "", 1)))
	f.Add(lines(tMeta, strings.Replace(tStatus, `"at":2000000000`, `"at":2000000000,"lease":"keys/A/0"`, 1)))
	f.Fuzz(func(t *testing.T, in string) {
		h, err := Read(strings.NewReader(in), "fuzz")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T %v is not a ParseError", err, err)
			}
			return
		}
		var out bytes.Buffer
		if err := h.Write(&out); err != nil {
			t.Fatal(err)
		}
		h2, err := Read(&out, "again")
		if err != nil {
			t.Fatalf("a history that parsed does not parse after writing: %v\n%s", err, out.String())
		}
		if !reflect.DeepEqual(h, h2) {
			t.Fatalf("write/read changed the history")
		}
	})
}
