package storetest

import (
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// Store is what the suite exercises: everything a backend stores, plus Close.
type Store interface {
	citylinks.Store
	partnership.Store
	report.Store
	Close() error
}

// Factory returns a fresh, empty store for one subtest. It should register
// any cleanup with t.Cleanup.
type Factory func(t *testing.T) Store

// Run runs the whole suite against the stores that newStore makes.
func Run(t *testing.T, newStore Factory) {
	t.Run("Cities", func(t *testing.T) { testCities(t, newStore) })
	t.Run("CityImport", func(t *testing.T) { testCityImport(t, newStore) })
	t.Run("Organizations", func(t *testing.T) { testOrganizations(t, newStore) })
	t.Run("Programs", func(t *testing.T) { testPrograms(t, newStore) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, newStore) })
	t.Run("Partnerships", func(t *testing.T) { testPartnerships(t, newStore) })
	t.Run("Report", func(t *testing.T) { testReport(t, newStore) })
	t.Run("Integrity", func(t *testing.T) { testIntegrity(t, newStore) })
	t.Run("Hostile", func(t *testing.T) { testHostile(t, newStore) })
}
