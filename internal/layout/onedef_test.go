package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// oneHome names code that must have one definition in the module: a call, or a string
// literal, that only the files listed may hold (paths relative to the module, tests left
// out). A second copy drifts from the first; use the one named.
var oneHome = []struct {
	call, literal string   // a package-qualified call ("os.Rename") or a string literal
	only          []string // the files that may hold it
	why           string
}{
	{call: "os.Rename", only: []string{"internal/rundir/file.go", "scripts/readmetables/main.go"},
		why: "files are replaced atomically by rundir.WriteFile (temporary file, fsync, rename); readmetables keeps the README's mode"},
	{call: "sort.Float64s", only: []string{"stats/stats.go"},
		why: "percentiles, medians and means over seeds are package stats' (stats.Percentile, Median, Mean)"},
	{call: "stat.Quantile", only: []string{"stats/stats.go"}, why: "percentiles are stats.Percentile's (nearest rank)"},
	{call: "distuv.Beta", only: []string{"stats/interval.go"}, why: "rate bounds are stats.ClopperPearson's"},
	{literal: "m0s", only: []string{"result/duration.go"},
		why: "durations are written for people by result.FormatDuration"},
}

// TestOneHome: each entry of oneHome is found only in its own files.
func TestOneHome(t *testing.T) {
	r := root(t)
	found := map[int][]string{}
	err := filepath.WalkDir(r, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Nested modules (examples, realk8s) and testdata are not this module's code.
			if path != r && (d.Name() == "testdata" || d.Name() == "examples" || d.Name() == "realk8s" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(r, path)
		rel = filepath.ToSlash(rel)
		ast.Inspect(f, func(n ast.Node) bool {
			for i, h := range oneHome {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && h.call != "" && x.Name+"."+n.Sel.Name == h.call {
						found[i] = append(found[i], rel)
					}
				case *ast.BasicLit:
					if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && h.literal != "" && s == h.literal {
						found[i] = append(found[i], rel)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range oneHome {
		for _, f := range found[i] {
			if !slices.Contains(h.only, f) {
				t.Errorf("%s holds %s%s: only %s may (%s)", f, h.call, strconv.Quote(h.literal), strings.Join(h.only, ", "), h.why)
			}
		}
		if len(found[i]) == 0 {
			t.Errorf("%s%s is found nowhere: the rule is stale", h.call, strconv.Quote(h.literal))
		}
	}
}
