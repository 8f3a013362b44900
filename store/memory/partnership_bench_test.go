package memory_test

import (
	"testing"

	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkPartnershipLoadFold(b *testing.B) {
	storetest.BenchmarkPartnershipLoadFold(b, func(*testing.B) storetest.Store { return memory.New() }, nil)
}

func BenchmarkPartnershipCommands(b *testing.B) {
	storetest.BenchmarkPartnershipCommands(b, func(*testing.B) storetest.Store { return memory.New() })
}

func BenchmarkLongStream(b *testing.B) {
	storetest.BenchmarkLongStream(b, func(*testing.B) storetest.Store { return memory.New() })
}
