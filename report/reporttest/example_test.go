package reporttest_test

import (
	"fmt"

	"github.com/citylinks/citylinks/report/reporttest"
)

func ExampleSynthetic() {
	acts, obs := reporttest.Synthetic(3, 4)
	fmt.Println(len(acts), len(obs), acts[0].ID, obs[0].ID)
	// Output:
	// 3 12 P000000 P000000-000000
}
