package result

import "testing"

func TestUndecided(t *testing.T) {
	exp := func(key string, met bool, why string) Expectation {
		return Expectation{Key: key, Met: met, Undecided: why}
	}
	for _, c := range []struct {
		name        string
		r           ScenarioResult
		want, seeds bool
	}{
		{"met", ScenarioResult{Met: true, Unknown: 2}, false, false},
		{"p3 left open by checks", ScenarioResult{Unknown: 2, Expectations: []Expectation{exp("p1", true, ""), exp("p3", false, UndecidedChecks)}}, true, false},
		{"violated left open by too few seeds", ScenarioResult{Expectations: []Expectation{exp("p1", false, UndecidedSeeds), exp("p2", true, "")}}, true, true},
		{"open for both reasons", ScenarioResult{Expectations: []Expectation{exp("p1", false, UndecidedSeeds), exp("p3", false, UndecidedChecks)}}, true, false},
		{"an unmet decided expectation besides", ScenarioResult{Expectations: []Expectation{exp("p1", false, UndecidedSeeds), exp("max_gap", false, "")}}, false, false},
		{"decided failure", ScenarioResult{Expectations: []Expectation{exp("p1", false, "")}}, false, false},
		{"could not run", ScenarioResult{Error: "x", Expectations: []Expectation{exp("p1", false, UndecidedSeeds)}}, false, false},
		{"not met with no expectation open (a panic)", ScenarioResult{Expectations: []Expectation{exp("p1", true, "")}}, false, false},
	} {
		if got := Undecided(c.r); got != c.want {
			t.Errorf("%s: Undecided = %v, want %v", c.name, got, c.want)
		}
		if got := UndecidedForSeeds(c.r); got != c.seeds {
			t.Errorf("%s: UndecidedForSeeds = %v, want %v", c.name, got, c.seeds)
		}
	}
}
