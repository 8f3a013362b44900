package partnership_test

import (
	"context"
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

// hookCalls records what Options.AfterAppend was called with.
type hookCalls struct {
	mu    sync.Mutex
	calls []hookCall
	fail  error
}

type hookCall struct {
	version int64
	kinds   []partnership.EventKind
}

func (h *hookCalls) after(_ context.Context, p partnership.Partnership, events []partnership.Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := hookCall{version: p.Version}
	for _, e := range events {
		c.kinds = append(c.kinds, e.Kind())
	}
	h.calls = append(h.calls, c)
	return h.fail
}

// TestAfterAppend: the hook runs once after each command that stored
// events, with the new state and those events; never for a refused command
// or one that stored nothing.
func TestAfterAppend(t *testing.T) {
	ctx := t.Context()
	var h hookCalls
	svc := partnership.NewService(memory.New(), &partnership.Options{Now: (&pt.Clock{}).Now, AfterAppend: h.after})
	_, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	assert.Equal(t, []hookCall{
		{1, []partnership.EventKind{partnership.EventProposed}},
		{2, []partnership.EventKind{partnership.EventRatified}},
		{3, []partnership.EventKind{partnership.EventAgreementSigned}},
		{4, []partnership.EventKind{partnership.EventWorkPlanAgreed}},
	}, h.calls)

	// Refused: the coordinator of another organization may not ratify.
	_, err = svc.Ratify(ctx, pt.Actor("elsewhere", citylinks.RoleCoordinator), "p", partnership.Ratify{Party: pt.Boulder, Body: "b", On: pt.D(2015, 6, 1)})
	require.ErrorIs(t, err, citylinks.ErrForbidden)
	// Refused by a guard.
	_, err = svc.StartClosing(ctx, pt.Facilitator, "p", pt.D(2015, 6, 1))
	require.ErrorIs(t, err, partnership.ErrPrecondition)
	// Stores nothing: the same exchange twice.
	_, err = svc.RecordExchange(ctx, pt.Facilitator, "p", doneTrip("x1"))
	require.NoError(t, err)
	_, err = svc.RecordExchange(ctx, pt.Facilitator, "p", doneTrip("x1"))
	require.NoError(t, err)
	assert.Len(t, h.calls, 5, "one more call, for the first exchange only")
}

// TestAfterAppendFails: a failing hook does not undo the stored command:
// Execute returns the new state with a *FollowUpError that says so.
func TestAfterAppendFails(t *testing.T) {
	ctx := t.Context()
	h := hookCalls{fail: errors.New("report store is down")}
	store := memory.New()
	svc := partnership.NewService(store, &partnership.Options{Now: (&pt.Clock{}).Now, AfterAppend: h.after})
	p, err := svc.Propose(ctx, pt.Facilitator, pt.Proposal("p"))
	var fe *partnership.FollowUpError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, partnership.FollowUpError{Partnership: "p", Action: partnership.ActionPropose, Version: 1, Err: h.fail}, *fe)
	assert.ErrorIs(t, err, h.fail)
	assert.EqualError(t, err, `partnership: propose on "p" is stored (version 1), but what follows it failed: report store is down`)
	assert.Equal(t, int64(1), p.Version, "the new state comes with the error")
	assert.Equal(t, partnership.StateProposed, p.State)

	events, err := store.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	assert.Len(t, events, 1, "the command is stored")
	// Proposing again is a conflict, not a second partnership.
	_, err = svc.Propose(ctx, pt.Facilitator, pt.Proposal("p"))
	assert.ErrorIs(t, err, citylinks.ErrConflict)
	assert.Len(t, h.calls, 1)
}
