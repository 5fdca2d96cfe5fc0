package checker

import (
	"github.com/leasesim/leasesim/history"
)

// sec is one second of true time.
const sec = int64(1e9)

// cl makes a claim on lease with the given epoch, [from, to) in seconds.
func cl(holder, lease string, epoch uint64, from, to float64) history.Claim {
	return history.Claim{Holder: holder, Lease: lease, Epoch: epoch, From: secs(from), To: secs(to), End: history.EndDeadline, Clock: "mono"}
}

func secs(s float64) int64 { return int64(s * float64(sec)) }

// hist makes a history of holders A, B, C over [0, 100s) with the given claims.
func hist(claims ...history.Claim) *history.History {
	return &history.History{
		Meta:   history.Meta{Scenario: "t", Protocol: "lease", Start: 0, End: 100 * sec, Holders: []string{"A", "B", "C"}},
		Claims: claims,
	}
}

// window is a P1 finding reduced to what the sweep decides.
type window struct {
	Lease    string
	From, To int64
	Holders  string
}

func windowsOf(fs []Finding, k Kind) []window {
	var out []window
	for _, f := range fs {
		if f.Kind == k {
			hs := ""
			for i, h := range f.Holders {
				if i > 0 {
					hs += ","
				}
				hs += h
			}
			out = append(out, window{f.Lease, f.From, f.To, hs})
		}
	}
	return out
}
