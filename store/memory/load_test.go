package memory_test

import (
	"testing"

	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/storetest"
)

// TestLoad runs the load workload of storetest in goroutines over one
// memory store: mixed reads and writes, then no lost or duplicate event,
// no gap, every projection equal to its fold.
func TestLoad(t *testing.T) {
	storetest.Load(t, storetest.LoadOptions{InProcess: true, Open: func(t *testing.T) storetest.Store { return memory.New() }})
}
