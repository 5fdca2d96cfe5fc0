package checker

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/history"
)

func TestVisualizeP1WritesOnlyTheWindow(t *testing.T) {
	L := history.LeaderLease
	var claims []history.Claim
	// Many clean handoffs, then an overlap at 500s, then more handoffs.
	for i := 0; i < 200; i++ {
		holder := []string{"A", "B", "C"}[i%3]
		claims = append(claims, cl(holder, L, uint64(i+1), float64(5*i), float64(5*i+4)))
	}
	claims = append(claims, cl("C", L, 999, 502, 503.5))
	h := hist(claims...)
	h.Meta.End = 2000 * sec
	r := Check(h, Options{})
	if len(r.Findings) != 1 {
		t.Fatalf("findings %+v, want one overlap", r.Findings)
	}
	f := r.Findings[0]
	var window bytes.Buffer
	if err := VisualizeP1(h, f.Lease, f.From, f.To, &window); err != nil {
		t.Fatal(err)
	}
	html := window.String()
	for _, want := range []string{"<html", "claims of B", "claims of C", "epoch 999", "window"} {
		if !strings.Contains(html, want) {
			t.Errorf("visualization lacks %q", want)
		}
	}
	// The claim far from the window is not in it.
	if strings.Contains(html, "epoch 150") {
		t.Errorf("visualization includes claims far from the window")
	}
	var all bytes.Buffer
	if err := VisualizeP1(h, L, 0, 2000*sec, &all); err != nil {
		t.Fatal(err)
	}
	if all.Len() <= window.Len() {
		t.Errorf("the whole run (%d bytes) is not larger than one window (%d bytes)", all.Len(), window.Len())
	}
}

func TestVisualizeP1Errors(t *testing.T) {
	h := hist(cl("A", history.LeaderLease, 1, 0, 10))
	var b bytes.Buffer
	if err := VisualizeP1(h, "nosuch", 0, 10*sec, &b); err == nil || !strings.Contains(err.Error(), `no claim on lease "nosuch"`) {
		t.Errorf("unknown lease: err %v", err)
	}
	if err := VisualizeP1(h, history.LeaderLease, 50*sec, 60*sec, &b); err == nil {
		t.Errorf("empty window: no error")
	}
	if err := VisualizeP1(h, history.LeaderLease, 10*sec, 5*sec, &b); err == nil {
		t.Errorf("backwards window: no error")
	}
	if err := VisualizeP1(nil, history.LeaderLease, 0, 5*sec, &b); err == nil {
		t.Errorf("nil history: no error")
	}
}
