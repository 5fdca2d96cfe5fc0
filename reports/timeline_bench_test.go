package reports

import (
	"bytes"
	"io"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// hourOfLeader is a simulated hour of the reference workload as a timeline sees it: five
// holders, a leader change every minute, a write every 100ms, a fault every two minutes.
func hourOfLeader() *history.History {
	const ms = sec / 1000
	holders := []string{"A", "B", "C", "D", "E"}
	h := &history.History{Meta: history.Meta{Scenario: "reference", Protocol: "lease", Seed: 1, End: 3600 * sec,
		Holders: holders, Issuers: []string{"Q"}, Resource: "R"}}
	for m := int64(0); m < 60; m++ {
		holder := holders[m%5]
		h.Claims = append(h.Claims, history.Claim{Holder: holder, Lease: history.LeaderLease, Epoch: uint64(m + 1),
			From: m*60*sec + 500*ms, To: (m + 1) * 60 * sec, End: history.EndRelease})
		for t := m*60*sec + 500*ms; t < (m+1)*60*sec; t += 100 * ms {
			h.Writes = append(h.Writes, history.Write{Writer: holder, Epoch: uint64(m + 1), Sent: t, At: t + ms, Accepted: true})
		}
		if m%2 == 0 {
			h.Faults = append(h.Faults, history.Fault{Kind: "pause", Nodes: []string{holder}, From: m*60*sec + 10*sec, To: m*60*sec + 15*sec})
		}
	}
	for _, name := range holders {
		h.Claims = append(h.Claims, history.Claim{Holder: name, Lease: history.LivenessLease(name), Epoch: 1, From: 0, To: 3600 * sec, End: history.EndRunEnd})
	}
	return h
}

// BenchmarkTimelineSVGHour measures the full-run timeline of a simulated hour (35,400
// writes): time per SVG and its size in bytes (the "bytes/svg" metric).
func BenchmarkTimelineSVGHour(b *testing.B) {
	h := hourOfLeader()
	findings := checker.Check(h, checker.Options{SkipPorcupine: true}).Findings
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteTimelineSVG(&buf, h, findings, TimelineOptions{Liveness: true}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/svg")
}

// BenchmarkTimelineTextHour measures the text timeline of the same hour.
func BenchmarkTimelineTextHour(b *testing.B) {
	h := hourOfLeader()
	for b.Loop() {
		if err := WriteTimelineText(io.Discard, h, nil, TimelineOptions{Liveness: true}, 120); err != nil {
			b.Fatal(err)
		}
	}
}
