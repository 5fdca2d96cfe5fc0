package sim

import "github.com/leasesim/leasesim/history"

// opLog holds the client operations of a run while it runs, in the one slice the
// history takes at the end. A run of a keys scenario records some 90,000 operations of
// 176 bytes; appending them to a slice that grows by a quarter at a time once large
// copied each four times over, and keeping them in chunks joined at the end copied each
// once more (16 MB). So the slice grows by a projection instead: operations come at a
// roughly steady rate, and n operations by time now of a run that ends at end project
// to n·end/now in all. Growth takes that (plus a sixteenth), at least doubling and at
// most growing eightfold, so a steady run ends with one slice of about its final size,
// having copied a quarter of its operations or less, and a run whose operations come in
// an early burst still grows geometrically, never by a wild guess. Capacity never
// changes what is recorded.
type opLog struct {
	ops []history.Op
	end int64 // the end of the run, for the projection
}

// opLogFirst is the capacity of an opLog's first slice and the count below which it
// only doubles (too few operations to project from).
const opLogFirst = 64

// add records op, called at time now, and returns its index.
func (l *opLog) add(op history.Op, now int64) int {
	i, p := l.next(now)
	*p = op
	return i
}

// next adds an operation, called at time now, for the caller to fill in place (an
// operation is 176 bytes: copying it into the log once rather than through add's
// argument saves a copy per call), and returns its index and the pointer, good until
// the next add.
func (l *opLog) next(now int64) (int, *history.Op) {
	if len(l.ops) == cap(l.ops) {
		l.grow(now)
	}
	i := len(l.ops)
	l.ops = l.ops[:i+1]
	return i, &l.ops[i]
}

// grow replaces a full slice by one of the projected size (see opLog).
func (l *opLog) grow(now int64) {
	n := len(l.ops)
	c := max(2*n, opLogFirst)
	if n >= opLogFirst && now > 0 && now < l.end {
		// n·end/now in floating point: the product may not fit in an int64.
		projected := float64(n) * float64(l.end) / float64(now)
		projected += projected / 16
		c = int(min(max(projected, float64(2*n)), float64(8*n)))
	}
	grown := make([]history.Op, n, c)
	copy(grown, l.ops)
	l.ops = grown
}

// at returns operation i, or nil when there is none. The pointer is good until the
// next add.
func (l *opLog) at(i int) *history.Op {
	if i < 0 || i >= len(l.ops) {
		return nil
	}
	return &l.ops[i]
}

// all returns every operation recorded, in order (nil if none), capped at its length so
// that appending to it never writes into the log.
func (l *opLog) all() []history.Op {
	if len(l.ops) == 0 {
		return nil
	}
	return l.ops[:len(l.ops):len(l.ops)]
}
