package redlock

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// The protocol's messages and timers.
const (
	msgAcquire      sim.MsgType = sim.MsgUser + iota // holder -> Qi: set the key to Token if free or ours; Seq
	msgGranted                                       // Qi -> holder: Seq; Epoch = Qi's grant counter
	msgRefused                                       // Qi -> holder: Seq
	msgRelease                                       // holder -> Qi: delete the key if it holds Token
	msgCommit                                        // holder -> Qi: Epoch = the token; Token = the value; Seq
	msgCommitted                                     // Qi -> holder: Seq; the key still held the value
	msgNotCommitted                                  // Qi -> holder: Seq
	msgTryTick                                       // holder timer: attempt to acquire (or extend)
	msgDecideTick                                    // holder timer: the attempt's replies are due; Seq
	msgCommitTick                                    // holder timer: the commit's replies are due; Seq
	msgWriteTick                                     // holder timer
)

var msgNames = map[sim.MsgType]string{
	msgAcquire: "Acquire", msgGranted: "Granted", msgRefused: "Refused", msgRelease: "Release",
	msgCommit: "Commit", msgCommitted: "Committed", msgNotCommitted: "NotCommitted",
	msgTryTick: "TryTick", msgDecideTick: "DecideTick", msgCommitTick: "CommitTick", msgWriteTick: "WriteTick",
	resource.MsgWrite: "Write",
}

// MsgName names the protocol's messages in transcripts.
func MsgName(t sim.MsgType) string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("msg%d", t)
}

// The mutants of the redlock protocol.
const (
	MutantNoDrift   = "no-drift-allowance"
	MutantFromReply = "validity-from-reply"
)

var mutants = []model.Mutant{
	{Name: MutantNoDrift, Breaks: "p1", Doc: "validity = TTL − elapsed, without the clock-drift allowance: a slow holder clock and fast issuer clocks let the lock outlive the keys"},
	{Name: MutantFromReply, Breaks: "p1", Doc: "the holder counts its validity from the moment it decides (after the replies) rather than from its request: slow replies extend the lock past the keys"},
}

// Limits on duration parameters.
const (
	minPeriod   = int64(time.Millisecond)
	maxDuration = int64(1000 * time.Hour)
)

// config is one run's parameters.
type config struct {
	ttl, renew, retryDelay, timeout, writeEvery int64
	driftPPM, driftMin                          int64
	fenced                                      bool
	mutant                                      string
	n, majority                                 int
}

// drift is the clock-drift allowance subtracted from a lock's validity: ttl·drift_ppm/1e6
// + drift_min (Redis: TTL·0.01 + 2ms); zero for the no-drift-allowance mutant.
func (c *config) drift() int64 {
	if c.mutant == MutantNoDrift {
		return 0
	}
	return drift(c.ttl, c.driftPPM, c.driftMin)
}

func drift(ttl, ppm, min int64) int64 { return ttl*ppm/1_000_000 + min }

func protocol() *model.Protocol {
	return &model.Protocol{
		Name: "redlock",
		Doc:  "Redis's Redlock: a lock from a majority of N independent issuers (Q1..Qn, no consensus), valid for TTL − the acquisition's time − a drift allowance; fenced: true adds fencing tokens",
		Params: []model.Param{
			{Name: "ttl", Kind: model.Duration, Default: "10s", Doc: "the keys' time to live on each issuer (Redis SET ... NX PX ttl)"},
			{Name: "renew", Kind: model.Duration, Default: "3s", Doc: "how often a holder extends its lock (a new round on every issuer with the same value)"},
			{Name: "retry_delay", Kind: model.Duration, Default: "200ms", Doc: "a failed attempt retries after a delay drawn uniformly in (0, retry_delay] from the holder's seeded stream"},
			{Name: "timeout", Kind: model.Duration, Default: "50ms", Doc: "how long an attempt waits for the issuers' replies before it decides (Redis: small against the TTL)"},
			{Name: "drift_ppm", Kind: model.Int, Default: "10000", Doc: "the drift factor in ppm: the allowance is ttl·drift_ppm/1e6 + drift_min (Redis: 0.01, that is 10000)"},
			{Name: "drift_min", Kind: model.Duration, Default: "2ms", Doc: "the constant part of the drift allowance (Redis: 2ms)"},
			{Name: "fenced", Kind: model.Bool, Default: "false", Doc: "the resource checks fencing tokens (made by a commit round Redlock itself lacks; see the package doc)"},
		},
		Mutants:    mutants,
		MaxIssuers: 5,
		Validate:   validate,
		Build:      build,
		MsgName:    MsgName,
	}
}

