package errtext_test

import (
	"fmt"
	"strings"

	"github.com/citylinks/citylinks/internal/errtext"
)

func ExampleClip() {
	fmt.Printf("%q\n", errtext.Clip("Durban"))
	fmt.Printf("%q\n", errtext.Clip(strings.Repeat("é", 40)))
	// Output:
	// "Durban"
	// "éééééééééééééééééééééééééééééééé…"
}
