package postgres_test

import (
	"testing"

	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkPartnershipLoadFold(b *testing.B) {
	storetest.BenchmarkPartnershipLoadFold(b, func(b *testing.B) storetest.Store { return postgrestest.NewStore(b) }, func(s storetest.Store) storetest.Store { return postgres.New(s.(*postgres.Store).Pool()) })
}

func BenchmarkPartnershipCommands(b *testing.B) {
	storetest.BenchmarkPartnershipCommands(b, func(b *testing.B) storetest.Store { return postgrestest.NewStore(b) })
}

func BenchmarkLongStream(b *testing.B) {
	storetest.BenchmarkLongStream(b, func(b *testing.B) storetest.Store { return postgrestest.NewStore(b) })
}
