package purity

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// allowedInCore are the //purity:allow comments of the core, by file:line and reason:
// a new exception is added here on purpose, after review.
var allowedInCore = []string{
	"model/etcd/store.go: create revisions are unique (one per put that creates a key), so the minimum is one entry in any order",
}

// TestCoreIsPure is the rule itself: the non-test files of sim, model, checker, history
// and scenarios (recursively) pass the Analyzer, and its only exceptions are
// allowedInCore.
func TestCoreIsPure(t *testing.T) {
	vs, allowed, err := Check("../..", CorePatterns...)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("%s", v)
	}
	var got []string
	for _, a := range allowed {
		t.Logf("allowed: %s", a)
		root, _ := filepath.Abs("../..")
		rel, _ := filepath.Rel(root, a.Pos.Filename)
		got = append(got, fmt.Sprintf("%s: %s", filepath.ToSlash(rel), a.Reason))
	}
	got = slices.Compact(got) // one comment may allow several reports
	if !slices.Equal(got, allowedInCore) {
		t.Errorf("the core's //purity:allow comments are\n%q\nwant (allowedInCore)\n%q", got, allowedInCore)
	}
}
