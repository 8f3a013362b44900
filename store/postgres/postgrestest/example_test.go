package postgrestest_test

import (
	"fmt"

	"github.com/citylinks/citylinks/store/postgres/postgrestest"
)

// Tests call postgrestest.NewStore(t) for a migrated store in a schema of
// their own; it skips the test when the variable below is unset.
func Example() {
	fmt.Println(postgrestest.EnvURL)
	// Output:
	// CITYLINKS_TEST_POSTGRES_URL
}
