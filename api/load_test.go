package api_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/api"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// loadShape is how hard TestLoad pushes: CITYLINKS_LOAD=1 for the full
// run, a few requests otherwise (CI). The full run also measures the
// handler without the handoff to reporting (CITYLINKS_LOAD_SYNC=0 for that
// alone, =1 for the synced run alone).
func loadShape() (clients, commands, partnerships int, limit time.Duration, syncs []bool) {
	if os.Getenv("CITYLINKS_LOAD") == "1" {
		syncs = []bool{true, false}
		switch os.Getenv("CITYLINKS_LOAD_SYNC") {
		case "0":
			syncs = []bool{false}
		case "1":
			syncs = []bool{true}
		}
		return 32, 100, 4, 5 * time.Minute, syncs
	}
	return 4, 5, 2, 30 * time.Second, []bool{true}
}

// TestLoad runs many clients on loopback, each giving commands to shared
// partnerships the way a careful client does: read the ETag, record a
// contribution with If-Match, and on 412 read again and retry. It reports
// requests per second, latency percentiles and errors; every error but a
// 412 fails the test, and every contribution a client was told was stored
// must be in the partnership afterwards.
//
//	CITYLINKS_LOAD=1 go test -run TestLoad -v ./api
func TestLoad(t *testing.T) {
	clients, commands, parts, limit, syncs := loadShape()
	for _, b := range backends[1:] {
		for _, withSync := range syncs {
			name := b.name + "/handoff"
			if !withSync {
				name = b.name + "/bare"
			}
			t.Run(name, func(t *testing.T) {
				load(t, newWorldSync(t, b.open(t), nil, withSync), name, clients, commands, parts, limit)
			})
		}
	}
}

// load runs the load on w.
func load(t *testing.T, w *world, name string, clients, commands, parts int, limit time.Duration) {
	ids := make([]string, parts)
	for i := range ids {
		ids[i] = fmt.Sprintf("load-%d", i)
		w.active(t, ids[i])
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		stored    = map[string][]string{} // partnership → contribution ids acknowledged
		stale     atomic.Int64
		errs      atomic.Int64
		firstErr  atomic.Value
	)
	deadline := time.Now().Add(limit)
	client := w.srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = clients
	send := func(r *http.Request) (*http.Response, time.Duration, error) {
		r.Header.Set("Authorization", "Bearer boulder")
		start := time.Now()
		res, err := client.Do(r)
		d := time.Since(start)
		if err == nil {
			res.Body.Close()
		}
		mu.Lock()
		latencies = append(latencies, d)
		mu.Unlock()
		return res, d, err
	}
	fail := func(format string, args ...any) {
		errs.Add(1)
		firstErr.CompareAndSwap(nil, fmt.Sprintf(format, args...))
	}
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for n := 0; n < commands && time.Now().Before(deadline); n++ {
				id := ids[(c+n)%len(ids)]
				cid := fmt.Sprintf("c-%d-%d", c, n)
				body := fmt.Sprintf(`{"id": %q, "party": %q, "person": "Volunteer %d", "date": "2015-06-01", "minutes": 30}`, cid, pt.Boulder, c)
				for attempt := 0; ; attempt++ {
					get, _ := http.NewRequestWithContext(t.Context(), "GET", w.srv.URL+"/partnerships/"+id, nil)
					res, _, err := send(get)
					if err != nil || res.StatusCode != http.StatusOK {
						fail("GET %s: %v %v", id, err, res)
						break
					}
					post, _ := http.NewRequestWithContext(t.Context(), "POST", w.srv.URL+"/partnerships/"+id+"/contributions", stringsReader(body))
					post.Header.Set("Content-Type", "application/json")
					post.Header.Set("If-Match", res.Header.Get("ETag"))
					res, _, err = send(post)
					switch {
					case err != nil:
						fail("POST %s: %v", id, err)
					case res.StatusCode == http.StatusOK:
						mu.Lock()
						stored[id] = append(stored[id], cid)
						mu.Unlock()
					case res.StatusCode == http.StatusPreconditionFailed:
						stale.Add(1)
						if attempt < 1000 {
							continue
						}
						fail("POST %s: still stale after 1000 attempts", id)
					default:
						fail("POST %s: %s", id, res.Status)
					}
					break
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
	acked := 0
	for _, cs := range stored {
		acked += len(cs)
	}
	t.Logf("%s: %d clients, %d partnerships: %d requests in %v = %.0f requests/s; %d commands stored (%.0f/s), %d answered 412 and retried; latency p50 %v, p99 %v, max %v; %d errors",
		name, clients, parts, len(latencies), elapsed.Round(time.Millisecond), float64(len(latencies))/elapsed.Seconds(),
		acked, float64(acked)/elapsed.Seconds(), stale.Load(), pct(0.50), pct(0.99), latencies[len(latencies)-1], errs.Load())
	require.Zero(t, errs.Load(), "errors other than 412; the first: %v", firstErr.Load())

	// No acknowledged command was lost.
	for _, id := range ids {
		var p api.Partnership
		w.must(t, http.StatusOK, req{method: "GET", path: "/partnerships/" + id, as: "facilitator"}).json(t, &p)
		var got []string
		for _, c := range p.Contributions {
			got = append(got, c.ID)
		}
		assert.ElementsMatch(t, stored[id], got, "partnership %s holds exactly the acknowledged contributions", id)
		assert.Equal(t, int64(4+len(stored[id])), p.Version)
		assert.Equal(t, partnership.StateActive, p.State)
	}
}
