package bad

import (
	"context"
	crand "crypto/rand" // want `imports crypto/rand`
	"hash/maphash"      // want `imports hash/maphash`
	mrand "math/rand"
	"math/rand/v2"
	"os"
	"reflect"
	"sync"
	. "time"

	"golang.org/x/sync/errgroup" // want `imports golang.org/x/sync/errgroup`
)

var _ = crand.Reader
var _ maphash.Seed

func clocks() {
	_ = Now()                   // want `time.Now reads the wall clock`
	_ = Since(Time{})           // want `time.Since reads the wall clock`
	Sleep(1)                    // want `time.Sleep waits on the wall clock`
	<-After(1)                  // want `time.After waits on the wall clock`
	_ = NewTimer(1)             // want `time.NewTimer waits on the wall clock`
	_ = NewTicker(1)            // want `time.NewTicker waits on the wall clock`
	_ = AfterFunc(1, func() {}) // want `time.AfterFunc waits on the wall clock`
	f := Now                    // want `time.Now taken as a value`
	_ = f
}

func goroutines(ch chan int) {
	go clocks() // want `go statement`
	var wg sync.WaitGroup
	wg.Go(clocks) // want `\(\*sync.WaitGroup\).Go starts a goroutine`
	var g errgroup.Group
	g.Go(nil) // want `errgroup.Group\).Go starts a goroutine`
	select {  // want `select statement`
	case <-ch:
	default:
	}
}

func deadlines(ctx context.Context) {
	_, c1 := context.WithTimeout(ctx, 1)       // want `context.WithTimeout sets a wall-clock deadline`
	_, c2 := context.WithDeadline(ctx, Time{}) // want `context.WithDeadline sets a wall-clock deadline`
	c1()
	c2()
}

func env() {
	_ = os.Getenv("X")       // want `os.Getenv reads the environment`
	_, _ = os.LookupEnv("X") // want `os.LookupEnv reads the environment`
	_ = os.Environ()         // want `os.Environ reads the environment`
}

func randomness(m map[string]int) {
	_ = rand.IntN(3)                 // want `math/rand/v2.IntN uses the global random source`
	_ = mrand.Intn(3)                // want `math/rand.Intn uses the global random source`
	rand.Shuffle(1, nil)             // want `math/rand/v2.Shuffle uses the global random source`
	_ = reflect.ValueOf(m).MapKeys() // want `MapKeys returns a map's keys in random order`
}
