package partnershiptest_test

import (
	"context"
	"fmt"

	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
)

func ExampleToActive() {
	svc := partnership.NewService(memory.New(), &partnership.Options{Now: (&partnershiptest.Clock{}).Now})
	p, err := partnershiptest.ToActive(context.Background(), svc, "p")
	fmt.Println(p.State, p.Version, err)
	// Output: active 4 <nil>
}

func ExampleStream() {
	events := partnershiptest.Stream("p", 10, partnershiptest.D(2016, 1, 1).Time())
	p, err := partnership.Fold(events)
	fmt.Println(p.State, len(p.Exchanges), len(p.Contributions), err)
	// Output: active 1 5 <nil>
}
