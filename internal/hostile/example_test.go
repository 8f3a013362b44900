package hostile_test

import (
	"fmt"

	"github.com/citylinks/citylinks/internal/hostile"
)

func ExampleValues() {
	for _, v := range hostile.Values()[:3] {
		fmt.Printf("%s (%s): %q\n", v.Name, v.Class, v.Text)
	}
	fmt.Println(len(hostile.Long()))
	// Output:
	// sql (quotes and SQL): "'; DROP TABLE cities; --"
	// sql-quotes (quotes and SQL): "Robert'); DELETE FROM partnerships WHERE ''=' \"x\" \\' \\\\"
	// formula-hyperlink (spreadsheet formulas): "=HYPERLINK(\"http://x\",\"y\")"
	// 1048576
}
