package csvin_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/citylinks/citylinks/internal/csvin"
)

// A CR-only file (old Mac line endings) with a row over the limit: the row
// is reported with its line and skipped, and the next one is read.
func ExampleReader() {
	input := "id,name\r1,Shimla\r2," + strings.Repeat("x", 100) + "\r3,Kutai\r"
	r := csvin.NewReader(strings.NewReader(input), 64)
	header, _ := r.Header()
	fmt.Println(header)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(r.Line(), rec)
	}
	// Output:
	// [id name]
	// 2 [1 Shimla]
	// line 3: row is longer than 64 bytes, the most one row may have: split the text, or look for a missing line break
	// 4 [3 Kutai]
}
