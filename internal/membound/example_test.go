package membound_test

import (
	"fmt"
	"strings"

	"github.com/citylinks/citylinks/internal/membound"
)

func ExampleBytes() {
	n := membound.Bytes(func() { _ = strings.Repeat("x", 1<<20) })
	fmt.Println(n >= 1<<20)
	// Output:
	// true
}
