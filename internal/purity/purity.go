package purity

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Violation is one forbidden construct at a position.
type Violation struct {
	Pos  token.Position
	What string
}

func (v Violation) String() string { return fmt.Sprintf("%s: %s", v.Pos, v.What) }

// forbiddenImports may not be imported at all by the core.
var forbiddenImports = map[string]string{
	"math/rand":   "global math/rand (use a seeded math/rand/v2 source from the run)",
	"crypto/rand": "crypto/rand is nondeterministic",
}

// forbiddenTime are the functions of package time that read or wait on the wall clock.
var forbiddenTime = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
	"AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
}

// allowedRandV2 are the package-level names of math/rand/v2 that do not touch its global
// source: constructors and types.
var allowedRandV2 = map[string]bool{
	"New": true, "NewPCG": true, "NewChaCha8": true, "NewZipf": true,
	"Rand": true, "Source": true, "PCG": true, "ChaCha8": true, "Zipf": true,
}

// ScanSource checks one file's source.
func ScanSource(fset *token.FileSet, filename string, src any) ([]Violation, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []Violation
	add := func(p token.Pos, what string) { out = append(out, Violation{Pos: fset.Position(p), What: what}) }
	alias := map[string]string{} // local name -> import path
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if why, bad := forbiddenImports[path]; bad {
			add(imp.Pos(), "imports "+path+": "+why)
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if path == "math/rand/v2" {
			name = "rand"
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		alias[name] = path
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			add(n.Pos(), "go statement: the core runs on one goroutine")
		case *ast.SelectorExpr:
			id, ok := n.X.(*ast.Ident)
			if !ok {
				return true
			}
			switch alias[id.Name] {
			case "time":
				if forbiddenTime[n.Sel.Name] {
					add(n.Pos(), "time."+n.Sel.Name+" reads or waits on the wall clock")
				}
			case "math/rand/v2":
				if !allowedRandV2[n.Sel.Name] {
					add(n.Pos(), "rand."+n.Sel.Name+" uses the global random source")
				}
			}
		}
		return true
	})
	return out, nil
}

// ScanDir checks every non-test Go file under dir, recursively.
func ScanDir(dir string) ([]Violation, error) {
	fset := token.NewFileSet()
	var out []Violation
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		v, err := ScanSource(fset, path, src)
		out = append(out, v...)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, err
}
