package purity

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// exprString renders an expression for messages and comparisons.
func exprString(e ast.Expr) string { return types.ExprString(e) }

// checkMapRanges reports, for every range over a map in the function body fn (not in the
// function literals inside it, which are checked on their own), the statements of the
// loop whose effect depends on the order in which the map hands out its entries:
//
//   - a float or string accumulated in a variable declared outside the loop (x += v):
//     float addition rounds differently in another order, strings concatenate in it;
//   - an append to a slice declared outside the loop (s = append(s, ...)) that is not
//     sorted afterwards in the same function (by a call whose name contains "sort"
//     taking the slice as an argument);
//   - any other assignment to a variable declared outside the loop (or to an element of
//     a slice) of a value computed from the loop's key or value: which entry wins
//     depends on the order (assignments into a map are fine);
//   - a return of a value computed from the key or value: the first entry met wins;
//   - a channel send, and a call made for its effects (a call statement other than the
//     builtins delete, clear and panic): output, events scheduled, messages sent,
//     all happen in map order;
//   - the range itself assigning (=) its key or value to variables declared outside it.
//
// Loops that only count, compare, look up, fill another map or delete entries pass.
// Otherwise range over sorted keys (slices.Sorted(maps.Keys(m))), or justify the loop
// with //purity:allow REASON on the line of the report or of the range.
func checkMapRanges(pass *analysis.Pass, fn *ast.BlockStmt, al *allower) {
	info := pass.TypesInfo
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Map); ok {
					checkMapRange(pass, fn, n, al)
				}
			}
		}
		return true
	})
}

// mapRange is the check of one range over a map inside the function body fn.
type mapRange struct {
	info *types.Info
	fn   *ast.BlockStmt
	rs   *ast.RangeStmt
	vars map[types.Object]bool // the range's key and value variables
	// report reports an order-dependent statement of the loop.
	report func(p token.Pos, what string)
}

// checkMapRange checks one range over a map inside the function body fn.
func checkMapRange(pass *analysis.Pass, fn *ast.BlockStmt, rs *ast.RangeStmt, al *allower) {
	where := "in a range over map " + exprString(rs.X) + " (line " + strconv.Itoa(pass.Fset.Position(rs.Pos()).Line) + ")"
	c := &mapRange{info: pass.TypesInfo, fn: fn, rs: rs, vars: map[types.Object]bool{},
		report: func(p token.Pos, what string) {
			al.report(p, what+" "+where+": order-dependent; range over sorted keys", rs.Pos())
		}}
	for _, e := range []ast.Expr{rs.Key, rs.Value} {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			if o := c.info.ObjectOf(id); o != nil {
				c.vars[o] = true
			}
		}
	}
	if rs.Tok == token.ASSIGN && len(c.vars) > 0 {
		c.report(rs.Pos(), "the key or value assigned to variables declared outside the loop")
	}
	c.walk(rs.Body, false)
}

// walk checks the statements under root; inLit is set inside a function literal, whose
// returns do not leave the loop.
func (c *mapRange) walk(root ast.Node, inLit bool) {
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			c.walk(n.Body, true)
			return false
		case *ast.AssignStmt:
			c.assign(n)
		case *ast.ReturnStmt:
			if !inLit && slices.ContainsFunc(n.Results, func(r ast.Expr) bool { return c.mentions(r, c.vars) }) {
				c.report(n.Pos(), "returns the first entry met")
			}
		case *ast.SendStmt:
			c.report(n.Pos(), "sends on a channel")
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok && !effectFree(c.info, call) {
				c.report(n.Pos(), "calls "+exprString(call.Fun)+" for its effects")
			}
		}
		return true
	})
}

// assign checks one assignment of the loop.
func (c *mapRange) assign(as *ast.AssignStmt) {
	switch as.Tok {
	case token.DEFINE:
		return // new variables of the iteration
	case token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.QUO_ASSIGN:
		for _, lhs := range as.Lhs {
			if c.outer(lhs) && floatOrString(c.info.TypeOf(lhs)) {
				c.report(as.Pos(), "accumulates "+exprString(lhs)+" ("+c.info.TypeOf(lhs).String()+")")
			}
		}
		return
	case token.ASSIGN:
	default:
		return // the integer-only operators (%=, &=, |=, <<=, ...)
	}
	for i, lhs := range as.Lhs {
		if !c.outer(lhs) {
			continue
		}
		var rhs ast.Expr
		switch {
		case len(as.Rhs) == len(as.Lhs):
			rhs = as.Rhs[i]
		case len(as.Rhs) == 1:
			rhs = as.Rhs[0] // x, y = f()
		default:
			continue
		}
		if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && isBuiltin(c.info, call, "append") &&
			len(call.Args) > 0 && exprString(ast.Unparen(call.Args[0])) == exprString(lhs) {
			if !sortedAfter(c.info, c.fn, c.rs.End(), lhs) {
				c.report(as.Pos(), "appends to "+exprString(lhs)+", which is not sorted afterwards in this function,")
			}
			continue
		}
		if id := rootIdent(lhs); id != nil && floatOrString(c.info.TypeOf(lhs)) &&
			c.mentions(rhs, map[types.Object]bool{c.info.ObjectOf(id): true}) {
			c.report(as.Pos(), "accumulates "+exprString(lhs)+" ("+c.info.TypeOf(lhs).String()+")")
			continue
		}
		if !commutative(c.info, lhs, rhs) && !c.isMapIndex(lhs) && c.mentions(rhs, c.vars) {
			c.report(as.Pos(), "keeps in "+exprString(lhs)+" a value of whichever entry comes last")
		}
	}
}

