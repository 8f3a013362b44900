package sqlrow_test

import (
	"fmt"

	"github.com/citylinks/citylinks/internal/sqlrow"
)

func ExamplePlaceholders() {
	fmt.Println(sqlrow.Placeholders(3, 1, false))
	fmt.Println(sqlrow.Placeholders(3, 4, true))
	// Output:
	// ?, ?, ?
	// $4, $5, $6
}
