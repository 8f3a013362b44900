package iatixsd_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/citylinks/citylinks/internal/iatixsd"
)

func ExampleSchema() {
	_, err := os.Stat(iatixsd.Schema())
	fmt.Println(filepath.Base(iatixsd.Schema()), err == nil)
	// Output:
	// iati-activities-schema.xsd true
}
