package memory_test

import (
	"testing"

	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkImportCities(b *testing.B) {
	storetest.BenchmarkImportCities(b, func(b *testing.B) storetest.Store { return memory.New() })
}

func BenchmarkListCities(b *testing.B) {
	storetest.BenchmarkListCities(b, func(b *testing.B) storetest.Store { return memory.New() })
}
