package streamcache

import (
	"runtime"
	"sync"
	"weak"

	"github.com/citylinks/citylinks/partnership"
)

// DefaultMaxEvents is how many events a Cache holds when Max is 0.
const DefaultMaxEvents = 200_000

// Cache holds event streams by partnership id, up to Max events in all;
// past that it forgets the least recently used streams. Its zero value is
// ready to use; it is safe for concurrent use.
type Cache struct {
	// Max is the most events the cache holds. Defaults to
	// DefaultMaxEvents.
	Max int

	mu    sync.Mutex
	m     map[string]*entry
	total int
	clock uint64
}

type entry struct {
	events []partnership.Event
	used   uint64
}

// Get returns the cached prefix of stream id (nil if none). The events are
// shared and must not be changed: clone them before handing them out.
func (c *Cache) Get(id string) []partnership.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[id]
	if e == nil {
		return nil
	}
	c.clock++
	e.used = c.clock
	return e.events[:len(e.events):len(e.events)]
}

// Add appends events, read after the first have events of stream id, to
// the cache, if it still holds exactly have events of that stream;
// otherwise another load got there first and Add does nothing. Add keeps the
// events: the caller must not change them afterwards.
func (c *Cache) Add(id string, have int, events []partnership.Event) {
	if len(events) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*entry{}
	}
	e := c.m[id]
	n := 0
	if e != nil {
		n = len(e.events)
	}
	if n != have || events[0].Version != int64(have+1) {
		return // another load got here first; the cached prefix stays right
	}
	if e == nil {
		e = &entry{}
		c.m[id] = e
	}
	e.events = append(e.events, events...)
	c.total += len(events)
	c.clock++
	e.used = c.clock
	c.evict(id)
}

// evict forgets least recently used streams, other than keep, until the
// cache is within its bound.
func (c *Cache) evict(keep string) {
	max := c.Max
	if max <= 0 {
		max = DefaultMaxEvents
	}
	for c.total > max {
		victim := ""
		var oldest uint64
		for id, e := range c.m {
			if id != keep && (victim == "" || e.used < oldest) {
				victim, oldest = id, e.used
			}
		}
		if victim == "" {
			victim = keep // a single stream over the bound is not cached
		}
		c.total -= len(c.m[victim].events)
		delete(c.m, victim)
	}
}

// Len returns how many events the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

var (
	ownersMu sync.Mutex
	owners   = map[any]*Cache{}
)

// For returns the Cache of owner (a backend's *Store), making it on first
// use. The cache lives as long as owner does.
func For[S any](owner *S) *Cache {
	key := weak.Make(owner)
	ownersMu.Lock()
	defer ownersMu.Unlock()
	if c := owners[key]; c != nil {
		return c
	}
	c := &Cache{}
	owners[key] = c
	runtime.AddCleanup(owner, func(k weak.Pointer[S]) {
		ownersMu.Lock()
		delete(owners, k)
		ownersMu.Unlock()
	}, key)
	return c
}

// Join returns deep copies of cached followed by fresh, for a caller that
// may change them.
func Join(cached, fresh []partnership.Event) []partnership.Event {
	out := make([]partnership.Event, 0, len(cached)+len(fresh))
	for _, e := range cached {
		out = append(out, e.Clone())
	}
	for _, e := range fresh {
		out = append(out, e.Clone())
	}
	return out
}

// Load returns the events of stream id: the cached prefix joined (as deep
// copies) with what after returns, the events above the prefix's length,
// which it adds to the cache.
func (c *Cache) Load(id string, after func(have int64) ([]partnership.Event, error)) ([]partnership.Event, error) {
	cached := c.Get(id)
	fresh, err := after(int64(len(cached)))
	if err != nil {
		return nil, err
	}
	c.Add(id, len(cached), fresh)
	return Join(cached, fresh), nil
}
