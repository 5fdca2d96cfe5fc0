module github.com/leasesim/leasesim/examples/seqlock

go 1.26.0

require github.com/leasesim/leasesim v0.0.0

require (
	github.com/anishathalye/porcupine v1.3.1 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	go.etcd.io/raft/v3 v3.7.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)

replace github.com/leasesim/leasesim => ../..
