package partnership_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
)

func TestExecuteAt(t *testing.T) {
	ctx := t.Context()
	store := memory.New()
	svc := partnership.NewService(store, &partnership.Options{Now: new(pt.Clock).Now})
	ratify := partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)}

	p, err := svc.ExecuteAt(ctx, pt.Facilitator, "p", 0, pt.Proposal("p"))
	require.NoError(t, err, "ExecuteAt(propose, version 0)")
	require.EqualValues(t, 1, p.Version)

	_, err = svc.ExecuteAt(ctx, pt.Facilitator, "p", 0, ratify)
	var stale *partnership.StaleError
	require.ErrorAs(t, err, &stale, "ExecuteAt(ratify, version 0) on version 1")
	assert.Equal(t, partnership.StaleError{Partnership: "p", Action: partnership.ActionRatify, Expected: 0, Actual: 1}, *stale)
	assert.ErrorIs(t, err, citylinks.ErrConflict)
	events, err := store.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	assert.Len(t, events, 1, "a stale command stores nothing")

	p, err = svc.ExecuteAt(ctx, pt.Facilitator, "p", 1, ratify)
	require.NoError(t, err, "ExecuteAt(ratify, version 1)")
	assert.EqualValues(t, 2, p.Version)

	_, err = svc.ExecuteAt(ctx, pt.Facilitator, "p", partnership.AnyVersion, partnership.Suspend{Reason: "pause"})
	require.NoError(t, err, "ExecuteAt(AnyVersion) acts like Execute")

	_, err = svc.ExecuteAt(ctx, pt.Facilitator, "p", -2, partnership.Resume{})
	assert.ErrorIs(t, err, citylinks.ErrInvalid, "a negative version other than AnyVersion")

	_, err = svc.ExecuteAt(ctx, pt.Facilitator, "none", 4, partnership.Resume{})
	assert.ErrorIs(t, err, citylinks.ErrNotFound, "a command at a version of a partnership that does not exist")

	// The policy speaks first: a coordinator of another organization learns
	// nothing of the version.
	_, err = svc.ExecuteAt(ctx, pt.Actor(pt.Durban, citylinks.RoleCoordinator), "p", 99, partnership.DraftWorkPlan{Plan: pt.Plan()})
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	assert.False(t, errors.As(err, &stale))
}

// TestExecuteAtRace: of many writers giving a command at the same version,
// exactly one succeeds; every other gets a *StaleError, never a retry on
// the fresh state.
func TestExecuteAtRace(t *testing.T) {
	ctx := t.Context()
	svc := partnership.NewService(memory.New(), &partnership.Options{Now: new(pt.Clock).Now})
	p, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			c := partnership.Contribution{ID: "c" + string(rune('a'+i)), Party: pt.Boulder, Person: "V", Date: pt.D(2015, 6, 1), Minutes: 60}
			_, errs[i] = svc.ExecuteAt(ctx, pt.Facilitator, "p", p.Version, partnership.RecordContribution{Contribution: c})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var stale *partnership.StaleError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &stale):
		default:
			t.Errorf("ExecuteAt = %v, want success or a *StaleError", err)
		}
	}
	assert.Equal(t, 1, ok, "writers that succeeded")
	got, err := svc.Get(ctx, pt.Facilitator, "p")
	require.NoError(t, err)
	assert.Equal(t, p.Version+1, got.Version)
}