// checkDur checks that a duration parameter lies in [lo, maxDuration].
func checkDur(v model.Values, name string, lo int64) error {
	d := v.Duration(name)
	if d < lo {
		return &model.ParamError{Param: name, Msg: fmt.Sprintf("%s is too short; expected at least %s", time.Duration(d), time.Duration(lo))}
	}
	if d > maxDuration {
		return &model.ParamError{Param: name, Msg: fmt.Sprintf("%s is too long; expected at most %s", time.Duration(d), time.Duration(maxDuration))}
	}
	return nil
}

func validate(v model.Values) error {
	for _, p := range []struct {
		name string
		lo   int64
	}{{"ttl", minPeriod}, {"renew", minPeriod}, {"retry_delay", minPeriod}, {"timeout", minPeriod}, {"drift_min", 0}, {"write_every", minPeriod}} {
		if err := checkDur(v, p.name, p.lo); err != nil {
			return err
		}
	}
	ppm := v.Int("drift_ppm")
	if ppm < 0 || ppm >= 1_000_000 {
		return &model.ParamError{Param: "drift_ppm", Msg: fmt.Sprintf("%d is out of range; expected a factor in [0, 1000000) ppm", ppm)}
	}
	ttl := v.Duration("ttl")
	valid := ttl - drift(ttl, ppm, v.Duration("drift_min"))
	if valid <= 0 {
		return &model.ParamError{Param: "drift_min", Msg: fmt.Sprintf("the drift allowance %s leaves no validity of ttl %s", time.Duration(ttl-valid), time.Duration(ttl))}
	}
	if t := v.Duration("timeout"); t >= valid {
		return &model.ParamError{Param: "timeout", Msg: fmt.Sprintf("timeout %s must be shorter than ttl − drift allowance (%s), or no attempt can succeed", time.Duration(t), time.Duration(valid))}
	}
	if r := v.Duration("renew"); r >= valid {
		return &model.ParamError{Param: "renew", Msg: fmt.Sprintf("renew %s must be shorter than ttl − drift allowance (%s), or a holder loses its lock between extensions", time.Duration(r), time.Duration(valid))}
	}
	return nil
}

func build(s model.Setup) (map[string]func() sim.Node, error) {
	n := len(s.Issuers)
	if n < 1 {
		return nil, fmt.Errorf("redlock needs at least one issuer")
	}
	cfg := &config{ttl: s.Params.Duration("ttl"), renew: s.Params.Duration("renew"),
		retryDelay: s.Params.Duration("retry_delay"), timeout: s.Params.Duration("timeout"),
		writeEvery: s.Params.Duration("write_every"), driftPPM: s.Params.Int("drift_ppm"),
		driftMin: s.Params.Duration("drift_min"), fenced: s.Params.Bool("fenced"),
		mutant: s.Mutant, n: n, majority: n/2 + 1}
	out := map[string]func() sim.Node{}
	for _, q := range s.Issuers {
		out[q] = func() sim.Node { return newIssuer(cfg) }
	}
	for _, h := range s.Holders {
		out[h] = func() sim.Node { return newHolder(cfg) }
	}
	if s.Resource != "" {
		out[s.Resource] = resource.New(cfg.fenced)
	}
	return out, nil
}
