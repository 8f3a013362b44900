package readmetest_test

import (
	"fmt"
	"strings"

	"github.com/citylinks/citylinks/internal/readme/readmetest"
)

func ExampleBlocks() {
	readme := "Run it:\n\n<!-- go run ./internal/readme/hello -->\n```go\nfmt.Println(\"hello\")\n```\n"
	blocks, err := readmetest.Blocks(strings.NewReader(readme))
	if err != nil {
		fmt.Println(err)
		return
	}
	region, _ := readmetest.Region(strings.NewReader("func run() error {\n\t// README begin\n\tfmt.Println(\"hello\")\n\t// README end\n\treturn nil\n}\n"))
	fmt.Printf("line %d, program %s, same code: %v\n", blocks[0].Line, blocks[0].Program, blocks[0].Code == region)
	// Output:
	// line 4, program hello, same code: true
}
