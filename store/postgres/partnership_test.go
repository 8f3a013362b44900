package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
	"github.com/citylinks/citylinks/store/storetest"
)

// TestPartnershipLoadSeesOtherWriters: a store caches the events it has
// read; events another store (another process) appends to the same
// database still show up in its next load.
func TestPartnershipLoadSeesOtherWriters(t *testing.T) {
	pool := postgrestest.NewPool(t, 0)
	a, b := postgres.New(pool), postgres.New(pool)
	require.NoError(t, a.Migrate(t.Context()))
	storetest.OtherWriters(t, a, b)
}
