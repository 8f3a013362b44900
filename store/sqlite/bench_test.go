package sqlite_test

import (
	"testing"

	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkImportCities(b *testing.B) {
	storetest.BenchmarkImportCities(b, func(b *testing.B) storetest.Store { return openTestStore(b) })
}

func BenchmarkListCities(b *testing.B) {
	storetest.BenchmarkListCities(b, func(b *testing.B) storetest.Store { return openTestStore(b) })
}
