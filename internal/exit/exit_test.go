package exit

import (
	"errors"
	"testing"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/result"
)

func TestWorst(t *testing.T) {
	for _, c := range []struct {
		codes []int
		want  int
	}{
		{nil, OK},
		{[]int{OK, Undecided}, Undecided},
		{[]int{Undecided, Violated}, Violated},
		{[]int{Violated, BadInput}, BadInput},
		{[]int{BadInput, Internal, Violated}, Internal},
		{[]int{Internal, Interrupted}, Interrupted},
	} {
		if got := Worst(c.codes...); got != c.want {
			t.Errorf("Worst(%v) = %d, want %d", c.codes, got, c.want)
		}
	}
}

func TestForVerdictAndSuite(t *testing.T) {
	for v, want := range map[checker.Verdict]int{checker.Ok: OK, checker.Violated: Violated, checker.Unknown: Undecided} {
		if got := ForVerdict(v); got != want {
			t.Errorf("ForVerdict(%s) = %d, want %d", v, got, want)
		}
	}
	rs := []result.ScenarioResult{{Met: true}, {Met: true, Unknown: 1}}
	if got := ForSuite(rs); got != Undecided {
		t.Errorf("a suite whose checks could not decide exits %d, want %d", got, Undecided)
	}
	rs = append(rs, result.ScenarioResult{Met: false})
	if got := ForSuite(rs); got != Violated {
		t.Errorf("a suite with an unmet expectation exits %d, want %d", got, Violated)
	}
}

func TestError(t *testing.T) {
	var e *Error
	if err := Bad("--seeds %d: expected a count >= 1", -1); !errors.As(err, &e) || e.Code != BadInput || err.Error() != "--seeds -1: expected a count >= 1" {
		t.Errorf("Bad: %#v", err)
	}
	if With(OK) != nil {
		t.Error("With(OK) is an error")
	}
	if err := With(Undecided); !errors.As(err, &e) || e.Code != Undecided || e.Err != nil || err.Error() != "exit 3" {
		t.Errorf("With(Undecided): %#v", err)
	}
	if If(true, Internal) != Internal || If(false, Internal) != OK {
		t.Error("If")
	}
}
