// Package errgroup is a stand-in for golang.org/x/sync/errgroup in the analyzer's tests.
package errgroup

// Group is a stand-in.
type Group struct{}

// Go is a stand-in.
func (g *Group) Go(f func() error) {}
