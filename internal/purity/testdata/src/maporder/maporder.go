package maporder

import (
	"fmt"
	"io"
	"maps"
)

type out struct{ names []string }

func floats(m map[string]float64) (float64, string) {
	var sum float64
	s := ""
	for _, v := range m {
		sum += v // want `accumulates sum \(float64\) in a range over map m`
	}
	for k := range m {
		s += k // want `accumulates s \(string\)`
	}
	for _, v := range m {
		sum = sum + v // want `accumulates sum`
	}
	return sum, s
}

func appends(m map[string]int, o *out) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k) // want `appends to keys, which is not sorted afterwards`
	}
	for k := range m {
		o.names = append(o.names, k) // want `appends to o.names, which is not sorted afterwards`
	}
	return keys
}

func first(m map[string]int) string {
	for k := range m {
		return k // want `returns the first entry met`
	}
	return ""
}

func last(m map[string]int) (string, int) {
	var best string
	n := 0
	for k, v := range m {
		if v > n {
			best = k // want `keeps in best a value of whichever entry comes last`
		}
	}
	return best, n
}

func effects(m map[string]int, w io.Writer, ch chan string) {
	for k := range m {
		fmt.Fprintln(w, k) // want `calls fmt.Fprintln for its effects`
	}
	for k := range m {
		ch <- k // want `sends on a channel`
	}
}

func iterators(m map[string]int) {
	for k := range maps.Keys(m) { // want `maps.Keys yields a map's keys in random order`
		_ = k
	}
}
