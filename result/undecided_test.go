package result

import "testing"

func TestUndecided(t *testing.T) {
	prop := func(key string, met bool) Expectation { return Expectation{Key: key, Met: met} }
	for _, c := range []struct {
		name string
		r    ScenarioResult
		want bool
	}{
		{"met", ScenarioResult{Met: true, Unknown: 2}, false},
		{"p3 open, no violation", ScenarioResult{Unknown: 2, Expectations: []Expectation{prop("p1", true), prop("p3", false)}}, true},
		{"p3 violated by a seed", ScenarioResult{Unknown: 2, Violations: map[string]int{"p3": 1}, Expectations: []Expectation{prop("p3", false)}}, false},
		{"unmet metric bound", ScenarioResult{Unknown: 2, Expectations: []Expectation{prop("p3", false), prop("max_gap", false)}}, false},
		{"no undecided seed", ScenarioResult{Expectations: []Expectation{prop("p1", false)}}, false},
		{"could not run", ScenarioResult{Unknown: 1, Error: "x", Expectations: []Expectation{prop("p1", false)}}, false},
		{"liveness unmet, p3 undecided", ScenarioResult{Unknown: 2, Expectations: []Expectation{prop("p3", false), prop("liveness", false)}}, false},
	} {
		if got := Undecided(c.r); got != c.want {
			t.Errorf("%s: Undecided = %v, want %v", c.name, got, c.want)
		}
	}
}
