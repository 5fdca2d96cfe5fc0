package fencing

import (
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/lease"
)

func init() {
	model.Register(lease.Protocol("fencing",
		"lease plus fencing tokens checked by the resource: stale leaders' writes are rejected",
		true, []model.Mutant{{Name: lease.MutantIgnoresTokens, Breaks: "p2",
			Doc: "R accepts every write whatever its token: a paused leader's late write lands after the new leader's"},
			lease.GuardShortMutant}))
}
