package sim

import "github.com/leasesim/leasesim/history"

// opChunk is how many client operations one chunk of an opLog holds.
const opChunk = 1024

// opLog holds the client operations of a run while it runs, in chunks of opChunk, so
// that recording one never copies those recorded before it. A run of a keys scenario
// records some 90,000 operations of 176 bytes; appending them to one slice, which grows
// by a quarter at a time once large, copied each four times over and was a sixth of
// the run's time. The first chunk grows as a slice does (most runs record few
// operations); ops joins the chunks into one slice at the end of the run.
type opLog struct {
	chunks [][]history.Op
	n      int
}

// add records op and returns its index.
func (l *opLog) add(op history.Op) int {
	if len(l.chunks) == 0 || len(l.chunks[len(l.chunks)-1]) == opChunk {
		capacity := opChunk
		if len(l.chunks) == 0 {
			capacity = 0 // the first chunk grows by append, up to opChunk
		}
		l.chunks = append(l.chunks, make([]history.Op, 0, capacity))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, op)
	l.n++
	return l.n - 1
}

// at returns operation i, or nil when there is none.
func (l *opLog) at(i int) *history.Op {
	if i < 0 || i >= l.n {
		return nil
	}
	return &l.chunks[i/opChunk][i%opChunk]
}

// ops returns every operation recorded, in order, as one slice (nil if none).
func (l *opLog) ops() []history.Op {
	switch len(l.chunks) {
	case 0:
		return nil
	case 1:
		return l.chunks[0]
	}
	out := make([]history.Op, 0, l.n)
	for _, c := range l.chunks {
		out = append(out, c...)
	}
	return out
}
