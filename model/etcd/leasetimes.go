package etcd

import "iter"

// leaseTimes maps lease ids to times (the lessor's expiries, the deadlines a node knows)
// in a slice indexed by id: the store grants ids 1, 2, 3, … so they are dense, and a
// KeepAlive looks its lease up several times, which a map made a few percent of a keys
// run. The zero value is empty. Ids below 1 are never the store's: get finds none, del
// ignores them.
type leaseTimes struct {
	at  []int64
	has []bool
}

// get returns id's time and whether it has one.
func (t *leaseTimes) get(id int64) (int64, bool) {
	if id < 1 || id >= int64(len(t.at)) || !t.has[id] {
		return 0, false
	}
	return t.at[id], true
}

// set gives id (a lease id of the store, at least 1) the time at.
func (t *leaseTimes) set(id, at int64) {
	if id < 1 {
		panic("etcd: lease id below 1 in the lessor") // the store grants from 1
	}
	if id >= int64(len(t.at)) {
		size := max(id+1, 2*int64(len(t.at)))
		t.at = append(t.at, make([]int64, size-int64(len(t.at)))...)
		t.has = append(t.has, make([]bool, size-int64(len(t.has)))...)
	}
	t.has[id], t.at[id] = true, at
}

// del removes id's time, if it has one.
func (t *leaseTimes) del(id int64) {
	if id < 1 || id >= int64(len(t.at)) || !t.has[id] {
		return
	}
	t.has[id], t.at[id] = false, 0
}

// all yields every id that has a time, with its time, in increasing order of id.
func (t *leaseTimes) all() iter.Seq2[int64, int64] {
	return func(yield func(int64, int64) bool) {
		for id, ok := range t.has {
			if ok && !yield(int64(id), t.at[id]) {
				return
			}
		}
	}
}
