package live

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
)

// Protocol is the Meta.Protocol of every live history.
const Protocol = "etcd-live"

// HolderSubcommand is the hidden subcommand of the leasesim binary that must call
// HolderMain with the arguments after it; the default Config.HolderCommand runs it.
const HolderSubcommand = "live-holder"

// Defaults of Config.
var (
	DefaultHolders    = []string{"A", "B", "C"}
	DefaultTTL        = 2 * time.Second
	DefaultWriteEvery = 100 * time.Millisecond
	// DefaultPorcupineTimeout is the default of Config.PorcupineTimeout.
	DefaultPorcupineTimeout = 30 * time.Second
)

// Config is everything RunTrials needs. The zero value of each field means its default.
type Config struct {
	// Endpoints are the etcd client endpoints (host:port or http://host:port). Empty:
	// start an embedded etcd on 127.0.0.1 for the run and stop it afterwards.
	Endpoints []string
	// Members is the number of members of the embedded etcd cluster (1 to 5; default 1),
	// named Q (one) or Q1..Qn. Several members let faults stop and restart them
	// (MemberCrash), so that raft leader changes happen under the holders. Not with
	// Endpoints.
	Members int
	// Holders names the holder processes; default A, B, C.
	Holders []string
	// TTL is the session TTL: whole seconds, at least 1s (etcd's unit); default 2s.
	TTL time.Duration
	// Duration is the length of each trial; default the plan's last time plus 3 TTLs,
	// and at least 4 TTLs.
	Duration time.Duration
	// Trials is the number of trials; default 1.
	Trials int
	// Plan is the fault schedule, the same in every trial (times from the trial's start).
	Plan Plan
	// Seed seeds trial i with Seed+i: its proxies' RNGs and its "random" targets.
	Seed uint64
	// WriteEvery is the interval between a leader's writes to the resource; default
	// 100ms.
	WriteEvery time.Duration
	// Unfenced makes leaders write with a plain Put instead of a fenced transaction: the
	// control experiment, under which stale leaders' writes do land.
	Unfenced bool
	// Scenario is recorded as Meta.Scenario.
	Scenario string
	// OnTrial, when set, is called after each trial with its result (progress reports).
	OnTrial func(TrialResult)
	// HolderCommand is the command that runs HolderMain; the holder's flags are appended.
	// Default: this executable with HolderSubcommand.
	HolderCommand []string
	// HolderEnv is added to the holders' environment (tests use it to re-execute
	// themselves as holders).
	HolderEnv []string
	// RTO is the retransmission timeout charged for a lost chunk; default DefaultRTO.
	RTO time.Duration
	// PorcupineTimeout bounds each porcupine run of the checker on a trial's history;
	// default DefaultPorcupineTimeout. A timeout makes the trial's verdict unknown.
	PorcupineTimeout time.Duration
	// Out, when set, receives progress lines (one per event worth a human's attention).
	Out io.Writer
}

var holderName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// withDefaults fills in defaults and validates; errors name the field and what is
// expected.
func (c Config) withDefaults() (Config, error) {
	if len(c.Holders) == 0 {
		c.Holders = append([]string(nil), DefaultHolders...)
	}
	seen := map[string]bool{}
	for _, h := range c.Holders {
		if !holderName.MatchString(h) || h == TargetLeader || h == TargetRandom {
			return c, fmt.Errorf("holders: %q is not a valid holder name; expected letters, digits, '_', '.', '-' and not %q or %q", h, TargetLeader, TargetRandom)
		}
		if seen[h] {
			return c, fmt.Errorf("holders: %q is listed twice", h)
		}
		seen[h] = true
	}
	if c.TTL == 0 {
		c.TTL = DefaultTTL
	}
	if c.TTL < time.Second || c.TTL%time.Second != 0 {
		return c, fmt.Errorf("ttl: %v; expected a whole number of seconds, at least 1s (etcd lease TTLs are in seconds)", c.TTL)
	}
	if c.WriteEvery == 0 {
		c.WriteEvery = DefaultWriteEvery
	}
	if c.WriteEvery < 0 {
		return c, fmt.Errorf("write_every: %v; expected a positive duration", c.WriteEvery)
	}
	if c.Trials == 0 {
		c.Trials = 1
	}
	if c.Trials < 0 {
		return c, fmt.Errorf("trials: %d; expected at least 1", c.Trials)
	}
	if c.Members == 0 {
		c.Members = 1
	}
	if c.Members < 1 || c.Members > 5 {
		return c, fmt.Errorf("members: %d; expected 1 to 5", c.Members)
	}
	if c.Members > 1 && len(c.Endpoints) > 0 {
		return c, fmt.Errorf("members: %d with endpoints %v; expected one or the other (members sizes the embedded etcd)", c.Members, c.Endpoints)
	}
	if err := c.Plan.Validate(c.Holders); err != nil {
		return c, err
	}
	for i, target := range c.Plan.memberTargets() {
		if len(c.Endpoints) > 0 {
			return c, fmt.Errorf("plan: member fault %d (%s) needs the embedded etcd; with endpoints live mode cannot stop or isolate a member", i, target)
		}
		if target == TargetEtcdLeader {
			continue
		}
		if c.Members == 1 {
			for _, f := range c.Plan.Faults {
				if f.Kind == MemberIsolate {
					return c, fmt.Errorf("plan: %s of %s: a single member has no peers to be cut off from; expected members > 1", f.Kind, f.Target)
				}
			}
		}
		known := false
		for m := range c.Members {
			known = known || MemberName(m, c.Members) == target
		}
		if !known {
			return c, fmt.Errorf("plan: member fault %d: %q is not a member of the %d-member cluster (members: %d)", i, target, c.Members, c.Members)
		}
	}
	if c.Duration == 0 {
		c.Duration = max(c.Plan.lastTime()+3*c.TTL, 4*c.TTL)
	}
	if c.Duration < 0 {
		return c, fmt.Errorf("duration: %v; expected a positive duration", c.Duration)
	}
	endpoints := make([]string, len(c.Endpoints))
	for i, e := range c.Endpoints {
		hostport, err := endpointHostPort(e)
		if err != nil {
			return c, fmt.Errorf("endpoints[%d]: %v", i, err)
		}
		endpoints[i] = hostport
	}
	c.Endpoints = endpoints
	if len(c.HolderCommand) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return c, fmt.Errorf("holder command: cannot find this executable: %v", err)
		}
		c.HolderCommand = []string{exe, HolderSubcommand}
	}
	if c.PorcupineTimeout == 0 {
		c.PorcupineTimeout = DefaultPorcupineTimeout
	}
	if c.PorcupineTimeout < 0 {
		return c, fmt.Errorf("porcupine_timeout: %v; expected a positive duration", c.PorcupineTimeout)
	}
	if c.RTO < 0 {
		return c, fmt.Errorf("rto: %v; expected a positive duration", c.RTO)
	}
	return c, nil
}

// endpointHostPort accepts host:port or http://host:port and returns host:port.
func endpointHostPort(e string) (string, error) {
	if strings.HasPrefix(e, "https://") || strings.HasPrefix(e, "unix") {
		return "", fmt.Errorf("%q: only plain TCP endpoints are supported (host:port or http://host:port)", e)
	}
	hp := strings.TrimPrefix(e, "http://")
	if portOf(hp) == 0 {
		return "", fmt.Errorf("%q: expected host:port or http://host:port", e)
	}
	return hp, nil
}
