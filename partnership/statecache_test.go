package partnership

import (
	"fmt"
	"testing"
)

// TestStatesBound: the cache forgets the least recently used states while
// it holds more events than its bound, never the one just used (however
// big), and keeps no state of a partnership that does not exist.
func TestStatesBound(t *testing.T) {
	c := &states{max: 10}
	use := func(id string, version int64) {
		e := c.get(id)
		e.p.Version = version
		c.put(id, e)
	}
	held := func() []string {
		var ids []string
		for _, id := range []string{"a", "b", "c", "d", "big", "none"} {
			if c.m[id] != nil {
				ids = append(ids, id)
			}
		}
		return ids
	}
	steps := []struct {
		id      string
		version int64
		want    string
		total   int64
	}{
		{"a", 4, "[a]", 4},
		{"b", 4, "[a b]", 8},
		{"a", 5, "[a b]", 9},
		{"c", 3, "[a c]", 8}, // b was used least recently
		{"big", 50, "[big]", 50},
		{"d", 2, "[d]", 2},
		{"none", 0, "[d]", 2},
	}
	for i, s := range steps {
		use(s.id, s.version)
		if got := fmt.Sprint(held()); got != s.want || c.total != s.total {
			t.Fatalf("step %d (%s at %d): holds %s with %d events, want %s with %d", i, s.id, s.version, got, c.total, s.want, s.total)
		}
	}
}
