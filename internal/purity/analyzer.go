package purity

import (
	"go/ast"
	"go/types"
	"reflect"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// Analyzer reports the constructs that break the deterministic core's rules (see the
// package documentation). Its result is the []Allowance of the //purity:allow comments
// of the package.
var Analyzer = &analysis.Analyzer{
	Name:       "purity",
	Doc:        "reports wall clocks, goroutines, select, deadlines, environment reads, global randomness and map order reaching output",
	Run:        run,
	ResultType: reflect.TypeFor[[]Allowance](),
}

// forbiddenImports may not be imported at all.
var forbiddenImports = map[string]string{
	"crypto/rand":                "crypto/rand is nondeterministic",
	"hash/maphash":               "hash/maphash is seeded at random per process",
	"golang.org/x/sync/errgroup": "errgroup starts goroutines",
}

// forbiddenFuncs are functions and methods, by types.Func.FullName, that read or wait on
// the wall clock, start or wait on goroutines, set deadlines, read the environment or
// the machine, or hand out a map's contents in random order.
var forbiddenFuncs = map[string]string{
	"time.Now":                                  "reads the wall clock",
	"time.Since":                                "reads the wall clock",
	"time.Until":                                "reads the wall clock",
	"time.Sleep":                                "waits on the wall clock",
	"time.After":                                "waits on the wall clock",
	"time.Tick":                                 "waits on the wall clock",
	"time.NewTimer":                             "waits on the wall clock",
	"time.NewTicker":                            "waits on the wall clock",
	"time.AfterFunc":                            "waits on the wall clock and starts a goroutine",
	"(*time.Timer).Reset":                       "waits on the wall clock",
	"(*time.Ticker).Reset":                      "waits on the wall clock",
	"context.WithTimeout":                       "sets a wall-clock deadline",
	"context.WithTimeoutCause":                  "sets a wall-clock deadline",
	"context.WithDeadline":                      "sets a wall-clock deadline",
	"context.WithDeadlineCause":                 "sets a wall-clock deadline",
	"context.AfterFunc":                         "starts a goroutine",
	"(*sync.WaitGroup).Go":                      "starts a goroutine",
	"(*sync.WaitGroup).Wait":                    "waits on goroutines",
	"(*sync.Cond).Wait":                         "waits on goroutines",
	"(*golang.org/x/sync/errgroup.Group).Go":    "starts a goroutine",
	"(*golang.org/x/sync/errgroup.Group).TryGo": "starts a goroutine",
	"runtime.Gosched":                           "yields to other goroutines",
	"runtime.GOMAXPROCS":                        "depends on the machine",
	"runtime.NumCPU":                            "depends on the machine",
	"runtime.NumGoroutine":                      "depends on the scheduler",
	"os.Getenv":                                 "reads the environment",
	"os.LookupEnv":                              "reads the environment",
	"os.Environ":                                "reads the environment",
	"os.ExpandEnv":                              "reads the environment",
	"syscall.Getenv":                            "reads the environment",
	"os.Hostname":                               "depends on the machine",
	"os.Getpid":                                 "depends on the process",
	"(reflect.Value).MapKeys":                   "returns a map's keys in random order",
	"(reflect.Value).MapRange":                  "iterates a map in random order",
	"maps.Keys":                                 "yields a map's keys in random order (sort them: slices.Sorted(maps.Keys(m)))",
	"maps.Values":                               "yields a map's values in random order",
	"maps.All":                                  "yields a map's entries in random order",
}

// randPackages are the packages whose package-level functions use the global random
// source, except the constructors named in randAllowed.
var randPackages = map[string]bool{"math/rand": true, "math/rand/v2": true}

// randAllowed are the package-level functions of math/rand and math/rand/v2 that build a
// seeded generator instead of using the global one.
var randAllowed = map[string]bool{
	"New": true, "NewSource": true, "NewZipf": true, "NewPCG": true, "NewChaCha8": true,
}

// mapIterators hand out a map's contents in its random order.
var mapIterators = map[string]bool{"maps.Keys": true, "maps.Values": true, "maps.All": true}

// sortedWrappers may take maps.Keys, maps.Values or maps.All as their argument: they sort
// what the iterator yields.
var sortedWrappers = map[string]bool{
	"slices.Sorted": true, "slices.SortedFunc": true, "slices.SortedStableFunc": true,
}

func run(pass *analysis.Pass) (any, error) {
	var allowances []Allowance
	for _, f := range pass.Files {
		al := newAllower(pass, f)
		checkFile(pass, f, al)
		allowances = append(allowances, al.finish()...)
	}
	return allowances, nil
}

// checkFile reports every forbidden import, call, function value, statement and map range
// of one file.
func checkFile(pass *analysis.Pass, f *ast.File, al *allower) {
	info := pass.TypesInfo
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if why, bad := forbiddenImports[path]; bad {
			al.report(imp.Pos(), "imports "+path+": "+why)
		}
	}
	sortedArgs := map[ast.Expr]bool{} // maps.Keys(m) etc. sorted at once by slices.Sorted*
	callees := map[*ast.Ident]bool{}  // the identifiers naming a called function
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id := calleeIdent(call); id != nil {
				callees[id] = true
			}
			if sortedWrappers[calleeName(info, call)] && len(call.Args) > 0 {
				sortedArgs[ast.Unparen(call.Args[0])] = true
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			al.report(n.Pos(), "go statement: the core runs on one goroutine")
		case *ast.SelectStmt:
			al.report(n.Pos(), "select statement: its choice among ready cases is random")
		case *ast.CallExpr:
			fn := calleeFunc(info, n)
			if fn == nil {
				return true
			}
			name := fn.Origin().FullName()
			if mapIterators[name] && sortedArgs[n] {
				return true
			}
			if why := forbiddenFuncs[name]; why != "" {
				al.report(n.Pos(), name+" "+why)
			} else if fn.Pkg() != nil && randPackages[fn.Pkg().Path()] && fn.Signature().Recv() == nil && !randAllowed[fn.Name()] {
				al.report(n.Pos(), name+" uses the global random source (draw from the run's seeded stream)")
			}
		case *ast.Ident:
			// A forbidden function taken as a value (f := time.Now) rather than called.
			fn, ok := info.Uses[n].(*types.Func)
			if !ok || callees[n] {
				return true
			}
			name := fn.Origin().FullName()
			if why := forbiddenFuncs[name]; why != "" {
				al.report(n.Pos(), name+" taken as a value: it "+why)
			} else if fn.Pkg() != nil && randPackages[fn.Pkg().Path()] && fn.Signature().Recv() == nil && !randAllowed[fn.Name()] {
				al.report(n.Pos(), name+" taken as a value: it uses the global random source")
			}
		case *ast.FuncDecl:
			if n.Body != nil {
				checkMapRanges(pass, n.Body, al)
			}
		case *ast.FuncLit:
			checkMapRanges(pass, n.Body, al)
		}
		return true
	})
}

// calleeIdent is the identifier naming the function a call calls (f in f(), pkg.f(),
// x.m(), f[T]()), or nil.
func calleeIdent(call *ast.CallExpr) *ast.Ident {
	fun := ast.Unparen(call.Fun)
	for {
		switch x := fun.(type) {
		case *ast.IndexExpr:
			fun = x.X
			continue
		case *ast.IndexListExpr:
			fun = x.X
			continue
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			return x.Sel
		}
		return nil
	}
}

// calleeFunc is the function or method a call statically names, or nil.
func calleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	id := calleeIdent(call)
	if id == nil {
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

// calleeName is the types.Func.FullName of what call names ("time.Now",
// "(*sync.WaitGroup).Go"), or "".
func calleeName(info *types.Info, call *ast.CallExpr) string {
	if fn := calleeFunc(info, call); fn != nil {
		return fn.Origin().FullName()
	}
	return ""
}
