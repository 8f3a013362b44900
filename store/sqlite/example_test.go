package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/store/sqlite"
)

func ExampleStore_Migrate() {
	dir, _ := os.MkdirTemp("", "citylinks-example")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(filepath.Join(dir, "citylinks.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := sqlite.New(db)
	defer s.Close()
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	res, err := s.ImportCities(ctx, citylinks.ReadGeoNames(dataset.Cities(), nil), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cities:", res.Imported)
	ghi, _ := citylinks.LookupDesignation(citylinks.DesignationGHIPlus2010)
	min := int64(2_000_000)
	p, err := s.ListCities(ctx, citylinks.CityFilter{Region: citylinks.Region{Designation: &ghi}, MinPopulation: &min})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range p.Items {
		fmt.Println(c.Name, c.Country) // in id order
	}
	// Output:
	// cities: 32847
	// Dhaka BD
	// Gazipur BD
	// Chattogram BD
	// Nairobi KE
	// Bamako ML
	// Addis Ababa ET
}
