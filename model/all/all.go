// Package all imports every protocol of the catalog so that their init functions register
// them (model.Register). Programs that parse scenarios import it for its side effect.
package all

import (
	_ "leasesim/model/etcd"      // etcd-like lease service and election
	_ "leasesim/model/fencing"   // lease + fencing tokens
	_ "leasesim/model/heartbeat" // plain heartbeat failover
	_ "leasesim/model/k8s"       // client-go style leader election on the etcd-like service
	_ "leasesim/model/k8s"       // client-go style leader election on the etcd-like service
	_ "leasesim/model/lease"     // leader leases
)
