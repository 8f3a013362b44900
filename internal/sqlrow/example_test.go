package sqlrow_test

import (
	"fmt"

	"github.com/citylinks/citylinks/internal/sqlrow"
)

func ExamplePlaceholders() {
	fmt.Println(sqlrow.Placeholders(3, 1, false))
	fmt.Println(sqlrow.Placeholders(3, 4, true))
	// Output:
	// ?, ?, ?
	// $4, $5, $6
}

func ExampleWhere() {
	for _, d := range []sqlrow.Dialect{sqlrow.SQLite, sqlrow.Postgres} {
		w := sqlrow.NewWhere(d, "CL11-DUR-FTL")
		w.Add("program = %s", "citylinks-2011")
		w.In("country", []string{"IN", "ZA"})
		fmt.Println(w)
	}
	// Output:
	// id > ? AND program = ? AND country IN (?, ?) [CL11-DUR-FTL citylinks-2011 IN ZA]
	// id > $1 AND program = $2 AND country = ANY($3) [CL11-DUR-FTL citylinks-2011 [IN ZA]]
}
