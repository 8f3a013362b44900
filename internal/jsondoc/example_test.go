package jsondoc_test

import (
	"fmt"
	"strings"

	"github.com/citylinks/citylinks/internal/jsondoc"
)

func ExampleObject_Done() {
	root, _ := jsondoc.Parse(strings.NewReader(`{"name": "x", "nmae": "y"}`))
	o, _ := root.Object()
	name, _ := o.String("name", true)
	fmt.Println(name, o.Done())
	// Output:
	// x $.nmae: unknown field
}
