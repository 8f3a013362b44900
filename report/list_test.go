package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

func TestObservationsAreScoped(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	durban := report.ObservationFilter{Partnership: reporttest.Durban, Limit: 3}

	page, err := svc.Observations(ctx, reporttest.Coordinator, durban)
	require.NoError(t, err, "a coordinator reads its own partnership")
	require.Len(t, page.Items, 3)
	assert.NotEmpty(t, page.Next)
	for _, o := range page.Items {
		assert.Equal(t, reporttest.Durban, o.Partnership)
	}
	next, err := svc.Observations(ctx, reporttest.Coordinator, report.ObservationFilter{Partnership: reporttest.Durban, Limit: 3, After: page.Next})
	require.NoError(t, err)
	assert.Greater(t, next.Items[0].ID, page.Items[2].ID, "the next page starts after the cursor")

	other := citylinks.Actor{ID: "c@shimla.example", Organization: "shimla", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	_, err = svc.Observations(ctx, other, durban)
	assert.ErrorIs(t, err, citylinks.ErrForbidden, "another organization's coordinator")
	_, err = svc.Observations(ctx, other, report.ObservationFilter{Partnership: "no-such-partnership"})
	assert.ErrorIs(t, err, citylinks.ErrForbidden, "an unknown partnership looks like another's")
	_, err = svc.Observations(ctx, reporttest.Coordinator, report.ObservationFilter{})
	assert.ErrorIs(t, err, citylinks.ErrInvalid, "a coordinator must name the partnership")

	all, err := svc.Observations(ctx, reporttest.Viewer, report.ObservationFilter{Limit: citylinks.MaxPageSize})
	require.NoError(t, err, "a viewer reads every partnership")
	assert.Len(t, all.Items, len(reporttest.Observations()))

	_, err = svc.Observations(ctx, reporttest.Viewer, report.ObservationFilter{Limit: -1})
	assert.ErrorIs(t, err, citylinks.ErrInvalid, "a negative limit")
	_, err = svc.Observations(ctx, citylinks.Actor{ID: "nobody"}, report.ObservationFilter{})
	assert.ErrorIs(t, err, citylinks.ErrForbidden, "an actor without a role")
}
