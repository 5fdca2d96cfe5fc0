package lease

import (
	"fmt"
	"math"
	"time"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// The lease protocol's messages and timers.
const (
	msgRequest   sim.MsgType = sim.MsgUser + iota // holder -> Q: grant or renew, Seq
	msgTakeover                                   // holder -> Q (version): CAS on version Time
	msgGrant                                      // Q -> holder: Epoch, Token, Seq; Time per mode
	msgDeny                                       // Q -> holder: Subject = owner, Time = version
	msgRenewTick                                  // holder timer
	msgWriteTick                                  // holder timer
	msgCheckTick                                  // Q timer: liveness scan
	msgFreeTick                                   // Q timer: the lease frees; grant a waiting contender
)

var msgNames = map[sim.MsgType]string{
	msgRequest: "Request", msgTakeover: "Takeover", msgGrant: "Grant", msgDeny: "Deny",
	msgRenewTick: "RenewTick", msgWriteTick: "WriteTick", msgCheckTick: "CheckTick", msgFreeTick: "FreeTick",
	resource.MsgWrite: "Write",
}

// MsgName names the protocol's messages in transcripts.
func MsgName(t sim.MsgType) string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("msg%d", t)
}

// The mutants of the lease protocol.
const (
	MutantNoGuard          = "no-guard"
	MutantGrantReceipt     = "count-from-grant-receipt"
	MutantRegrantsEarly    = "issuer-regrants-early"
	MutantIssuerTime       = "renew-extends-from-issuer-time"
	MutantIgnoresExpiry    = "holder-ignores-expiry"
	MutantIgnoresTokens    = "resource-ignores-tokens"
	MutantGuardShort       = "guard-short-5pct"
	MutantNeverRetries     = "never-retries"
	expiryPeriod           = "period"
	expiryTimestamp        = "timestamp"
	expiryVersion          = "version"
	defaultLease, defRenew = "10s", "2s"
)

var leaseMutants = []model.Mutant{
	{Name: MutantNoGuard, Breaks: "p1", Doc: "guard 0 on both sides: opposite clock drifts make the holder's lease outlive Q's"},
	{Name: MutantGrantReceipt, Breaks: "p1", Doc: "the holder counts its lease from the grant's arrival, so network delay extends it"},
	{Name: MutantRegrantsEarly, Breaks: "p1", Doc: "Q frees the lease after lease instead of lease + guard: drift beyond half the guard breaks it"},
	{Name: MutantIssuerTime, Breaks: "p1", Doc: "the holder reads Q's clock reading in the grant as if it were its own clock's"},
	{Name: MutantIgnoresExpiry, Breaks: "p1", Doc: "a holder leads until Q tells it otherwise: cut off, it never steps down"},
	GuardShortMutant,
	{Name: MutantNeverRetries, Breaks: "liveness", Doc: "a holder whose lease ran out without a renewal (its grants lost) stops asking Q: holders give up one by one until nobody leads"},
}

// GuardShortMutant is the guard-short-5pct mutant, which the fencing protocol has too.
var GuardShortMutant = model.Mutant{Name: MutantGuardShort, Breaks: "p1",
	Doc: "both sides apply 95% of the configured guard: safe with drift well inside the guard, broken at the largest drift (or, for timestamp, clock offset) the full guard tolerates"}

// config is one run's parameters.
type config struct {
	lease, renew, guard, writeEvery int64
	expiry                          string
	mutant                          string
	fenced                          bool
}

// holderGuard and issuerGuard are the guards each side applies (mutants change them).
func (c *config) holderGuard() int64 {
	if c.mutant == "" { // the protocol as designed: no string comparisons
		return c.guard
	}
	switch c.mutant {
	case MutantNoGuard:
		return 0
	case MutantGuardShort:
		return c.guard - c.guard/20
	}
	return c.guard
}

func (c *config) issuerGuard() int64 {
	if c.mutant == "" {
		return c.guard
	}
	switch c.mutant {
	case MutantNoGuard, MutantRegrantsEarly:
		return 0
	case MutantGuardShort:
		return c.guard - c.guard/20
	}
	return c.guard
}

