package main

import "testing"

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
