package streamcache_test

import (
	"fmt"
	"time"

	"github.com/citylinks/citylinks/internal/streamcache"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

func ExampleCache() {
	var c streamcache.Cache
	events := pt.Stream("p", 6, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
	c.Add("p", 0, events[:4]) // a first load read four events
	have := c.Get("p")
	// A later load reads only the events after the cached ones…
	fresh := events[len(have):]
	c.Add("p", len(have), fresh)
	// …and hands out copies of the whole stream.
	fmt.Println(len(have), len(fresh), len(streamcache.Join(have, fresh)), c.Len())
	// Output: 4 2 6 6
}
