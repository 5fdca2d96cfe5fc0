package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// benchHistory is a history of n claims, n writes and n/10 operations by 5 holders.
func benchHistory(n int) []byte {
	h := &History{Meta: Meta{Scenario: "bench", Protocol: "lease", Seed: 1, Start: 0, End: int64(n+1) * 1000,
		Holders: []string{"A", "B", "C", "D", "E"}, Issuers: []string{"Q"}, Resource: "R"}}
	for i := 0; i < n; i++ {
		t := int64(i) * 1000
		holder := h.Meta.Holders[i%5]
		h.Claims = append(h.Claims, Claim{Holder: holder, Lease: fmt.Sprintf("keys/%s/%d", holder, i%100), Epoch: uint64(i), From: t, To: t + 900, End: EndDeadline, Clock: "mono"})
		h.Writes = append(h.Writes, Write{Writer: holder, Epoch: uint64(i), Sent: t, At: t + 5, Accepted: true})
		if i%10 == 0 {
			h.Ops = append(h.Ops, Op{Client: holder, Call: t, Return: t + 50, Method: "keepalive", Lease: int64(i), TTL: 5, Ok: true, OutTTL: 5})
		}
	}
	var b bytes.Buffer
	if err := h.Write(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// BenchmarkRead reads a 210k-line history with every check.
func BenchmarkRead(b *testing.B) {
	data := benchHistory(100_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(data), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareDecode is the baseline Read is measured against: one encoding/json
// decode of each line into its record's struct, with no checks at all (the record
// type taken from the first bytes of the line, as a lenient reader would).
func BenchmarkBareDecode(b *testing.B) {
	data := benchHistory(100_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := &History{}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
		for sc.Scan() {
			line := sc.Bytes()
			var err error
			switch {
			case bytes.HasPrefix(line, []byte(`{"type":"claim"`)):
				var c Claim
				err = json.Unmarshal(line, &c)
				h.Claims = append(h.Claims, c)
			case bytes.HasPrefix(line, []byte(`{"type":"write"`)):
				var w Write
				err = json.Unmarshal(line, &w)
				h.Writes = append(h.Writes, w)
			case bytes.HasPrefix(line, []byte(`{"type":"op"`)):
				var o Op
				err = json.Unmarshal(line, &o)
				h.Ops = append(h.Ops, o)
			default:
				err = json.Unmarshal(line, &h.Meta)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
