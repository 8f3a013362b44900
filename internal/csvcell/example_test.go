package csvcell_test

import (
	"fmt"

	"github.com/citylinks/citylinks/internal/csvcell"
)

func Example() {
	for _, s := range []string{"Durban", "=1+1", "'quoted", "-2"} {
		cell := csvcell.Neutralise(s)
		fmt.Printf("%s -> %s -> %s\n", s, cell, csvcell.Unmark(cell))
	}
	fmt.Println(csvcell.Number(-2.5))
	// Output:
	// Durban -> Durban -> Durban
	// =1+1 -> '=1+1 -> =1+1
	// 'quoted -> ''quoted -> 'quoted
	// -2 -> '-2 -> -2
	// -2.5
}