// Protocol returns the lease protocol under name, with a fenced resource when fenced,
// and the given mutants (the fencing protocol has its own).
func Protocol(name, doc string, fenced bool, mutants []model.Mutant) *model.Protocol {
	return &model.Protocol{
		Name: name,
		Doc:  doc,
		Params: []model.Param{
			{Name: "lease", Kind: model.Duration, Default: defaultLease, Doc: "lease length"},
			{Name: "renew", Kind: model.Duration, Default: defRenew, Pacing: model.LeasePeriod, Doc: "how often a holder asks Q to grant or renew"},
			{Name: "guard", Kind: model.Duration, Default: "500ms", Doc: "guard band: the holder stops guard early, Q waits guard longer (covers drift: guard >= lease·ρ)"},
			{Name: "expiry", Kind: model.Enum, Default: expiryPeriod, Values: []string{expiryPeriod, expiryTimestamp, expiryVersion}, Doc: "period: a duration from the request's send; timestamp: an absolute wall-clock expiry; version: invalidation by a version bump"},
		},
		Mutants:    mutants,
		LeaseParam: "lease",
		Validate:   validate,
		Build:      func(s model.Setup) (map[string]func() sim.Node, error) { return build(s, fenced) },
		MsgName:    MsgName,
		GuardBound: func(lease int64, maxDriftPPM float64, maxOffset int64, v model.Values) int64 {
			return MinGuard(lease, maxDriftPPM, maxOffset, v.String("expiry"))
		},
		GuardRule: "lease.MinGuard: lease × ρ, plus the largest clock offset with timestamp expiry",
	}
}

func validate(v model.Values) error {
	lease, renew, guard := v.Duration("lease"), v.Duration("renew"), v.Duration("guard")
	if lease <= 0 {
		return &model.ParamError{Param: "lease", Msg: "must be > 0"}
	}
	if renew <= 0 {
		return &model.ParamError{Param: "renew", Msg: "must be > 0"}
	}
	if guard >= lease {
		return &model.ParamError{Param: "guard", Msg: fmt.Sprintf("guard %s must be shorter than lease %s", fmtDur(guard), fmtDur(lease))}
	}
	if renew >= lease-guard {
		return &model.ParamError{Param: "renew", Msg: fmt.Sprintf("renew %s must be shorter than lease - guard (%s), or a holder loses its lease between renewals", fmtDur(renew), fmtDur(lease-guard))}
	}
	return nil
}

func build(s model.Setup, fenced bool) (map[string]func() sim.Node, error) {
	if len(s.Issuers) != 1 {
		return nil, fmt.Errorf("the lease protocol has one issuer, got %d", len(s.Issuers))
	}
	cfg := &config{lease: s.Params.Duration("lease"), renew: s.Params.Duration("renew"),
		guard: s.Params.Duration("guard"), writeEvery: s.Params.Duration("write_every"),
		expiry: s.Params.String("expiry"), mutant: s.Mutant, fenced: fenced}
	out := map[string]func() sim.Node{
		s.Issuers[0]: func() sim.Node { return newIssuer(cfg) },
	}
	for _, h := range s.Holders {
		out[h] = func() sim.Node { return newHolder(cfg) }
	}
	if s.Resource != "" {
		out[s.Resource] = resource.New(fenced && s.Mutant != MutantIgnoresTokens)
	}
	return out, nil
}

// MinGuard returns the smallest guard that keeps the protocol safe for a lease of length
// lease (ns) when every clock's rate stays within 1 ± maxDriftPPM/1e6 and, for the
// timestamp mode, every wall clock within ±maxOffset of true time (steps included).
//
// maxDriftPPM is the worst rate error the clocks can reach, not their mean drift: with a
// periodic component or a slew (sim.PeriodicRate, sim.Slew) that is |drift| + amplitude +
// the slew's bound (sim.ClockSpec.WorstRatePPM, scenarios.Scenario.WorstRatePPM). A
// guard sized for the mean drift is overrun while the swings of the issuer's and a
// holder's rates are apart (catalog lease-periodic-guard-mean).
//
// period and version: the old holder's claim lasts at most (lease-guard)/(1-ρ) of true
// time from its request's send; Q frees the lease at least (lease+guard)/(1+ρ) after it
// granted, which is later than the send. (lease-guard)/(1-ρ) <= (lease+guard)/(1+ρ)
// reduces to guard >= lease·ρ. timestamp: the holder stops when its wall clock reads
// expiry - guard and Q frees when its own reads expiry + guard; with wall clocks off true
// time by at most ±maxOffset the two readings can disagree by 2·maxOffset, which the two
// guards cover when guard >= maxOffset (plus lease·ρ for the drift). Rounded up to the
// nanosecond.
func MinGuard(lease int64, maxDriftPPM float64, maxOffset int64, expiry string) int64 {
	g := int64(math.Ceil(float64(lease) * math.Abs(maxDriftPPM) / 1e6))
	if expiry == expiryTimestamp {
		g += maxOffset
	}
	return g
}

func fmtDur(ns int64) string { return time.Duration(ns).String() }
