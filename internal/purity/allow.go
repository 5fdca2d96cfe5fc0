package purity

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// allowPrefix starts a comment that allows the construct reported on its own line or on
// the line below it: //purity:allow REASON. The reason is required.
const allowPrefix = "//purity:allow"

// Allowance is one report that a //purity:allow comment suppressed.
type Allowance struct {
	Pos    token.Position
	What   string // the report it suppressed
	Reason string // the comment's reason
}

func (a Allowance) String() string {
	return a.Pos.String() + ": " + a.What + " (allowed: " + a.Reason + ")"
}

// allowComment is one //purity:allow comment of a file.
type allowComment struct {
	pos    token.Pos
	line   int
	reason string
	used   bool
}

// allower routes one file's reports: to pass.Report, or to an Allowance when a
// //purity:allow comment covers them.
type allower struct {
	pass     *analysis.Pass
	comments []*allowComment
	allowed  []Allowance
}

func newAllower(pass *analysis.Pass, f *ast.File) *allower {
	al := &allower{pass: pass}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if rest, ok := strings.CutPrefix(c.Text, allowPrefix); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				reason, _, _ := strings.Cut(rest, "//") // a trailing comment is no reason
				al.comments = append(al.comments, &allowComment{
					pos: c.Pos(), line: pass.Fset.Position(c.Pos()).Line, reason: strings.TrimSpace(reason),
				})
			}
		}
	}
	return al
}

// report reports msg at pos unless an allow comment stands on the line of pos, or of one
// of also, or on the line above one of them.
func (al *allower) report(pos token.Pos, msg string, also ...token.Pos) {
	for _, p := range append([]token.Pos{pos}, also...) {
		line := al.pass.Fset.Position(p).Line
		for _, c := range al.comments {
			if c.reason != "" && (c.line == line || c.line == line-1) {
				c.used = true
				al.allowed = append(al.allowed, Allowance{Pos: al.pass.Fset.Position(pos), What: msg, Reason: c.reason})
				return
			}
		}
	}
	al.pass.Reportf(pos, "%s", msg)
}

// finish reports the allow comments without a reason or that allowed nothing, and
// returns the allowances.
func (al *allower) finish() []Allowance {
	for _, c := range al.comments {
		switch {
		case c.reason == "":
			al.pass.Reportf(c.pos, "%s needs a reason", allowPrefix)
		case !c.used:
			al.pass.Reportf(c.pos, "%s allows nothing here: remove it", allowPrefix)
		}
	}
	return al.allowed
}
