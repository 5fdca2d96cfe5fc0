package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// testProtocol has a lease, a lease period, a plain period and a length.
func testProtocol() *Protocol {
	return &Protocol{
		Name: "t",
		Params: []Param{
			{Name: "lease", Kind: Duration, Default: "10s"},
			{Name: "renew", Kind: Duration, Default: "1s", Pacing: LeasePeriod},
			{Name: "tick", Kind: Duration, Default: "100ms", Pacing: Period},
			{Name: "n", Kind: Int, Default: "1"},
			{Name: "on", Kind: Bool, Default: "false"},
			{Name: "mode", Kind: Enum, Default: "a", Values: []string{"a", "b"}},
		},
		LeaseParam: "lease",
	}
}

// TestParseValuesBounds: durations at most MaxDuration, periods at least MinPeriod,
// lease periods at least lease/MaxPeriodsPerLease, defaults included.
func TestParseValuesBounds(t *testing.T) {
	tests := []struct {
		name  string
		raw   map[string]string
		param string // "" when the values are valid
		want  string
	}{
		{"defaults", nil, "", ""},
		{"at the limits", map[string]string{"lease": "1000h", "renew": "1h", "tick": "1ms", "write_every": "1ms"}, "", ""},
		{"write_every 0", map[string]string{"write_every": "0"}, "write_every", "0s is the period of a repeating event; expected at least 1ms"},
		{"period 1ns", map[string]string{"tick": "1ns"}, "tick", "1ns is the period of a repeating event; expected at least 1ms"},
		{"lease period 1ns", map[string]string{"renew": "1ns"}, "renew", "1ns is the period of a repeating event; expected at least 1ms"},
		{"lease period below lease/1000", map[string]string{"lease": "100s", "renew": "99ms"}, "renew", "99ms is too short for lease 1m40s; expected at least lease/1000 = 100ms"},
		{"default below lease/1000", map[string]string{"lease": "1000h"}, "renew", "1s is too short for lease 1000h0m0s; expected at least lease/1000 = 1h0m0s (1s is the default; set params.renew)"},
		{"lease too long", map[string]string{"lease": "1000h1ns"}, "lease", "1000h0m0.000000001s is too long; expected at most 1000h"},
		{"lease near int64 max", map[string]string{"lease": "2562047h"}, "lease", "2562047h0m0s is too long; expected at most 1000h"},
		{"negative", map[string]string{"lease": "-1s"}, "lease", "-1s is negative"},
		{"not a duration", map[string]string{"tick": "often"}, "tick", `"often" is not a duration`},
		{"not an int", map[string]string{"n": "1.5"}, "n", `"1.5" is not an integer`},
		{"not a bool", map[string]string{"on": "maybe"}, "on", `"maybe" is not a bool`},
		{"not in the enum", map[string]string{"mode": "c"}, "mode", `"c" is not one of a, b`},
		{"unknown", map[string]string{"leese": "1s"}, "leese", `protocol t has no parameter "leese"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testProtocol().ParseValues(tt.raw)
			if tt.param == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParamError", err)
			}
			if pe.Param != tt.param || !strings.Contains(pe.Msg, tt.want) {
				t.Errorf("got %s: %s\nwant %s: ...%s...", pe.Param, pe.Msg, tt.param, tt.want)
			}
		})
	}
}

// FuzzParseValues: any values either parse — and then every duration is within the
// bounds and reads back without a panic — or give a ParamError naming a parameter.
func FuzzParseValues(f *testing.F) {
	f.Add("10s", "1s", "100ms", "100ms", "1")
	f.Add("0", "0", "0", "0", "-1")
	f.Add("2562047h", "1ns", "1ms", "1h", "x")
	f.Fuzz(func(t *testing.T, lease, renew, tick, we, n string) {
		p := testProtocol()
		v, err := p.ParseValues(map[string]string{"lease": lease, "renew": renew, "tick": tick, "write_every": we, "n": n})
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param == "" || pe.Msg == "" {
				t.Fatalf("error %v is not a ParamError naming a parameter", err)
			}
			return
		}
		for _, pd := range p.Durations(v) {
			if pd.Value < 0 || pd.Value > MaxDuration {
				t.Fatalf("%s = %s accepted outside [0, %s]", pd.Param.Name, pd.Value, MaxDuration)
			}
			if pd.Param.Pacing != NotPeriod && pd.Value < MinPeriod {
				t.Fatalf("period %s = %s accepted below %s", pd.Param.Name, pd.Value, MinPeriod)
			}
			if pd.Param.Pacing == LeasePeriod && pd.Value < time.Duration(v.Duration("lease"))/MaxPeriodsPerLease {
				t.Fatalf("lease period %s = %s accepted below lease/%d", pd.Param.Name, pd.Value, MaxPeriodsPerLease)
			}
		}
		_ = v.Int("n")
	})
}
