package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func testPrograms(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		progs := citylinks.Programs()
		custom := citylinks.Program{
			ID: "capp-2015", Name: "Climate Adaptation Partnership Program — “CAPP” 2015", Funder: "USAID",
			Start: citylinks.Date{Year: 2015, Month: 1, Day: 6}, FocusAreas: []string{"climate"},
			Eligibility: json.RawMessage(`{"climate":{"host":{"income":["low","lower-middle"]}}}`),
		}
		progs = append(progs, custom)
		for _, p := range progs {
			require.NoError(t, s.CreateProgram(ctx, p))
		}
		for _, want := range progs {
			got, err := s.GetProgram(ctx, want.ID)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got, cmp.Comparer(jsonEqual)); diff != "" {
				t.Errorf("GetProgram(%s) (-want +got):\n%s", want.ID, diff)
			}
		}
		p, err := s.ListPrograms(ctx, citylinks.ProgramFilter{Limit: 2})
		require.NoError(t, err)
		assert.Equal(t, []string{"capp-2015", "citylinks-2003"}, []string{p.Items[0].ID, p.Items[1].ID})
		p, err = s.ListPrograms(ctx, citylinks.ProgramFilter{After: p.Next})
		require.NoError(t, err)
		assert.Len(t, p.Items, 2)
		assert.Empty(t, p.Next)
	})

	t.Run("Errors", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		p, _ := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
		require.NoError(t, s.CreateProgram(ctx, p))
		require.ErrorIs(t, s.CreateProgram(ctx, p), citylinks.ErrConflict)
		bad := p.Clone()
		bad.ID = "bad"
		bad.FocusAreas = nil
		requireInvalid(t, s.CreateProgram(ctx, bad), "focus_areas")
		_, err := s.GetProgram(ctx, "bad")
		require.ErrorIs(t, err, citylinks.ErrNotFound)
		require.NoError(t, s.DeleteProgram(ctx, p.ID))
		require.ErrorIs(t, s.DeleteProgram(ctx, p.ID), citylinks.ErrNotFound)

		cctx, cancel := context.WithCancel(ctx)
		cancel()
		assert.ErrorIs(t, s.PutProgram(cctx, p), context.Canceled)
		_, err = s.ListPrograms(cctx, citylinks.ProgramFilter{})
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// jsonEqual compares JSON documents by meaning, as a database may store them
// with other spacing.
func jsonEqual(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return cmp.Equal(x, y)
}
