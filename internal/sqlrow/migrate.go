package sqlrow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
)

// MigrationVersions returns the versions of embedded migration files
// ("migrations/0001_core.sql" → "0001_core"), in order.
func MigrationVersions(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimSuffix(strings.TrimPrefix(n, "migrations/"), ".sql")
	}
	slices.Sort(out)
	return out
}

// CheckApplied refuses a database that records a migration this build does
// not know: a newer version of citylinks wrote it, and this one would read
// and write its tables without knowing what the newer one changed. known
// are this build's versions, applied those in the database's
// schema_migrations.
func CheckApplied(backend string, known, applied []string) error {
	var unknown []string
	for _, v := range applied {
		if !slices.Contains(known, v) {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return fmt.Errorf("%s: the database has migration %s, which this build does not know (it knows up to %s): a newer version of citylinks wrote it; use that version or a later one: %w",
		backend, strings.Join(unknown, ", "), known[len(known)-1], citylinks.ErrNewerSchema)
}
