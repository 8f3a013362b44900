package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// testErrorMeansNotStored gives commands deadlines around their own
// latency, from several writers at once, so that many of them end while
// their write is in flight. A command that returned an error must have
// stored nothing (unless the error wraps citylinks.ErrOutcomeUnknown), and
// one that returned nil must be stored. CITYLINKS_STRESS multiplies the
// count.
func testErrorMeansNotStored(t *testing.T, newStore Factory) {
	s := newStore(t)
	ctx := t.Context()
	svc := partnership.NewService(s, nil)
	_, err := pt.ToActive(ctx, svc, "p1")
	require.NoError(t, err)
	contribution := func(i int) partnership.Contribution {
		return partnership.Contribution{ID: fmt.Sprintf("c%05d", i), Party: pt.Boulder, Person: "A. Volunteer",
			Date: pt.D(2015, 6, 1), Minutes: 60, Description: "staff time on the work plan"}
	}
	// How long one command takes here, to aim the deadlines at.
	start := time.Now()
	const warm = 5
	for i := range warm {
		_, err := svc.RecordContribution(ctx, pt.Facilitator, "p1", contribution(i))
		require.NoError(t, err)
	}
	latency := time.Since(start) / warm

	n := scale(200)
	errs := make([]error, n)
	var wg sync.WaitGroup
	const writers = 4
	for w := range writers {
		wg.Go(func() {
			for i := warm + w; i < n; i += writers {
				d := time.Duration(rand.Int64N(int64(writers*3*latency) + 1))
				cctx, cancel := context.WithTimeout(ctx, d)
				_, errs[i] = svc.RecordContribution(cctx, pt.Facilitator, "p1", contribution(i))
				cancel()
			}
		})
	}
	wg.Wait()

	p, err := svc.Get(ctx, pt.Facilitator, "p1")
	require.NoError(t, err)
	stored := map[string]bool{}
	for _, c := range p.Contributions {
		stored[c.ID] = true
	}
	failed, unknown := 0, 0
	for i := warm; i < n; i++ {
		id := contribution(i).ID
		switch err := errs[i]; {
		case err == nil && !stored[id]:
			t.Errorf("%s: the command returned no error, but nothing is stored", id)
		case errors.Is(err, citylinks.ErrOutcomeUnknown):
			t.Logf("%s: %v", id, err)
			unknown++
		case err != nil && stored[id]:
			t.Errorf("%s: the command returned %v, but it is stored", id, err)
		case err != nil:
			failed++
		}
	}
	t.Logf("%d commands with deadlines near %v each: %d failed, %d of unknown outcome", n-warm, latency, failed, unknown)
}
