package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// TestSpacetimeNamesAnExpiry: a P4 finding on a key lease (an expired status) is drawn
// and told as the expiry it is — not as a promotion, nor as a node declared failed.
func TestSpacetimeNamesAnExpiry(t *testing.T) {
	h := &history.History{
		Meta:     history.Meta{Scenario: "s", Protocol: "etcd", End: 20e9, Holders: []string{"A"}, Issuers: []string{"Q"}},
		Claims:   []history.Claim{{Holder: "A", Lease: "keys/A/0", Epoch: 7, From: 1e9, To: 12.3e9, End: history.EndDeadline, Clock: "mono"}},
		Statuses: []history.Status{{Issuer: "Q", Node: "A", Kind: history.StatusExpired, At: 12e9, Lease: "keys/A/0", Epoch: 7}},
	}
	r := checker.Check(h, checker.Options{})
	if len(r.Findings) != 1 {
		t.Fatalf("findings %+v; want the P4 one", r.Findings)
	}
	var b bytes.Buffer
	if err := WriteSpacetimeSVG(&b, h, r.Findings); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for _, want := range []string{"expired A&#39;s keys/A/0", "expired, still claimed"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the diagram does not say %q", want)
		}
	}
	for _, bad := range []string{"promoted A", "declared failed"} {
		if strings.Contains(svg, bad) {
			t.Errorf("the diagram says %q of an expiry", bad)
		}
	}
	story := strings.Join(Spacetime(h, r.Findings)[0].Narrative, " ")
	if !strings.Contains(story, "Q expired A's lease keys/A/0 and deleted its keys at") {
		t.Errorf("narrative %q does not tell the expiry", story)
	}
}
