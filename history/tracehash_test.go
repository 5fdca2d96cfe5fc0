package history

import "testing"

// TestDigestCoversEveryRecord: changing any one field of any record — including a client
// operation's value and result, which the trace hash does not see — changes the digest;
// equal histories have equal digests.
func TestDigestCoversEveryRecord(t *testing.T) {
	base := func() *History {
		return &History{
			Meta:     Meta{Scenario: "s", Protocol: "p", Seed: 1, End: 10, Holders: []string{"a"}, TraceHash: "0123456789abcdef", Params: map[string]string{"lease": "1s"}},
			Claims:   []Claim{{Holder: "a", Lease: LeaderLease, Epoch: 1, From: 1, To: 5, End: EndDeadline}},
			Writes:   []Write{{Writer: "a", Epoch: 1, Sent: 2, At: 3, Accepted: true}},
			Ops:      []Op{{Client: "a", Call: 1, Return: 2, Method: "put", Key: "k", Value: "v1", Ok: true}},
			Faults:   []Fault{{Kind: "crash", Nodes: []string{"a"}, From: 6, To: 7}},
			Statuses: []Status{{Node: "a", At: 8}},
			Up:       []Up{{Holder: "a", From: 0, To: 10}},
		}
	}
	want, err := Digest(base())
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Digest(base()); again != want || len(want) != 64 {
		t.Fatalf("digest of equal histories: %s and %s", want, again)
	}
	for _, c := range []struct {
		name   string
		change func(h *History)
	}{
		{"op value", func(h *History) { h.Ops[0].Value = "v2" }},
		{"op result", func(h *History) { h.Ops[0].OutValue = "x" }},
		{"op return", func(h *History) { h.Ops[0].Return = Forever }},
		{"claim end", func(h *History) { h.Claims[0].To = 6 }},
		{"write accepted", func(h *History) { h.Writes[0].Accepted = false }},
		{"fault", func(h *History) { h.Faults[0].To = 8 }},
		{"status", func(h *History) { h.Statuses[0].At = 9 }},
		{"up", func(h *History) { h.Up[0].To = 9 }},
		{"param", func(h *History) { h.Meta.Params["lease"] = "2s" }},
		{"extra op", func(h *History) { h.Ops = append(h.Ops, h.Ops[0]) }},
	} {
		h := base()
		c.change(h)
		got, err := Digest(h)
		if err != nil {
			t.Fatal(err)
		}
		if got == want {
			t.Errorf("%s: the digest did not change", c.name)
		}
	}
}
