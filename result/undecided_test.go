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

func TestUndecidedWhy(t *testing.T) {
	exp := func(met bool, why string) Expectation { return Expectation{Key: "p1", Met: met, Undecided: why} }
	last := uint64(3)
	for _, c := range []struct {
		name          string
		rs            []ScenarioResult
		seeds, checks bool
	}{
		{"all decided", []ScenarioResult{{Met: true}, {Expectations: []Expectation{exp(false, "")}}}, false, false},
		{"met with a check undecided", []ScenarioResult{{Met: true, Unknown: 1}}, false, true},
		{"open for seeds", []ScenarioResult{{Expectations: []Expectation{exp(false, UndecidedSeeds)}}}, true, false},
		{"open for checks", []ScenarioResult{{Expectations: []Expectation{exp(false, UndecidedChecks)}}}, false, true},
		{"both, in two scenarios", []ScenarioResult{{Expectations: []Expectation{exp(false, UndecidedSeeds)}}, {Met: true, Unknown: 2}}, true, true},
		{"no seed ran: left out", []ScenarioResult{{Budget: &SeedBudget{}, Expectations: []Expectation{exp(false, UndecidedSeeds)}}}, false, false},
		{"some seeds ran", []ScenarioResult{{Budget: &SeedBudget{LastSeed: &last}, Expectations: []Expectation{exp(false, UndecidedSeeds)}}}, true, false},
	} {
		seeds, checks := UndecidedWhy(c.rs)
		if seeds != c.seeds || checks != c.checks {
			t.Errorf("%s: UndecidedWhy = %v, %v; want %v, %v", c.name, seeds, checks, c.seeds, c.checks)
		}
		for _, r := range c.rs {
			if want := r.Budget != nil && r.Budget.LastSeed == nil; r.RanNoSeed() != want {
				t.Errorf("%s: RanNoSeed = %v, want %v", c.name, r.RanNoSeed(), want)
			}
		}
	}
}

func TestJudgeSuite(t *testing.T) {
	last := uint64(1)
	open := Expectation{Key: "p1", Undecided: UndecidedSeeds}
	for _, c := range []struct {
		name string
		rs   []ScenarioResult
		want SuiteVerdict
	}{
		{"empty", nil, SuiteMet},
		{"all met", []ScenarioResult{{Met: true}, {Met: true, Budget: &SeedBudget{LastSeed: &last}}}, SuiteMet},
		{"a check undecided", []ScenarioResult{{Met: true}, {Met: true, Unknown: 1}}, SuiteUndecided},
		{"an expectation open", []ScenarioResult{{Expectations: []Expectation{open}}, {Met: true}}, SuiteUndecided},
		{"no seed ran", []ScenarioResult{{Met: true}, {Budget: &SeedBudget{}}}, SuiteUndecided},
		{"failed after undecided", []ScenarioResult{{Met: true, Unknown: 1}, {Met: false}}, SuiteFailed},
		{"failed before undecided", []ScenarioResult{{Met: false}, {Met: true, Unknown: 1}}, SuiteFailed},
		{"could not run", []ScenarioResult{{Met: true, Error: "bad"}}, SuiteFailed},
	} {
		if got := JudgeSuite(c.rs); got != c.want {
			t.Errorf("%s: JudgeSuite = %d, want %d", c.name, got, c.want)
		}
	}
}
