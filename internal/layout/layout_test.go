package layout

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/leasesim/leasesim"

// rule constrains the dependencies (direct or not, tests left out) of the packages
// named by pkg: a path relative to the module, "x/..." for x and everything below it.
// When only is set, the package's dependencies inside the module must all match it;
// never lists dependencies (anywhere) it must not have.
type rule struct {
	pkg   string
	only  []string
	never []string
	why   string
}

var rules = []rule{
	{pkg: "history", only: []string{}, why: "a history is plain data every other package reads"},
	{pkg: "stats", only: []string{}, why: "statistics know nothing of leases"},
	{pkg: "sim", only: []string{"history"}, why: "the kernel records histories and knows no protocol, check or report"},
	{pkg: "checker", only: []string{"history"}, why: "verdicts come from the history alone, never from the simulator or the models' insides"},
	{pkg: "model/...", only: []string{"history", "sim", "model/..."}, why: "protocols run on the kernel; they never see the checker, scenarios or results"},
	{pkg: "result", only: []string{"checker", "history", "stats"}, why: "the result records are data: they do not depend on how runs are made"},
	{pkg: "reports", only: []string{"result", "checker", "history", "stats"}, why: "reports read result records and histories, never the simulator, so they serve live runs too"},
	{pkg: "scenarios/...", never: []string{"internal/runner", "reports", "live", "explore", "cmd/...", "cli"}, why: "a scenario describes runs; it does not run or report them"},
	{pkg: "internal/runner", never: []string{"reports", "live", "explore", "cmd/...", "cli", "github.com/spf13/cobra"}, why: "the runner runs and checks; output is the commands' and reports'"},
	{pkg: "explore", never: []string{"reports", "live", "cmd/...", "cli", "github.com/spf13/cobra"}, why: "the search is an engine; the command prints"},
	{pkg: "live", never: []string{"model/...", "scenarios/...", "reports", "internal/runner", "cmd/...", "cli"}, why: "live records a real system's history; checking and reporting it are the callers'"},
	{pkg: "internal/rundir", never: []string{"internal/runner", "scenarios/...", "model/...", "sim", "cli", "cmd/..."}, why: "a run's directory is drawn from its history and results, whoever made them"},
	{pkg: "internal/bundle", never: []string{"live", "explore", "cli", "cmd/..."}, why: "a failure bundle is a simulated seed written and replayed; the command prints"},
	{pkg: "internal/liverun", never: []string{"cli", "cmd/..."}, why: "live etcd's engine; the command parses and prints"},
	{pkg: "internal/suitedir", never: []string{"live", "explore", "cli", "cmd/..."}, why: "a suite's results directory is written from its results; the command prints"},
	{pkg: "internal/merge", never: []string{"cli", "cmd/..."}, why: "merging result directories is an engine; the command prints"},
	{pkg: "internal/load", never: []string{"internal/runner", "reports", "live", "cli", "cmd/..."}, why: "loading a scenario file runs nothing"},
	{pkg: "internal/mdblock", only: []string{}, why: "generated Markdown blocks are text between markers; they know no lease"},
	{pkg: "internal/progress", never: []string{"internal/runner", "scenarios/...", "model/...", "sim", "cli", "cmd/..."}, why: "progress counts units; it knows no run"},
	{pkg: "internal/exit", never: []string{"internal/runner", "scenarios/...", "model/...", "sim", "cli", "cmd/..."}, why: "exit codes judge verdicts and results; they run nothing"},
	{pkg: "internal/suiterun", never: []string{"live", "explore", "cli", "cmd/..."}, why: "the suite command's engine; the command parses and prints"},
	{pkg: "internal/gc", only: []string{}, why: "setting the garbage collector needs nothing of leasesim"},
	{pkg: "internal/explorerun", never: []string{"live", "cli", "cmd/..."}, why: "explore's search is run and its outputs written from its answer; the command parses and prints"},
	{pkg: "internal/listing", never: []string{"internal/runner", "live", "cli", "cmd/..."}, why: "listing the catalog runs nothing; the command parses"},
	{pkg: "internal/bench", never: []string{"reports", "live", "cli", "cmd/..."}, why: "timing the simulator; the command prints"},
}

// cobraOnlyIn: the command line (package cli, and the mains built on it) is the only
// importer of cobra.
var cobraOnlyIn = []string{"cli", "cmd/..."}

const cobra = "github.com/spf13/cobra"

func matches(pattern, pkg string) bool {
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == p || strings.HasPrefix(pkg, p+"/")
	}
	return pkg == pattern
}

func matchesAny(patterns []string, pkg string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return matches(p, pkg) })
}

