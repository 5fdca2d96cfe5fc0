package etcd

// slab allocates values of T in blocks rather than one at a time: a keys scenario
// sends some 90,000 requests a run, and each has its request, its queue entry at the
// issuer and its response. Every value is a fresh copy, never reused, so a value stays
// valid as long as it is referenced (and keeps its block alive that long).
type slab[T any] struct {
	free []T
}

// slabBlock is how many values one allocation of a slab holds.
const slabBlock = 256

// new returns a pointer to a fresh copy of v.
func (s *slab[T]) new(v T) *T {
	if len(s.free) == 0 {
		s.free = make([]T, slabBlock)
	}
	p := &s.free[0]
	*p = v
	s.free = s.free[1:]
	return p
}
