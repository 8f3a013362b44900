package streamcache_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/streamcache"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

var at = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)

func TestAddAndGet(t *testing.T) {
	var c streamcache.Cache
	events := pt.Stream("p", 10, at)
	assert.Nil(t, c.Get("p"))
	c.Add("p", 0, events[:4])
	c.Add("p", 4, events[4:6])
	c.Add("p", 2, events[2:8]) // a racing load that started earlier: ignored
	c.Add("p", 0, events[1:3]) // versions that do not follow: ignored
	got := c.Get("p")
	require.Len(t, got, 6)
	for i, e := range got {
		assert.Equal(t, int64(i+1), e.Version)
	}
	assert.Equal(t, 6, cap(got), "Get hands out a clipped view: appending to it cannot touch the cache")
	assert.Equal(t, 6, c.Len())
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := streamcache.Cache{Max: 10}
	c.Add("a", 0, pt.Stream("a", 4, at))
	c.Add("b", 0, pt.Stream("b", 4, at))
	c.Get("a") // b is now the least recently used
	c.Add("c", 0, pt.Stream("c", 4, at))
	assert.NotNil(t, c.Get("a"))
	assert.Nil(t, c.Get("b"))
	assert.NotNil(t, c.Get("c"))
	assert.Equal(t, 8, c.Len())
	c.Add("d", 0, pt.Stream("d", 11, at)) // larger than the bound: not kept
	assert.Nil(t, c.Get("d"))
	assert.LessOrEqual(t, c.Len(), 10)
}

func TestJoinCopies(t *testing.T) {
	events := pt.Stream("p", 6, at)
	out := streamcache.Join(events[:3], events[3:])
	require.Len(t, out, 6)
	out[0].Actor.Roles[0] = "changed"
	assert.NotEqual(t, "changed", string(events[0].Actor.Roles[0]))
}

func TestForIsPerOwner(t *testing.T) {
	type owner struct{ int }
	a, b := &owner{1}, &owner{2}
	assert.Same(t, streamcache.For(a), streamcache.For(a))
	assert.NotSame(t, streamcache.For(a), streamcache.For(b))
}

func TestConcurrentUse(t *testing.T) {
	var c streamcache.Cache
	events := pt.Stream("p", 200, at)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				have := c.Get("p")
				if len(have) == len(events) {
					return
				}
				c.Add("p", len(have), events[len(have):min(len(have)+7, len(events))])
			}
		})
	}
	wg.Wait()
	got := c.Get("p")
	for i, e := range got {
		require.Equal(t, int64(i+1), e.Version)
	}
}
