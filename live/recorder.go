package live

import (
	"sort"
	"sync"

	"github.com/leasesim/leasesim/history"
)

// recorder turns stamped holder events, watch events and applied faults into a
// history. Every time it receives is a stamp on the parent's single timeline. It is safe
// for concurrent use; once sealed, it ignores everything.
type recorder struct {
	mu     sync.Mutex
	sealed bool

	open   map[string]*history.Claim // by holder: the claim it holds now
	claims []history.Claim

	sent     map[writeID]int64 // when each write was announced
	accepted []acceptedWrite   // in etcd revision order (the watch's order)
	rejected []history.Write

	upFrom map[string]int64 // holders whose process is up, since when
	ups    []history.Up

	faults []history.Fault
}

// writeID names one write of one holder process: epochs differ between processes.
type writeID struct {
	holder     string
	epoch, seq int64
}

// acceptedWrite is a write the watch on the resource key saw etcd accept.
type acceptedWrite struct {
	id       writeID
	at       int64
	revision int64
}

func newRecorder() *recorder {
	return &recorder{
		open:   map[string]*history.Claim{},
		sent:   map[writeID]int64{},
		upFrom: map[string]int64{},
	}
}

// started records that a holder process came up.
func (r *recorder) started(holder string, at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed {
		return
	}
	if _, ok := r.upFrom[holder]; !ok {
		r.upFrom[holder] = at
	}
}

// won opens a claim: the holder believes it leads under epoch from at on.
func (r *recorder) won(holder string, epoch int64, at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed {
		return
	}
	r.closeLocked(holder, at, history.EndReplaced)
	r.open[holder] = &history.Claim{Holder: holder, Lease: history.LeaderLease,
		Epoch: uint64(epoch), From: at}
}

// lost closes the holder's claim: it noticed its session ended.
func (r *recorder) lost(holder string, epoch int64, at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed {
		return
	}
	if c := r.open[holder]; c != nil && c.Epoch == uint64(epoch) {
		r.closeLocked(holder, at, history.EndDeadline)
	}
}

// exited closes the holder's claim and up interval: its process is gone.
func (r *recorder) exited(holder string, at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed {
		return
	}
	r.closeLocked(holder, at, history.EndCrash)
	if from, ok := r.upFrom[holder]; ok {
		r.ups = append(r.ups, history.Up{Holder: holder, From: from, To: at})
		delete(r.upFrom, holder)
	}
}

func (r *recorder) closeLocked(holder string, at int64, why history.EndReason) {
	c := r.open[holder]
	if c == nil {
		return
	}
	c.To, c.End = max(at, c.From), why
	r.claims = append(r.claims, *c)
	delete(r.open, holder)
}

// writeSent records that a holder announced a write.
func (r *recorder) writeSent(holder string, epoch, seq, at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.sealed {
		r.sent[writeID{holder, epoch, seq}] = at
	}
}

// writeAccepted records a write that the watch on the resource key saw.
func (r *recorder) writeAccepted(v resourceValue, revision, at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.sealed {
		r.accepted = append(r.accepted, acceptedWrite{writeID{v.Holder, v.Epoch, v.Seq}, at, revision})
	}
}

// writeRejected records a fenced write that etcd refused.
func (r *recorder) writeRejected(holder string, epoch, seq, at int64, token uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed {
		return
	}
	w := history.Write{Writer: holder, Epoch: uint64(epoch), Token: token, At: at}
	w.Sent = at
	if s, ok := r.sent[writeID{holder, epoch, seq}]; ok && s <= at {
		w.Sent = s
	}
	r.rejected = append(r.rejected, w)
}

// fault records an applied fault.
func (r *recorder) fault(f history.Fault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.sealed {
		r.faults = append(r.faults, f)
	}
}

// leader returns the holder with an open claim under the newest epoch, or "".
func (r *recorder) leader() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	best, epoch := "", uint64(0)
	for h, c := range r.open {
		if best == "" || c.Epoch > epoch || (c.Epoch == epoch && h < best) {
			best, epoch = h, c.Epoch
		}
	}
	return best
}

// seal ends the observation at end: open claims end with the run, open up intervals
// close, and later events are ignored.
func (r *recorder) seal(end int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed {
		return
	}
	for h := range r.open {
		r.closeLocked(h, end, history.EndRunEnd)
	}
	for h, from := range r.upFrom {
		r.ups = append(r.ups, history.Up{Holder: h, From: from, To: end})
	}
	clear(r.upFrom)
	r.sealed = true
}

// history builds the history: claims by start, writes in the order etcd accepted them
// (then the rejected ones by time), faults and up intervals by start. Fenced writes
// carry their epoch as token.
func (r *recorder) history(meta history.Meta, fenced bool) *history.History {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := &history.History{Meta: meta}
	h.Claims = append([]history.Claim(nil), r.claims...)
	sort.SliceStable(h.Claims, func(i, j int) bool { return h.Claims[i].From < h.Claims[j].From })
	for _, a := range r.accepted {
		w := history.Write{Writer: a.id.holder, Epoch: uint64(a.id.epoch), At: a.at, Sent: a.at, Accepted: true}
		if fenced {
			w.Token = uint64(a.id.epoch)
		}
		// The announcement's stamp can trail the watch's by the scheduling of two
		// goroutines; a write is never sent after it was accepted.
		if s, ok := r.sent[a.id]; ok && s <= a.at {
			w.Sent = s
		}
		h.Writes = append(h.Writes, w)
	}
	rejected := append([]history.Write(nil), r.rejected...)
	sort.SliceStable(rejected, func(i, j int) bool { return rejected[i].At < rejected[j].At })
	h.Writes = append(h.Writes, rejected...)
	h.Faults = append([]history.Fault(nil), r.faults...)
	sort.SliceStable(h.Faults, func(i, j int) bool { return h.Faults[i].From < h.Faults[j].From })
	h.Up = append([]history.Up(nil), r.ups...)
	sort.SliceStable(h.Up, func(i, j int) bool {
		if h.Up[i].From != h.Up[j].From {
			return h.Up[i].From < h.Up[j].From
		}
		return h.Up[i].Holder < h.Up[j].Holder
	})
	return h
}
