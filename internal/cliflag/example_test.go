package cliflag_test

import (
	"flag"
	"fmt"
	"os"

	"github.com/citylinks/citylinks/internal/cliflag"
)

// Both spellings set the same flag; the help shows only -as-of.
func ExampleAsOf() {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(os.Stdout)
	var asOf string
	cliflag.AsOf(fs, &asOf, "the `date` to judge by (YYYY-MM-DD)")
	if err := fs.Parse([]string{"-asof", "2015-12-31"}); err != nil {
		fmt.Println(err)
	}
	fmt.Println("as of", asOf)
	cliflag.PrintDefaults(fs)
	// Output:
	// as of 2015-12-31
	//   -as-of date
	//     	the date to judge by (YYYY-MM-DD)
}
