// Package storetest is the conformance suite every citylinks storage backend
// runs. A backend's test calls Run with a factory that returns a fresh,
// empty, migrated store and registers its cleanup:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Store {
//			s := sqlite.New(openTestDB(t))
//			if err := s.Migrate(t.Context()); err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// Each behaviour is its own subtest with its own store: round-trips of every
// field, validation, the ErrNotFound and ErrConflict sentinels, context
// cancellation, concurrent writers, keyset paging while writers run, filters
// and bulk import; and for partnerships, event-stream round trips, the
// expected-version conflict, a projection equal to the fold of the events,
// List filters, refused commands leaving no trace, who may revise which
// exchange or contribution (each is owned by the organization that first
// recorded it), and 64 goroutines issuing commands on one partnership.
//
// Crash and Load are durability runs a backend adds beside the suite. Both
// start writers in child processes of the test binary (a test that calls
// Child) over one database. Crash kills a writer with SIGKILL at random
// moments and checks, after each kill, that everything it reported as
// committed is there and nothing is there in part. Load runs several
// processes of mixed reads and writes for a bounded time and checks that no
// command was lost or stored twice and that every projection equals the
// fold of its events.
package storetest
