package lease

import "github.com/leasesim/leasesim/model"

func init() {
	model.Register(Protocol("lease",
		"Q grants a leader lease; the holder counts it from its request's send time minus a guard band, Q re-grants only after lease + guard on its own clock",
		false, leaseMutants))
}
