package purity

import (
	"go/token"
	"strings"
	"testing"
)

// TestCoreIsPure is the rule itself: sim, model and checker never read the wall clock,
// start goroutines or use global randomness.
func TestCoreIsPure(t *testing.T) {
	for _, dir := range []string{"../../sim", "../../model", "../../checker"} {
		v, err := ScanDir(dir)
		if err != nil {
			t.Fatalf("scan %s: %v", dir, err)
		}
		for _, x := range v {
			t.Errorf("%s", x)
		}
	}
}

// TestScannerCatchesEachRule shows the scanner fails on every kind of breach, including
// through an import alias, and passes allowed uses.
func TestScannerCatchesEachRule(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"time.Now", `package p; import "time"; func f() { _ = time.Now() }`, "time.Now"},
		{"aliased time.Since", `package p; import t "time"; func f() { _ = t.Since(t.Time{}) }`, "time.Since"},
		{"time.Sleep", `package p; import "time"; func f() { time.Sleep(1) }`, "time.Sleep"},
		{"goroutine", `package p; func f() { go f() }`, "go statement"},
		{"global v2 rand", `package p; import "math/rand/v2"; func f() int { return rand.IntN(3) }`, "rand.IntN"},
		{"math/rand v1", `package p; import "math/rand"; func f() int { return rand.Intn(3) }`, "imports math/rand"},
		{"crypto/rand", `package p; import "crypto/rand"; var _ = rand.Reader`, "crypto/rand"},
	}
	for _, tc := range cases {
		v, err := ScanSource(token.NewFileSet(), tc.name+".go", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(v) == 0 || !strings.Contains(v[0].What, tc.want) {
			t.Errorf("%s: violations %v, want one mentioning %q", tc.name, v, tc.want)
		}
	}
	allowed := `package p
import ("time"; "math/rand/v2")
func f(r *rand.Rand) time.Duration { _ = rand.New(rand.NewPCG(1, 2)); return time.Duration(r.IntN(3)) * time.Second }`
	if v, err := ScanSource(token.NewFileSet(), "ok.go", allowed); err != nil || len(v) != 0 {
		t.Errorf("allowed uses flagged: %v %v", v, err)
	}
}
