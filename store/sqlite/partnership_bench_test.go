package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/citylinks/citylinks/store/sqlite"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkPartnershipLoadFold(b *testing.B) {
	storetest.BenchmarkPartnershipLoadFold(b, func(b *testing.B) storetest.Store { return openTestStore(b) }, func(s storetest.Store) storetest.Store { return sqlite.New(s.(*sqlite.Store).DB()) })
}

// BenchmarkPartnershipCommands runs with the default synchronous=FULL and,
// for comparison in the same run, with synchronous=NORMAL (a commit may be
// lost on power failure, never corrupted). The default stays FULL.
func BenchmarkPartnershipCommands(b *testing.B) {
	b.Run("sync=FULL", func(b *testing.B) {
		storetest.BenchmarkPartnershipCommands(b, func(b *testing.B) storetest.Store { return openTestStore(b) })
	})
	b.Run("sync=NORMAL", func(b *testing.B) {
		storetest.BenchmarkPartnershipCommands(b, func(b *testing.B) storetest.Store {
			db, err := sqlite.OpenWith(filepath.Join(b.TempDir(), "normal.db"), &sqlite.Options{Synchronous: sqlite.SyncNormal})
			if err != nil {
				b.Fatal(err)
			}
			s := sqlite.New(db)
			b.Cleanup(func() { s.Close() })
			if err := s.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			return s
		})
	})
}

func BenchmarkLongStream(b *testing.B) {
	storetest.BenchmarkLongStream(b, func(b *testing.B) storetest.Store { return openTestStore(b) })
}
