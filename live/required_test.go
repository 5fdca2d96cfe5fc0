package live

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

// requiredEnv, set to 1, makes every live test run or fail: none may skip, for any
// reason (CI sets it, so that it cannot pass with no live coverage).
const requiredEnv = "LEASESIM_LIVE_REQUIRED"

func liveRequired() bool { return os.Getenv(requiredEnv) == "1" }

// skipLive skips the test with the reason given, or fails it with that reason under
// LEASESIM_LIVE_REQUIRED=1.
func skipLive(t testing.TB, format string, args ...any) {
	t.Helper()
	if liveRequired() {
		t.Fatalf(format+" — and %s=1: no live test may skip", append(args, requiredEnv)...)
		return
	}
	t.Skipf(format, args...)
}

// skipShort skips a test that needs seconds of real time under -short, unless
// LEASESIM_LIVE_REQUIRED=1, which runs it anyway.
func skipShort(t testing.TB) {
	t.Helper()
	if testing.Short() && !liveRequired() {
		// Not skipLive: under LEASESIM_LIVE_REQUIRED=1 the test runs instead.
		t.Skip("live etcd trials take seconds of real time; skipped with -short")
	}
}

// What a live test does after RunTrials returned err.
const (
	startRun  = "run"  // etcd started (or the error is not about starting it)
	startSkip = "skip" // an environmental reason: skip, naming it
	startFail = "fail" // etcd should have started here: fail
)

// clusterStartAction decides what a live test does with RunTrials' error. Only one
// reason to not start the embedded etcd is environmental: no loopback to listen on
// (ErrNoLoopback). Every other start failure — a readiness timeout on a busy machine
// included, which clusterReadyAfter makes generous instead — fails the test, and under
// LEASESIM_LIVE_REQUIRED=1 so does the environmental one.
func clusterStartAction(err error, required bool) string {
	switch {
	case !errors.Is(err, ErrClusterStart):
		return startRun
	case errors.Is(err, ErrNoLoopback) && !required:
		return startSkip
	default:
		return startFail
	}
}

// onClusterStart applies clusterStartAction to the test.
func onClusterStart(t testing.TB, err error) {
	t.Helper()
	switch clusterStartAction(err, liveRequired()) {
	case startSkip:
		t.Skipf("this machine has no loopback to run etcd on: %v", err)
	case startFail:
		t.Fatalf("the embedded etcd did not start, and that is not an environmental reason to skip (only %q is, and not under %s=1): %v",
			ErrNoLoopback, requiredEnv, err)
	}
}

func TestClusterStartAction(t *testing.T) {
	wrapped := func(inner error) error { return errors.Join(ErrClusterStart, inner) }
	tests := []struct {
		name     string
		err      error
		required bool
		want     string
	}{
		{"started", nil, false, startRun},
		{"another error", errors.New("start holder A: no such file"), false, startRun},
		{"no loopback", wrapped(ErrNoLoopback), false, startSkip},
		{"no loopback, required", wrapped(ErrNoLoopback), true, startFail},
		{"readiness timeout on a busy machine", wrapped(errors.New("etcd not ready after 2m0s")), false, startFail},
		{"etcd failed", wrapped(errors.New("etcd failed while starting: bad data dir")), false, startFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clusterStartAction(tt.err, tt.required); got != tt.want {
				t.Errorf("clusterStartAction(%v, required=%v) = %s, want %s", tt.err, tt.required, got, tt.want)
			}
		})
	}
}

// recordTB records what a helper asked of a test instead of doing it.
type recordTB struct {
	testing.TB
	fatal, skip string
}

func (r *recordTB) Helper()                        {}
func (r *recordTB) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }
func (r *recordTB) Skipf(format string, a ...any)  { r.skip = fmt.Sprintf(format, a...) }

func TestSkipLiveFailsWhenRequired(t *testing.T) {
	for _, required := range []string{"", "1"} {
		t.Setenv(requiredEnv, required)
		rec := &recordTB{TB: t}
		skipLive(rec, "no /proc here")
		if required == "1" && (rec.fatal == "" || rec.skip != "") {
			t.Errorf("%s=1: skipLive skipped (%q) instead of failing", requiredEnv, rec.skip)
		}
		if required == "" && (rec.skip == "" || rec.fatal != "") {
			t.Errorf("%s unset: skipLive failed (%q) instead of skipping", requiredEnv, rec.fatal)
		}
	}
}