// forbids says whether one of the patterns names d: a pattern with a dot in it is an
// import path outside the module, any other is a path inside it.
func forbids(patterns []string, d dep) bool {
	for _, p := range patterns {
		if strings.Contains(p, ".") != d.local && matches(p, d.path) {
			return true
		}
	}
	return false
}

// dep is one dependency: a path relative to the module for the module's packages
// (local), the import path for others.
type dep struct {
	path  string
	local bool
}

// deps lists every package of the module (module-relative) with its dependencies.
func deps(t *testing.T) map[string][]dep {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", module+"/...")
	cmd.Dir = root(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]dep{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		var ds []dep
		for _, d := range f[1:] {
			if rel, ok := strings.CutPrefix(d, module+"/"); ok {
				ds = append(ds, dep{rel, true})
			} else {
				ds = append(ds, dep{d, false})
			}
		}
		m[strings.TrimPrefix(f[0], module+"/")] = ds
	}
	return m
}

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func check(graph map[string][]dep) []string {
	var bad []string
	for pkg, ds := range graph {
		for _, r := range rules {
			if !matches(r.pkg, pkg) {
				continue
			}
			for _, d := range ds {
				onlyBroken := r.only != nil && d.local && !matchesAny(r.only, d.path)
				if onlyBroken || forbids(r.never, d) {
					bad = append(bad, pkg+" depends on "+d.path+": "+r.why)
				}
			}
		}
		if !matchesAny(cobraOnlyIn, pkg) && slices.Contains(ds, dep{cobra, false}) {
			bad = append(bad, pkg+" depends on cobra: the command line is its only importer")
		}
	}
	slices.Sort(bad)
	return bad
}

// TestImports: no package has a dependency docs/architecture.md forbids.
func TestImports(t *testing.T) {
	graph := deps(t)
	for _, r := range rules {
		found := false
		for pkg := range graph {
			found = found || matches(r.pkg, pkg)
		}
		if !found {
			t.Errorf("rule for %s matches no package: update the rules and docs/architecture.md", r.pkg)
		}
	}
	for _, b := range check(graph) {
		t.Error(b)
	}
}

// TestRulesCatchForbiddenImports: the rules reject the imports the architecture forbids
// (a graph with each of them added), so that TestImports passing means something.
func TestRulesCatchForbiddenImports(t *testing.T) {
	for _, c := range []struct{ pkg, dep string }{
		{"checker", "sim"},
		{"checker", "model"},
		{"sim", "model"},
		{"sim", "checker"},
		{"reports", "sim"},
		{"reports", "scenarios"},
		{"result", "scenarios"},
		{"model/etcd", "checker"},
		{"internal/runner", "github.com/spf13/cobra"},
		{"reports", "github.com/spf13/cobra"},
		{"stats", "history"},
		{"internal/rundir", "internal/runner"},
		{"internal/bundle", "cli"},
		{"internal/progress", "internal/runner"},
		{"internal/suitedir", "cli"},
		{"internal/merge", "cli"},
	} {
		graph := map[string][]dep{c.pkg: {{c.dep, !strings.Contains(c.dep, ".")}}}
		if len(check(graph)) == 0 {
			t.Errorf("%s depending on %s passes the rules", c.pkg, c.dep)
		}
	}
	if bad := check(map[string][]dep{"cli": {{cobra, false}, {"sim", true}, {"reports", true}},
		"reports": {{"result", true}, {"fmt", false}, {"internal/race", false}}}); len(bad) > 0 {
		t.Errorf("allowed dependencies rejected: %v", bad)
	}
}

var tableRow = regexp.MustCompile("^\\| `([^`]+)/` \\|")

// TestReadmePackageTable: the README's package table names every package directory of
// the tree (a row for x/ covers x's subdirectories, except internal/), and nothing else
// but nested modules (a directory with its own go.mod).
func TestReadmePackageTable(t *testing.T) {
	f, err := os.Open(filepath.Join(root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := tableRow.FindStringSubmatch(sc.Text()); m != nil {
			rows = append(rows, m[1])
		}
	}
	if len(rows) == 0 {
		t.Fatal("README.md has no package table (rows like | `sim/` | ... |)")
	}
	graph := deps(t)
	for pkg := range graph {
		if pkg == "." || slices.ContainsFunc(rows, func(r string) bool { return r == pkg || (r != "internal" && strings.HasPrefix(pkg, r+"/")) }) {
			continue
		}
		t.Errorf("package %s/ is missing from README.md's package table", pkg)
	}
	for _, r := range rows {
		if _, err := os.Stat(filepath.Join(root(t), r, "go.mod")); err == nil {
			continue // a nested module (realk8s/): not in this module's package list
		}
		if _, ok := graph[r]; !ok {
			t.Errorf("README.md's package table lists %s/, which is not a package of the tree", r)
		}
	}
}
