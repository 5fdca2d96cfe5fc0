package etcd

// serveQueue holds the client requests an issuer node has queued behind each other
// (request_cost), oldest first. Each has a Serve timer, and the timers fire in the order
// the requests were queued: each is set for when the node is done with every request
// queued before it, one request_cost after the previous one's, on the node's monotonic
// clock (so also across a pause, whose fired timers come back in order). So the timer
// that fires is always the oldest request's turn, and needs no payload to say which:
// a keys scenario queues some 90,000 requests a run, which a payload each allocated
// (3.2 MB). A crash loses the queue with the node and cancels its timers.
type serveQueue struct {
	reqs []clientReq
	head int // reqs[head:] are queued
}

// push queues cr behind the others.
func (s *serveQueue) push(cr clientReq) {
	if s.head >= 64 && 2*s.head >= len(s.reqs) {
		// The front half is served: move the rest down rather than grow.
		n := copy(s.reqs, s.reqs[s.head:])
		clear(s.reqs[n:])
		s.reqs, s.head = s.reqs[:n], 0
	}
	s.reqs = append(s.reqs, cr)
}

// pop takes the oldest queued request; ok is false when none is queued.
func (s *serveQueue) pop() (cr clientReq, ok bool) {
	if s.head == len(s.reqs) {
		return clientReq{}, false
	}
	cr = s.reqs[s.head]
	s.reqs[s.head] = clientReq{} // let the request go
	s.head++
	if s.head == len(s.reqs) {
		s.reqs, s.head = s.reqs[:0], 0
	}
	return cr, true
}

// len returns how many requests are queued.
func (s *serveQueue) len() int { return len(s.reqs) - s.head }
