package storeerr_test

import (
	"errors"
	"fmt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/storeerr"
)

func ExampleNotFound() {
	err := storeerr.NotFound("activity", "CL11-SHI-BOU")
	fmt.Println(err)
	fmt.Println(errors.Is(err, citylinks.ErrNotFound))
	// Output:
	// activity "CL11-SHI-BOU" not found
	// true
}

func ExampleExists() {
	driver := errors.New("UNIQUE constraint failed: cities.id")
	err := storeerr.Exists("city", "1256237", driver)
	fmt.Println(err)
	fmt.Println(errors.Is(err, citylinks.ErrConflict), errors.Is(err, driver))
	// Output:
	// city "1256237" already exists
	// true true
}
