package realk8s

import (
	"os"
	"testing"
	"testing/synctest"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model/k8s"
)

// long reports whether the long comparisons were asked for (LEASESIM_LONG set).
func long() bool { return os.Getenv("LEASESIM_LONG") != "" }

// seeds returns short, or long under LEASESIM_LONG.
func seeds(short, long_ int) int {
	if long() {
		return long_
	}
	return short
}

// runReal runs cfg in a fresh synctest bubble and checks its history with the k8s
// model's P3 model.
func runReal(t *testing.T, cfg Config) (*history.History, checker.Result) {
	t.Helper()
	var h *history.History
	var err error
	synctest.Test(t, func(t *testing.T) { h, err = Run(cfg) })
	if err != nil {
		t.Fatal(err)
	}
	m := k8s.OpModel()
	return h, checker.Check(h, checker.Options{OpModel: &m})
}

// violated reports whether the result has a finding of kind p.
func violated(r checker.Result, p checker.Kind) bool {
	for _, f := range r.Findings {
		if f.Kind == p {
			return true
		}
	}
	return false
}

// runInBubble runs f in a fresh synctest bubble.
func runInBubble(t *testing.T, f func()) {
	t.Helper()
	synctest.Test(t, func(*testing.T) { f() })
}
