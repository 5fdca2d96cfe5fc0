package k8s

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/etcd"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// The mutants of the k8s protocol.
const (
	// MutantTrustsRemoteTimestamps: a candidate takes the lease over once its own wall
	// clock passes the record's renew time plus the lease duration, trusting the
	// holder's wall clock instead of its own observation.
	MutantTrustsRemoteTimestamps = "trusts-remote-timestamps"
	// MutantIgnoresRenewDeadline: the leader leads as long as the record it last saw
	// names it, however long it has failed to renew (an application that checks
	// IsLeader instead of stopping at OnStoppedLeading).
	MutantIgnoresRenewDeadline = "ignores-renew-deadline"
	// MutantGuardShort: the leader counts on leading 5% of the guard LeaseDuration −
	// RenewDeadline − RetryPeriod longer than RetryPeriod + RenewDeadline after its last
	// success, eating into the margin that covers the clocks' rates.
	MutantGuardShort = "guard-short-5pct"
)

// jitterFactor is client-go's JitterFactor: a candidate waits RetryPeriod plus up to
// 1.2 RetryPeriod between attempts.
const jitterFactor = 1.2

type config struct {
	leaseDuration, renewDeadline, retryPeriod int64
	requestTimeout, writeEvery                int64
	mutant                                    string
}

// leadFor is how long after its last successful renewal the leader believes it leads:
// RetryPeriod (until its next round starts) + RenewDeadline (how long that round may
// try), safe while candidates, who wait LeaseDuration, see clocks within the rate ratio
// LeaseDuration / (RetryPeriod + RenewDeadline), or LeaseDuration / (RetryPeriod +
// RenewDeadline + 1s) when renewals come less than a second apart (the record compares
// at whole seconds: see the package documentation). The guard-short-5pct mutant adds 5%
// of the difference.
func (c *config) leadFor() int64 {
	d := c.retryPeriod + c.renewDeadline
	if c.mutant == MutantGuardShort {
		d += (c.leaseDuration - d) / 20
	}
	return d
}

func init() {
	params := []model.Param{
		{Name: "lease_duration", Kind: model.Duration, Default: "15s", Doc: "LeaseDuration: how long a candidate waits after it last saw the record change before taking it over"},
		{Name: "renew_deadline", Kind: model.Duration, Default: "10s", Doc: "RenewDeadline: how long the leader keeps trying to renew (from the start of a round) before it stops leading"},
		{Name: "retry_period", Kind: model.Duration, Default: "2s", Pacing: model.LeasePeriod, Doc: "RetryPeriod: between a candidate's attempts (plus up to 1.2x jitter) and between the leader's renewals"},
	}
	model.Register(&model.Protocol{
		Name:   "k8s",
		Doc:    "client-go style leader election over a Lease object in the etcd-like service (optimistic concurrency on the mod revision; LeaseDuration, RenewDeadline, RetryPeriod by locally observed time)",
		Params: append(params, etcd.ServiceParams...),
		Mutants: []model.Mutant{
			{Name: MutantTrustsRemoteTimestamps, Breaks: "p1", Doc: "a candidate trusts the record's renew time (the holder's wall clock) instead of its own observation: a clock offset lets it take over a live lease"},
			{Name: MutantIgnoresRenewDeadline, Breaks: "p1", Doc: "the leader leads while the last record it saw names it, however long it has failed to renew"},
			{Name: MutantGuardShort, Breaks: "p1", Doc: "the leader leads 5% of the guard LeaseDuration − RenewDeadline − RetryPeriod longer after its last renewal: at the clock rates that guard covers, a candidate takes over while it still leads"},
		},
		MaxIssuers: 5,
		LeaseParam: "lease_duration",
		Validate:   validate,
		Build:      build,
		MsgName:    MsgName,
		OpModel:    OpModel,
		// Unanswered updates stay in the history: the model's partition takes them out of
		// porcupine's search itself and lets a later answer show them.
	})
}

// validate applies client-go's own checks (NewLeaderElector): LeaseDuration >
// RenewDeadline > JitterFactor·RetryPeriod, all positive.
func validate(v model.Values) error {
	ld, rd, rp := v.Duration("lease_duration"), v.Duration("renew_deadline"), v.Duration("retry_period")
	switch {
	case rp <= 0:
		return &model.ParamError{Param: "retry_period", Msg: "must be > 0"}
	case ld <= rd:
		return &model.ParamError{Param: "lease_duration", Msg: fmt.Sprintf("lease_duration %v must be greater than renew_deadline %v", time.Duration(ld), time.Duration(rd))}
	case float64(rd) <= jitterFactor*float64(rp):
		return &model.ParamError{Param: "renew_deadline", Msg: fmt.Sprintf("renew_deadline %v must be greater than retry_period x %v (%v)", time.Duration(rd), jitterFactor, time.Duration(jitterFactor*float64(rp)))}
	}
	return etcd.ValidateService(v)
}

func build(s model.Setup) (map[string]func() sim.Node, error) {
	if n := len(s.Issuers); n < 1 || n > 5 {
		return nil, fmt.Errorf("k8s: issuers must be 1 to 5, got %d", n)
	}
	cfg := &config{leaseDuration: s.Params.Duration("lease_duration"), renewDeadline: s.Params.Duration("renew_deadline"),
		retryPeriod: s.Params.Duration("retry_period"), writeEvery: s.Params.Duration("write_every"), mutant: s.Mutant}
	// The elector's API client times out after RenewDeadline, as kube-controller-manager
	// configures its leader-election client.
	cfg.requestTimeout = cfg.renewDeadline
	out := map[string]func() sim.Node{}
	issuer := etcd.NewIssuer(s.Params)
	for _, q := range s.Issuers {
		out[q] = issuer
	}
	for _, h := range s.Holders {
		out[h] = func() sim.Node { return &elector{cfg: cfg} }
	}
	if s.Resource != "" {
		out[s.Resource] = resource.New(false)
	}
	return out, nil
}

// The elector's timers, numbered after the service's messages.
const (
	msgAttempt   = etcd.MsgFree + iota // try to acquire or renew (Seq: the schedule's generation)
	msgTimeout                         // the request Seq has had no answer for requestTimeout
	msgDeadline                        // the renew round's deadline may have passed
	msgWriteTick                       // write to R while leading
)

var msgNames = map[sim.MsgType]string{msgAttempt: "Attempt", msgTimeout: "Timeout", msgDeadline: "Deadline",
	msgWriteTick: "WriteTick", resource.MsgWrite: "Write"}

// MsgName names the protocol's messages in transcripts.
func MsgName(t sim.MsgType) string {
	if n := etcd.ServiceMsgName(t); n != "" {
		return n
	}
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("msg%d", t)
}
