// Package layout holds no code: its test keeps the layout docs/architecture.md draws.
// It lists every package's dependencies with `go list -deps` and fails when one that
// must never exist does (the checker importing the simulator, reports reading anything
// but results and histories, a package outside cmd importing cobra, ...), and when the
// README's package table and the tree disagree. It also keeps in one place what must
// have one definition (onedef_test.go): a second copy of a helper drifts from the first.
package layout
