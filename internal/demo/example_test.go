package demo_test

import (
	"context"
	"fmt"
	"io"

	"github.com/citylinks/citylinks/internal/demo"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/memory"
)

// Seed a store with the demonstration program, keeping only the cities it
// uses, and count its partnerships by state.
func ExampleEnv_Seed() {
	ctx := context.Background()
	e, err := demo.New(ctx, memory.New(), &demo.Options{KeepCity: demo.FewCities})
	if err != nil {
		panic(err)
	}
	seeded, err := e.Seed(ctx, io.Discard) // or os.Stdout, to see each step
	if err != nil {
		panic(err)
	}
	all, err := e.ListAll(ctx)
	if err != nil {
		panic(err)
	}
	byState := map[partnership.State]int{}
	for _, s := range all {
		byState[s.State]++
	}
	fmt.Println(seeded.Matches, "pairs matched;", len(all), "partnerships")
	for _, s := range partnership.States() {
		if byState[s] > 0 {
			fmt.Println(s, byState[s])
		}
	}
	// Output:
	// 8 pairs matched; 17 partnerships
	// agreed 2
	// active 10
	// closing 3
	// completed 1
	// declined 1
}
