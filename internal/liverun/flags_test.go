package liverun

import (
	"errors"
	"testing"
	"time"

	"github.com/leasesim/leasesim/internal/exit"
)

// TestFlagsConfig: good flags give the trials' configuration; a bad --trials or
// --members, or --members with --endpoints, is bad input naming the flag.
func TestFlagsConfig(t *testing.T) {
	good := Flags{Trials: 2, Seed: 7, TTL: 3 * time.Second, Members: 3, Unfenced: true}
	for _, c := range []struct {
		name string
		edit func(*Flags)
		err  string
	}{
		{"good", func(*Flags) {}, ""},
		{"one member with endpoints", func(f *Flags) { f.Members, f.Endpoints = 1, []string{"127.0.0.1:1"} }, ""},
		{"five members", func(f *Flags) { f.Members = 5 }, ""},
		{"no trials", func(f *Flags) { f.Trials = 0 }, "--trials 0: expected at least 1"},
		{"no members", func(f *Flags) { f.Members = 0 }, "--members 0: expected 1 to 5"},
		{"six members", func(f *Flags) { f.Members = 6 }, "--members 6: expected 1 to 5"},
		{"members with endpoints", func(f *Flags) { f.Endpoints = []string{"127.0.0.1:1"} },
			"--members 3 with --endpoints: expected one or the other (--members sizes the embedded etcd)"},
	} {
		f := good
		c.edit(&f)
		cfg, err := f.Config()
		if c.err != "" {
			var e *exit.Error
			if err == nil || err.Error() != c.err || !errors.As(err, &e) || e.Code != exit.BadInput {
				t.Errorf("%s: err %v, want bad input %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if cfg.Trials != f.Trials || cfg.Seed != 7 || cfg.TTL != 3*time.Second || cfg.Members != f.Members ||
			!cfg.Unfenced || cfg.Scenario != "live-etcd" || len(cfg.Endpoints) != len(f.Endpoints) {
			t.Errorf("%s: config %+v from %+v", c.name, cfg, f)
		}
	}
}
