package scenarios

import (
	"errors"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/sim"
)

// The scenario tests use a protocol of their own so that they do not depend on the
// catalog's protocols: "testproto" has the lease family's parameters, a Validate rule and
// one mutant, and nodes that do nothing.
func init() {
	model.Register(&model.Protocol{
		Name: "testproto",
		Doc:  "a do-nothing protocol for the scenario parser's tests",
		Params: []model.Param{
			{Name: "lease", Kind: model.Duration, Default: "10s"},
			{Name: "renew", Kind: model.Duration, Default: "2s", Pacing: model.LeasePeriod},
			{Name: "guard", Kind: model.Duration, Default: "500ms"},
			{Name: "expiry", Kind: model.Enum, Default: "period", Values: []string{"period", "timestamp", "version"}},
		},
		Mutants:    []model.Mutant{{Name: "no-guard", Breaks: "p1"}},
		MaxIssuers: 5,
		LeaseParam: "lease",
		Validate: func(v model.Values) error {
			if v.Duration("renew") >= v.Duration("lease") {
				return &model.ParamError{Param: "renew", Msg: "renew must be shorter than lease"}
			}
			return nil
		},
		Build: func(s model.Setup) (map[string]func() sim.Node, error) {
			if len(s.Holders) == 0 {
				return nil, errors.New("no holders")
			}
			out := map[string]func() sim.Node{}
			for _, n := range append(append([]string{}, s.Issuers...), s.Holders...) {
				out[n] = func() sim.Node { return idleNode{} }
			}
			if s.Resource != "" {
				out[s.Resource] = func() sim.Node { return idleNode{} }
			}
			return out, nil
		},
	})
}

type idleNode struct{}

func (idleNode) Start(*sim.Env)             {}
func (idleNode) Step(*sim.Env, sim.Message) {}
