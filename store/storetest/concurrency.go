package storetest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

// scale returns n, or n times CITYLINKS_STRESS when that is set, for the
// long runs.
func scale(n int) int {
	if k, err := strconv.Atoi(os.Getenv("CITYLINKS_STRESS")); err == nil && k > 1 {
		return n * k
	}
	return n
}

// versioned builds a city whose every field is derived from (writer,
// version), so that a torn write (fields from two writes) is detectable.
func versioned(id string, writer, version int) citylinks.City {
	v := writer*1_000_000 + version
	return citylinks.City{
		ID: id, Name: fmt.Sprintf("w%d-v%d", writer, version), Country: "KE",
		Population: int64(v), Capacity: version % 100,
		Location:  &citylinks.LatLon{Lat: float64(version % 90), Lon: float64(writer)},
		Needs:     []citylinks.TopicLevel{{Topic: fmt.Sprintf("t-%d", v), Level: citylinks.LevelBasic}},
		Languages: []string{"sw"},
	}
}

func checkVersioned(c citylinks.City) error {
	var w, v int
	if _, err := fmt.Sscanf(c.Name, "w%d-v%d", &w, &v); err != nil {
		return fmt.Errorf("city %s: bad name %q", c.ID, c.Name)
	}
	want := versioned(c.ID, w, v)
	if c.Population != want.Population || c.Capacity != want.Capacity || c.Location == nil ||
		*c.Location != *want.Location || len(c.Needs) != 1 || c.Needs[0] != want.Needs[0] {
		return fmt.Errorf("city %s: torn write: %+v", c.ID, c)
	}
	return nil
}

func testConcurrency(t *testing.T, newStore Factory) {
	const writers = 32
	t.Run("Writers", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		perWriter := scale(10)
		var wg sync.WaitGroup
		errs := make(chan error, writers*2)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					// Each writer creates its own cities, and every writer
					// overwrites the shared ones.
					own := fmt.Sprintf("own-%02d-%03d", w, i)
					if err := s.CreateCity(ctx, versioned(own, w, i)); err != nil {
						errs <- fmt.Errorf("create %s: %w", own, err)
						return
					}
					shared := fmt.Sprintf("shared-%d", i%3)
					if err := s.PutCity(ctx, versioned(shared, w, i)); err != nil {
						errs <- fmt.Errorf("put %s: %w", shared, err)
						return
					}
					got, err := s.GetCity(ctx, shared)
					if err != nil {
						errs <- err
						return
					}
					if err := checkVersioned(got); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		all := listAll(t, s, citylinks.CityFilter{Limit: 1000})
		own := 0
		for _, c := range all {
			require.NoError(t, checkVersioned(c))
			if strings.HasPrefix(c.ID, "own-") {
				own++
				var w, i int
				_, err := fmt.Sscanf(c.ID, "own-%02d-%03d", &w, &i)
				require.NoError(t, err)
				assert.Equal(t, versioned(c.ID, w, i).Name, c.Name, "lost write to %s", c.ID)
			}
		}
		assert.Equal(t, writers*perWriter, own, "every created city is stored once")
	})

	t.Run("CreateRace", func(t *testing.T) {
		// Many writers create the same ids: exactly one wins each, the rest
		// get ErrConflict.
		s := newStore(t)
		ctx := t.Context()
		ids := scale(8)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := map[string]int{}
		var other []error
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range ids {
					id := fmt.Sprintf("race-%d", i)
					err := s.CreateCity(ctx, versioned(id, w, i))
					mu.Lock()
					switch {
					case err == nil:
						wins[id]++
					case !assert.ErrorIs(t, err, citylinks.ErrConflict):
						other = append(other, err)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		require.Empty(t, other)
		for i := range ids {
			assert.Equal(t, 1, wins[fmt.Sprintf("race-%d", i)], "creates of race-%d that won", i)
		}
	})
}
