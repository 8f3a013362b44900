package dataset_test

import (
	"encoding/csv"
	"fmt"

	"github.com/citylinks/citylinks/dataset"
)

func ExamplePartnerships() {
	rows, err := csv.NewReader(dataset.Partnerships()).ReadAll()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows[1:4] {
		fmt.Printf("%s: %s ↔ %s\n", r[0], r[5], r[2])
	}
	// Output:
	// CL11-DUR-FTL: Durban (eThekwini Municipality) ↔ Fort Lauderdale (city) + Broward County, FL
	// CL11-DAR-DUR: Dar es Salaam (Kinondoni Municipal Council) ↔ Durban (eThekwini Municipality)
	// CL11-CRI-CAM: Chiang Rai ↔ Cambridge, MA
}
