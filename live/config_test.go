package live

import (
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c, err := Config{HolderCommand: []string{"x"}}.withDefaults()
	if err != nil {
		t.Fatalf("withDefaults: %v", err)
	}
	if strings.Join(c.Holders, ",") != "A,B,C" || c.TTL != 2*time.Second || c.Trials != 1 ||
		c.WriteEvery != 100*time.Millisecond || c.Duration != 8*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
	plan := Plan{Faults: []Fault{{Kind: Pause, Target: "A", At: time.Second, Until: 10 * time.Second}}}
	c, err = Config{HolderCommand: []string{"x"}, Plan: plan}.withDefaults()
	if err != nil || c.Duration != 16*time.Second {
		t.Fatalf("duration after a plan ending at 10s with TTL 2s = %v (%v), want 16s", c.Duration, err)
	}
	c, err = Config{HolderCommand: []string{"x"}, Endpoints: []string{"http://127.0.0.1:2379", "10.0.0.1:2379"}}.withDefaults()
	if err != nil || strings.Join(c.Endpoints, ",") != "127.0.0.1:2379,10.0.0.1:2379" {
		t.Fatalf("endpoints %v, %v", c.Endpoints, err)
	}
}

func TestConfigRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"fractional TTL", Config{TTL: 1500 * time.Millisecond}, "ttl: 1.5s"},
		{"short TTL", Config{TTL: 500 * time.Millisecond}, "at least 1s"},
		{"duplicate holder", Config{Holders: []string{"A", "A"}}, `"A" is listed twice`},
		{"holder with space", Config{Holders: []string{"A B"}}, "not a valid holder name"},
		{"holder named leader", Config{Holders: []string{"leader"}}, "not a valid holder name"},
		{"negative trials", Config{Trials: -1}, "trials"},
		{"negative write interval", Config{WriteEvery: -time.Second}, "write_every"},
		{"TLS endpoint", Config{Endpoints: []string{"https://e:2379"}}, "endpoints[0]"},
		{"endpoint without port", Config{Endpoints: []string{"etcd"}}, "host:port"},
		{"bad plan", Config{Plan: Plan{Faults: []Fault{{Kind: Pause, Target: "D", Until: time.Second}}}}, `target "D"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.HolderCommand = []string{"x"}
			_, err := tt.cfg.withDefaults()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("withDefaults = %v; want an error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestHolderMainRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-name", "A"},
		{"-name", "A", "-endpoints", "127.0.0.1:1", "-election", "/e/"},
		{"-name", "A", "-endpoints", "127.0.0.1:1", "-election", "/e/", "-resource", "/r", "-ttl", "0"},
		{"-no-such-flag"},
	} {
		if code := HolderMain(args); code != 2 {
			t.Errorf("HolderMain(%q) = %d, want 2", args, code)
		}
	}
}
