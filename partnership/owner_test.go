package partnership_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// TestOwnersOfStoredEvents: events stored before ownership counted already
// name the actor's organization, so their records have owners; an event
// whose actor has no organization gives a record with no owner, which only
// a facilitator may revise.
func TestOwnersOfStoredEvents(t *testing.T) {
	var stream, unowned []partnership.Event
	for i, line := range fixtureLines(t) {
		e, err := partnership.DecodeEvent(line)
		require.NoError(t, err, "line %d", i+1)
		if e.Partnership != "CL11-SHI-BOU" {
			continue
		}
		stream = append(stream, e)
		if k := e.Kind(); k == partnership.EventExchangeRecorded || k == partnership.EventContributionRecorded {
			line = bytes.Replace(line, []byte(`"organization":"boulder",`), nil, 1)
			if e, err = partnership.DecodeEvent(line); !assert.NoError(t, err, "line %d without the actor's organization", i+1) {
				continue
			}
		}
		unowned = append(unowned, e)
	}
	p, err := partnership.Fold(stream)
	require.NoError(t, err)
	assert.Equal(t, []string{pt.Boulder}, p.ExchangeOwners)
	assert.Equal(t, []string{pt.Boulder}, p.ContributionOwners)
	owner, ok := p.ExchangeOwner("trip-1")
	assert.True(t, ok)
	assert.Equal(t, pt.Boulder, owner)
	owner, ok = p.ContributionOwner("contrib-1")
	assert.True(t, ok)
	assert.Equal(t, pt.Boulder, owner)
	_, ok = p.ExchangeOwner("no-such-trip")
	assert.False(t, ok)

	q, err := partnership.Fold(unowned)
	require.NoError(t, err)
	assert.Equal(t, []string{""}, q.ExchangeOwners)
	assert.Equal(t, []string{""}, q.ContributionOwners)
	owner, ok = q.ExchangeOwner("trip-1")
	assert.True(t, ok)
	assert.Empty(t, owner)
}

// TestOwnerSurvivesRevisions: a revision, even by the facilitator, keeps
// the record's first owner; folding the stream event by event with Apply
// gives the same owners as Fold.
func TestOwnerSurvivesRevisions(t *testing.T) {
	svc, store := newService(t, nil)
	ctx := t.Context()
	_, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	coordinator := pt.Actor(pt.Boulder, citylinks.RoleCoordinator)
	_, err = svc.RecordExchange(ctx, coordinator, "p", doneTrip("x1"))
	require.NoError(t, err)
	_, err = svc.RecordExchange(ctx, pt.Facilitator, "p", doneTrip("x2"))
	require.NoError(t, err)
	x := doneTrip("x1")
	x.Purpose = "revised by ICMA"
	_, err = svc.RecordExchange(ctx, pt.Facilitator, "p", x)
	require.NoError(t, err)
	x.Purpose = "revised again by Boulder"
	p, err := svc.RecordExchange(ctx, coordinator, "p", x)
	require.NoError(t, err, "the facilitator's revision left Boulder the owner")
	assert.Equal(t, []string{pt.Boulder, pt.ICMA}, p.ExchangeOwners)

	events, err := store.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	var q partnership.Partnership
	for _, e := range events {
		require.NoError(t, q.Apply(e))
	}
	assert.Equal(t, p.ExchangeOwners, q.ExchangeOwners)
}
