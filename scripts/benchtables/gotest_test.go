package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/leasesim/leasesim/sim
cpu: AMD EPYC
BenchmarkReference        	     200	   4046318 ns/op	         4.053 cpu-ms/simhour	        73.38 ns/event	   31544 B/op	     146 allocs/op
BenchmarkScaleHours/100h0m0s-2         	       3	 400000000 ns/op	         4.000 ms/simhour
BenchmarkSynctestLease    	some log line the benchmark printed
PASS
`
	got, err := parseBench(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []benchLine{
		{"BenchmarkReference", 200, map[string]float64{"ns/op": 4046318, "cpu-ms/simhour": 4.053, "ns/event": 73.38, "B/op": 31544, "allocs/op": 146}},
		{"BenchmarkScaleHours/100h0m0s", 3, map[string]float64{"ns/op": 4e8, "ms/simhour": 4}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if v, err := metric(got, "BenchmarkReference", "ns/event"); err != nil || !reflect.DeepEqual(v, []float64{73.38}) {
		t.Errorf("metric: %v, %v", v, err)
	}
	for _, tt := range []struct{ name, unit, err string }{
		{"BenchmarkReference", "msgs/run", "BenchmarkReference reported no msgs/run"},
		{"BenchmarkBareLoop", "ns/event", "no result line of BenchmarkBareLoop"},
	} {
		if _, err := metric(got, tt.name, tt.unit); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("metric(%s, %s): %v, want %q", tt.name, tt.unit, err, tt.err)
		}
	}
}

func TestParseBenchRejectsAnOddLine(t *testing.T) {
	_, err := parseBench("BenchmarkX 3 100 ns/op 7\n")
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("error %v, want one naming line 1", err)
	}
}
