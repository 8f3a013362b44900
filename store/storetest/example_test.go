package storetest_test

import (
	"fmt"
	"testing"

	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/storetest"
)

// A backend runs the suite from its own test with a factory that returns a
// fresh store for each subtest.
func ExampleRun() {
	factory := storetest.Factory(func(t *testing.T) storetest.Store { return memory.New() })
	// In a test: storetest.Run(t, factory)
	fmt.Printf("%T\n", factory)
	// Output:
	// storetest.Factory
}
