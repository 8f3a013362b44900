package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/store/memory"
)

func ExampleStore() {
	var s memory.Store // the zero value is ready to use
	ctx := context.Background()
	durban := citylinks.City{ID: "1007311", Name: "Durban", Country: "ZA", Population: 3_120_282}
	fmt.Println(s.CreateCity(ctx, durban))
	err := s.CreateCity(ctx, durban)
	fmt.Println(errors.Is(err, citylinks.ErrConflict))
	_, err = s.GetCity(ctx, "nope")
	fmt.Println(errors.Is(err, citylinks.ErrNotFound))
	// Output:
	// <nil>
	// true
	// true
}