// outer reports whether an assignment to lhs changes state that outlives one iteration:
// a variable declared outside the loop, or anything reached through one.
func (c *mapRange) outer(lhs ast.Expr) bool {
	id := rootIdent(lhs)
	if id == nil {
		return true // through a call result or the like: assume it does
	}
	o := c.info.ObjectOf(id)
	return o != nil && id.Name != "_" && (o.Pos() < c.rs.Pos() || o.Pos() >= c.rs.End())
}

// mentions reports whether e uses one of objs.
func (c *mapRange) mentions(e ast.Expr, objs map[types.Object]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && objs[c.info.ObjectOf(id)] {
			found = true
		}
		return !found
	})
	return found
}

// isMapIndex reports whether e is an element of a map (m[k]): assigning one does not
// depend on the order of the loop.
func (c *mapRange) isMapIndex(e ast.Expr) bool {
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	if !ok {
		return false
	}
	t := c.info.TypeOf(ix.X)
	if t == nil {
		return false
	}
	_, m := t.Underlying().(*types.Map)
	return m
}

// commutative reports whether lhs = rhs folds the entries in an order-independent way:
// x = x || e, x = x && e, x = min(x, e...), x = max(x, e...) (and with x on the right).
func commutative(info *types.Info, lhs, rhs ast.Expr) bool {
	same := func(e ast.Expr) bool { return exprString(ast.Unparen(e)) == exprString(lhs) }
	switch r := ast.Unparen(rhs).(type) {
	case *ast.BinaryExpr:
		return (r.Op == token.LOR || r.Op == token.LAND) && (same(r.X) || same(r.Y))
	case *ast.CallExpr:
		if isBuiltin(info, r, "min") || isBuiltin(info, r, "max") {
			return slices.ContainsFunc(r.Args, same)
		}
	}
	return false
}

// rootIdent is the variable an assignable expression writes through: x in x, x.f, x[i],
// *x, (x); nil when it goes through a call or the like.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// floatOrString reports whether t is a float, complex or string type: the kinds whose
// accumulation depends on order.
func floatOrString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsFloat|types.IsComplex|types.IsString) != 0
}

// isBuiltin reports whether call calls the builtin name.
func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// effectFree reports whether a call statement's effect does not depend on when it runs
// relative to the other iterations: the builtins delete, clear and panic.
func effectFree(info *types.Info, call *ast.CallExpr) bool {
	return isBuiltin(info, call, "delete") || isBuiltin(info, call, "clear") || isBuiltin(info, call, "panic")
}

// sortedAfter reports whether the function body fn, after position after, calls a
// function whose name contains "sort" (sort.Strings, slices.SortFunc, sortFindings, ...)
// with the slice lhs (possibly converted, as in sort.Sort(byName(lhs))) as an argument.
func sortedAfter(info *types.Info, fn *ast.BlockStmt, after token.Pos, lhs ast.Expr) bool {
	want := exprString(lhs)
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if found || !ok || call.Pos() < after {
			return !found
		}
		name := ""
		if fn := calleeFunc(info, call); fn != nil {
			name = fn.FullName() // sort.Strings, slices.SortFunc, pkg.sortFindings
		} else if id := calleeIdent(call); id != nil {
			name = id.Name
		}
		if !strings.Contains(strings.ToLower(name), "sort") {
			return true
		}
		for _, arg := range call.Args {
			arg = ast.Unparen(arg)
			for {
				inner, ok := arg.(*ast.CallExpr)
				if !ok || len(inner.Args) != 1 {
					break
				}
				arg = ast.Unparen(inner.Args[0]) // a conversion or wrapper: byName(x), sort.Reverse(x)
			}
			if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
				arg = u.X
			}
			found = found || exprString(arg) == want
		}
		return !found
	})
	return found
}
