package main

import (
	"strings"
	"testing"
	"time"
)

func TestNum(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.4567, "0.457"}, {4.053, "4.05"}, {45.36, "45.4"}, {118.4, "118"},
		{1276.2, "1,280"}, {13149, "13,100"}, {1234567, "1,230,000"}, {-2.5, "-2.50"},
	}
	for _, tt := range tests {
		if got := num(tt.v); got != tt.want {
			t.Errorf("num(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 152: "152", 35811: "35,811", 1781: "1,781", 1234567.4: "1,234,567"} {
		if got := count(v); got != want {
			t.Errorf("count(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestSpread(t *testing.T) {
	vs := []float64{5.2, 4.5, 6.3, 5.0, 5.5}
	if got, want := spreadTimes(vs), "5.20× (4.50–6.30)"; got != want {
		t.Errorf("spreadTimes = %q, want %q", got, want)
	}
	if got, want := spread([]float64{78, 81, 77}, num), "78.0 (77.0–81.0)"; got != want {
		t.Errorf("spread = %q, want %q", got, want)
	}
	if got, want := spread([]float64{4.2}, num), "4.20"; got != want {
		t.Errorf("spread of one figure = %q, want %q", got, want)
	}
}

func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if got := cpuModel(info); got != "AMD EPYC 7B13" {
		t.Errorf("cpuModel = %q", got)
	}
	if got := cpuModel("processor : 0\n"); got != "unknown CPU" {
		t.Errorf("cpuModel without a model name = %q", got)
	}
}

func TestHeader(t *testing.T) {
	m := machine{Arch: "x86_64", CPU: "AMD EPYC", Cores: 2, GoVersion: "go1.26.8", GoMaxProcs: "2", Commit: "abc1234"}
	from := time.Date(2026, 12, 7, 5, 10, 0, 0, time.UTC)
	to := from.Add(3 * time.Minute)
	tests := []struct {
		load0, load1 float64
		underLoad    bool
	}{{0.5, 1.2, false}, {0.5, 2.5, true}, {9, 1, true}}
	for _, tt := range tests {
		h := header(m, from, to, tt.load0, tt.load1)
		for _, want := range []string{"2026-12-07, 05:10–05:13 UTC", "at commit abc1234", "x86_64, AMD EPYC, 2 cores, go1.26.8, GOMAXPROCS 2", "load average " + fmtLoad(tt.load0) + " before, " + fmtLoad(tt.load1) + " after"} {
			if !strings.Contains(h, want) {
				t.Errorf("header %q lacks %q", h, want)
			}
		}
		if got := strings.Contains(h, "Measured under load"); got != tt.underLoad {
			t.Errorf("loads %v, %v: says under load %v, want %v", tt.load0, tt.load1, got, tt.underLoad)
		}
	}
}
