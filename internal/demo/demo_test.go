package demo

import (
	"io"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/memory"
)

func newTestEnv(t *testing.T) *Env {
	t.Helper()
	e, err := New(t.Context(), memory.New(), &Options{KeepCity: FewCities})
	require.NoError(t, err)
	return e
}

// TestAdvanceContinues: a run that stopped part-way through the round's
// scripts is continued, not repeated.
func TestAdvanceContinues(t *testing.T) {
	e := newTestEnv(t)
	_, err := loadCities(t.Context(), e, FewCities)
	require.NoError(t, err)
	_, err = replayDocumented(t.Context(), e)
	require.NoError(t, err)
	round, err := runRound(t.Context(), e)
	require.NoError(t, err)

	// Do the first three steps of the first partnership's script by hand.
	ids := slices.Sorted(slices.Values(round.ids))
	p, err := e.Partnerships.Get(t.Context(), e.Facilitator, ids[0])
	require.NoError(t, err)
	script := roundScript(0, len(ids), p)
	for _, s := range script[:3] {
		_, err := e.Partnerships.Execute(t.Context(), s.actor, ids[0], s.cmd)
		require.NoError(t, err)
	}
	adv, err := advanceRound(t.Context(), e, round.ids)
	require.NoError(t, err)
	assert.Equal(t, 3, adv.skipped)
	assert.Equal(t, 50-3, adv.steps)
	p, err = e.Partnerships.Get(t.Context(), e.Facilitator, ids[0])
	require.NoError(t, err)
	assert.Equal(t, int64(1+len(script)), p.Version, "every script step recorded exactly once")
	assert.Equal(t, partnership.StateClosing, p.State)
}

// TestRoundAfterSeed: the round, rebuilt after Seed, is the round as it was
// matched: its own proposals are not existing partnerships, so it proposes
// the same pairs again, and gives the same reasons for the cities left out.
func TestRoundAfterSeed(t *testing.T) {
	e := newTestEnv(t)
	seeded, err := e.Seed(t.Context(), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 8, seeded.Matches)

	program, round, err := e.Round(t.Context(), citylinks.Date{})
	require.NoError(t, err)
	assert.Equal(t, roundAsOf, round.AsOf)
	res, err := matching.Match(t.Context(), program, round, nil)
	require.NoError(t, err)
	assert.Len(t, res.Proposals, 8)
	why := map[string]matching.Why{}
	for _, u := range res.Unmatched {
		why[u.Name] = u.Why
		assert.NotEmpty(t, u.Reasons, u.Name)
	}
	assert.Equal(t, matching.WhyIneligible, why["Valparaíso"])
	assert.Equal(t, matching.WhyIneligible, why["Durban"], "already the host of a documented partnership")

	again, err := e.Seed(t.Context(), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 8, again.Matches, "a second seed finds the round's partnerships")
	all, err := e.ListAll(t.Context())
	require.NoError(t, err)
	assert.Len(t, all, 17)
}

func TestDocumentedOrganizationsMatchTheCityTable(t *testing.T) {
	cities := map[string]citylinks.City{}
	for c, err := range citylinks.ReadGeoNames(dataset.Cities(), nil) {
		require.NoError(t, err)
		cities[c.ID] = c
	}
	for _, o := range Organizations() {
		require.NoError(t, o.Validate(), o.ID)
		if o.CityID == "" {
			continue
		}
		c, ok := cities[o.CityID]
		if assert.True(t, ok, "%s: GeoNames id %s is not in the table", o.ID, o.CityID) {
			assert.Equal(t, o.Country, c.Country, "%s: GeoNames %s is %s", o.ID, o.CityID, c.Name)
		}
	}
}
