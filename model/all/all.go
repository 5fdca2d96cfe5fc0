// Package all imports every protocol of the catalog so that their init functions register
// them (model.Register). Programs that parse scenarios import it for its side effect.
package all

import (
	_ "github.com/leasesim/leasesim/model/etcd"      // etcd-like lease service and election
	_ "github.com/leasesim/leasesim/model/fencing"   // lease + fencing tokens
	_ "github.com/leasesim/leasesim/model/heartbeat" // plain heartbeat failover
	_ "github.com/leasesim/leasesim/model/k8s"       // client-go style leader election on the etcd-like service
	_ "github.com/leasesim/leasesim/model/k8s"       // client-go style leader election on the etcd-like service
	_ "github.com/leasesim/leasesim/model/lease"     // leader leases
	_ "github.com/leasesim/leasesim/model/redlock"   // Redlock: a majority of independent issuers
)
