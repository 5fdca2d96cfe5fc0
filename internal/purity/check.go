package purity

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// CorePatterns are the packages the rules hold for: the deterministic core.
var CorePatterns = []string{"./sim/...", "./model/...", "./checker/...", "./history/...", "./scenarios/..."}

// Violation is one report of the Analyzer.
type Violation struct {
	Pos  token.Position
	What string
}

func (v Violation) String() string { return fmt.Sprintf("%s: %s", v.Pos, v.What) }

// Check loads the packages matching patterns (their non-test files) from the module at
// dir, runs the Analyzer over each, and returns its reports and the allowances, each
// sorted by position. An error means a package could not be loaded or type-checked.
func Check(dir string, patterns ...string) ([]Violation, []Allowance, error) {
	cfg := &packages.Config{
		Dir:  dir,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedTypesSizes,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, nil, err
	}
	var errs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
	})
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("loading %s: %s", strings.Join(patterns, " "), strings.Join(errs, "; "))
	}
	if len(pkgs) == 0 {
		return nil, nil, fmt.Errorf("no packages match %s in %s", strings.Join(patterns, " "), dir)
	}
	var vs []Violation
	var allowed []Allowance
	for _, p := range pkgs {
		pass := &analysis.Pass{
			Analyzer:   Analyzer,
			Fset:       p.Fset,
			Files:      p.Syntax,
			Pkg:        p.Types,
			TypesInfo:  p.TypesInfo,
			TypesSizes: p.TypesSizes,
			ResultOf:   map[*analysis.Analyzer]any{},
			Report: func(d analysis.Diagnostic) {
				vs = append(vs, Violation{Pos: p.Fset.Position(d.Pos), What: d.Message})
			},
		}
		res, err := Analyzer.Run(pass)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p.PkgPath, err)
		}
		allowed = append(allowed, res.([]Allowance)...)
	}
	slices.SortFunc(vs, func(a, b Violation) int { return comparePos(a.Pos, b.Pos, a.What, b.What) })
	slices.SortFunc(allowed, func(a, b Allowance) int { return comparePos(a.Pos, b.Pos, a.What, b.What) })
	return vs, allowed, nil
}

func comparePos(a, b token.Position, wa, wb string) int {
	if c := strings.Compare(a.Filename, b.Filename); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	if a.Column != b.Column {
		return a.Column - b.Column
	}
	return strings.Compare(wa, wb)
}
