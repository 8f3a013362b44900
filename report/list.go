package report

import (
	"context"

	"github.com/citylinks/citylinks"
)

// Observations returns one page of the observations that match f and that
// actor may read, ordered by id. A coordinator reads only its own
// partnerships' observations, so for one f.Partnership is required (a
// *citylinks.ValidationError without it); the other roles read every
// partnership's. A partnership the actor may not read is an error
// wrapping citylinks.ErrForbidden, whether it exists or not.
func (s *Service) Observations(ctx context.Context, actor citylinks.Actor, f ObservationFilter) (citylinks.Page[Observation], error) {
	if err := f.Validate(); err != nil {
		return citylinks.Page[Observation]{}, err
	}
	if _, err := citylinks.PageSize(f.Limit); err != nil {
		return citylinks.Page[Observation]{}, err
	}
	switch {
	case f.Partnership != "":
		if err := s.authorizeRead(ctx, actor, f.Partnership); err != nil {
			return citylinks.Page[Observation]{}, err
		}
	case actor.Has(citylinks.RoleCoordinator) && !readsAll(actor):
		return citylinks.Page[Observation]{}, invalid("partnership", "is required: a coordinator reads one partnership's observations at a time")
	default:
		if err := Authorize(actor, ActionRead, nil); err != nil {
			return citylinks.Page[Observation]{}, err
		}
	}
	return s.store.ListObservations(ctx, f)
}
