package seqlock

import (
	"fmt"
	"math"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// The service's messages and timers.
const (
	msgAcquire   sim.MsgType = sim.MsgUser + iota // holder -> Q: acquire or renew; Seq names the request
	msgGrant                                      // Q -> holder: the lock, sequencer in Epoch and Token; Seq of the request
	msgDeny                                       // Q -> holder: held by Subject under sequencer Epoch
	msgWrite                                      // holder -> R: a write carrying sequencer Token
	msgRenewTick                                  // holder timer
	msgWriteTick                                  // holder timer
)

var msgNames = map[sim.MsgType]string{msgAcquire: "Acquire", msgGrant: "Grant", msgDeny: "Deny",
	msgWrite: "Write", msgRenewTick: "RenewTick", msgWriteTick: "WriteTick"}

func msgName(t sim.MsgType) string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("msg%d", t)
}

// Protocol is the correct lock service, registered as "seqlock".
var Protocol = newProtocol("seqlock", "a lock service with sequencers: leases counted from the request's send minus a guard, a resource that rejects lower sequencers", false)

// Broken is the lock service whose holder does not stop at its deadline, registered as
// "seqlock-broken".
var Broken = newProtocol("seqlock-broken", "seqlock whose holder keeps the lock past its deadline until Q says otherwise", true)

// config is one run's parameters.
type config struct {
	lease, renew, guard, writeEvery int64
	// ignoresDeadline is Broken's bug.
	ignoresDeadline bool
}

func newProtocol(name, doc string, broken bool) *model.Protocol {
	return &model.Protocol{
		Name: name,
		Doc:  doc,
		Params: []model.Param{
			{Name: "lease", Kind: model.Duration, Default: "5s", Doc: "lease length"},
			{Name: "renew", Kind: model.Duration, Default: "1s", Pacing: model.LeasePeriod, Doc: "how often a holder asks Q to grant or renew"},
			{Name: "guard", Kind: model.Duration, Default: "250ms", Doc: "the holder stops guard early, Q waits guard longer (covers clock drift: guard >= lease × drift)"},
		},
		LeaseParam: "lease",
		Validate:   validate,
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			if len(s.Issuers) != 1 {
				return nil, fmt.Errorf("seqlock has one issuer, got %d", len(s.Issuers))
			}
			cfg := &config{lease: s.Params.Duration("lease"), renew: s.Params.Duration("renew"),
				guard: s.Params.Duration("guard"), writeEvery: s.Params.Duration(model.WriteEvery),
				ignoresDeadline: broken}
			nodes := map[string]func() sim.Node{s.Issuers[0]: func() sim.Node { return &issuer{cfg: cfg} }}
			for _, h := range s.Holders {
				nodes[h] = func() sim.Node { return &holder{cfg: cfg} }
			}
			if s.Resource != "" {
				nodes[s.Resource] = func() sim.Node { return &resource{} }
			}
			return nodes, nil
		},
		MsgName: msgName,
		// Both ends count the lease from a duration on their own clocks (the holder from its
		// request's send, Q from its grant), so only the rates matter: the holder's claim
		// lasts at most (lease-guard)/(1-ρ) of true time, Q frees it no sooner than
		// (lease+guard)/(1+ρ), and the first is at most the second when guard >= lease·ρ.
		GuardBound: func(lease int64, maxDriftPPM float64, _ int64, _ model.Values) int64 {
			return int64(math.Ceil(float64(lease) * math.Abs(maxDriftPPM) / 1e6))
		},
		GuardRule: "lease × ρ",
	}
}

func validate(v model.Values) error {
	lease, renew, guard := v.Duration("lease"), v.Duration("renew"), v.Duration("guard")
	if lease <= 0 {
		return &model.ParamError{Param: "lease", Msg: "must be > 0"}
	}
	if guard >= lease {
		return &model.ParamError{Param: "guard", Msg: "must be shorter than lease"}
	}
	if renew <= 0 || renew >= lease-guard {
		return &model.ParamError{Param: "renew", Msg: "must be > 0 and shorter than lease - guard"}
	}
	return nil
}
