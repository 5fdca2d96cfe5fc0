package all_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// mutantTwin is a catalog scenario that runs a mutant, with its correct twins: the
// scenarios whose files are the same but for the name, the description, the mutant and
// the expectations.
type mutantTwin struct {
	Scenario, Protocol, Mutant, Breaks string
	Twins                              []string
}

// twinsHeading starts the section of docs/mutants.md that renderTwins writes.
const twinsHeading = "## Mutant scenarios and their correct twins"

// scenarioCore is a scenario file without its name, description, mutant and expect
// blocks: what a mutant scenario and its correct twin share.
func scenarioCore(yaml []byte) string {
	var out []string
	skip := false
	for _, l := range strings.Split(string(yaml), "\n") {
		if l != "" && l[0] != ' ' && l[0] != '#' {
			key, _, _ := strings.Cut(l, ":")
			skip = key == "name" || key == "description" || key == "mutant" || key == "expect"
		}
		if !skip {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// mutantTwins lists every catalog scenario that runs a mutant, in file order, with its
// correct twins.
func mutantTwins() ([]mutantTwin, error) {
	type file struct {
		name, core string
		sc         *scenarios.Scenario
	}
	var files []file
	for _, n := range catalog.Names() {
		b, err := catalog.Read(n)
		if err != nil {
			return nil, err
		}
		sc, err := scenarios.Parse(b, n)
		if err != nil {
			return nil, err
		}
		files = append(files, file{n, scenarioCore(b), sc})
	}
	var out []mutantTwin
	for _, f := range files {
		if f.sc.Mutant == "" {
			continue
		}
		p, ok := model.Lookup(f.sc.Protocol)
		if !ok {
			return nil, fmt.Errorf("%s: unknown protocol %q", f.name, f.sc.Protocol)
		}
		m := mutantTwin{Scenario: f.name, Protocol: f.sc.Protocol, Mutant: f.sc.Mutant}
		for _, mu := range p.Mutants {
			if mu.Name == f.sc.Mutant {
				m.Breaks = mu.Breaks
			}
		}
		for _, g := range files {
			if g.sc.Mutant == "" && g.core == f.core {
				m.Twins = append(m.Twins, g.name)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// renderTwins writes the section of docs/mutants.md that lists every mutant scenario of
// the catalog (a mutant may have several: one per expiry mode or issuer count) with its
// correct twins.
func renderTwins(tw []mutantTwin) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n\n", twinsHeading)
	b.WriteString("Every catalog scenario that runs a mutant (a mutant may have more than the one above: one per\n" +
		"expiry mode or issuer count), and its correct twin: the same file but for the name, the\n" +
		"description, the mutant and the expectations, where the property the mutant breaks holds.\n" +
		"`leasesim suite` runs both.\n\n")
	b.WriteString("| scenario | protocol | mutant | breaks | correct twin |\n")
	b.WriteString("|----------|----------|--------|--------|--------------|\n")
	for _, m := range tw {
		twins := "—"
		if len(m.Twins) > 0 {
			twins = "`" + strings.Join(m.Twins, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", m.Scenario, m.Protocol, m.Mutant, strings.ToUpper(m.Breaks), twins)
	}
	return b.String()
}

// TestMutantScenarioTwins: every guard-short-5pct scenario of the catalog (the
// drift-at-the-margin mutants, one per expiry mode and issuer count) has a correct twin;
// every twin expects the property its mutant breaks to hold while the mutant expects it
// violated; and docs/mutants.md lists every mutant scenario with its twins (-update
// rewrites that section).
func TestMutantScenarioTwins(t *testing.T) {
	tw, err := mutantTwins()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range tw {
		if len(m.Twins) == 0 && strings.Contains(m.Mutant, "guard-short") {
			t.Errorf("%s: no correct twin in the catalog (the same file without the mutant)", m.Scenario)
			continue
		}
		mb, _ := catalog.Read(m.Scenario)
		if want := m.Breaks + ": violated"; !strings.Contains(string(mb), want) {
			t.Errorf("%s: does not expect %q", m.Scenario, want)
		}
		for _, tn := range m.Twins {
			b, _ := catalog.Read(tn)
			if want := m.Breaks + ": holds"; !strings.Contains(string(b), want) {
				t.Errorf("%s, twin of %s: does not expect %q", tn, m.Scenario, want)
			}
		}
	}
	data, err := os.ReadFile(mutantTablePath)
	if err != nil {
		t.Fatal(err)
	}
	doc, section := string(data), renderTwins(tw)
	if *update {
		if i := strings.Index(doc, "\n"+twinsHeading); i >= 0 {
			doc = doc[:i]
		}
		if err := os.WriteFile(mutantTablePath, []byte(doc+section), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !strings.HasSuffix(doc, section) {
		t.Errorf("docs/mutants.md does not end with the list of mutant scenarios and their twins; rewrite it with go test -run TestMutantScenarioTwins ./model/all/ -update (or %s)", updateCommand)
	}
}
