package partnership_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// TestObjectiveIndicators: an objective's indicators are stored with the
// work plan, round-trip through the event JSON, and are checked like the
// plan's.
func TestObjectiveIndicators(t *testing.T) {
	ctx := t.Context()
	svc, store := newService(t, nil)
	_, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	plan := pt.Plan()
	plan.Objectives = append(plan.Objectives, partnership.Objective{Code: "O2", Text: "An adaptation plan", Indicators: []string{"CL-CLIM-01", "CL-CLIM-04"}})
	p, err := svc.AgreeWorkPlan(ctx, pt.Facilitator, "p", partnership.AgreeWorkPlan{Plan: plan, On: pt.D(2015, 6, 1)})
	require.NoError(t, err)
	assert.Equal(t, []string{"CL-CLIM-01", "CL-CLIM-04"}, p.WorkPlan.Objectives[1].Indicators)
	assert.Empty(t, p.WorkPlan.Objectives[0].Indicators)

	events, err := store.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	last := events[len(events)-1]
	b, err := partnership.EncodeEvent(last)
	require.NoError(t, err)
	assert.Contains(t, string(b), `{"code":"O2","text":"An adaptation plan","indicators":["CL-CLIM-01","CL-CLIM-04"]}`)
	assert.NotContains(t, string(b), `"indicators":null`)
	back, err := partnership.DecodeEvent(b)
	require.NoError(t, err)
	assert.Equal(t, last, back)

	// The state is a copy: changing it changes nothing stored.
	plan.Objectives[1].Indicators[0] = "changed"
	p.WorkPlan.Objectives[1].Indicators[1] = "changed"
	again, err := svc.Get(ctx, pt.Facilitator, "p")
	require.NoError(t, err)
	assert.Equal(t, []string{"CL-CLIM-01", "CL-CLIM-04"}, again.WorkPlan.Objectives[1].Indicators)

	plan = pt.Plan()
	plan.Objectives[0].Indicators = []string{"ok", "bad\ncode"}
	_, err = svc.AgreeWorkPlan(ctx, pt.Facilitator, "p", partnership.AgreeWorkPlan{Plan: plan, On: pt.D(2015, 6, 2)})
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "plan.objectives[0].indicators[1]", ve.Field)
}
