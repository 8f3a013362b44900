package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/internal/readme/snippet"
	"github.com/citylinks/citylinks/store/sqlite"
)

func main() { snippet.Main(run) }

func run(ctx context.Context, dir string) error {
	// README begin
	db, err := sqlite.Open(filepath.Join(dir, "citylinks.db")) // WAL, foreign keys, busy timeout on every connection
	if err != nil {
		return err
	}
	store := sqlite.New(db)
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}

	// Stream the shipped GeoNames table into the store in one transaction.
	// One bad row stores nothing, and the error lists every bad row with its line.
	if _, err := store.ImportCities(ctx, citylinks.ReadGeoNames(dataset.Cities(), nil), nil); err != nil {
		return err
	}

	// Cities of over a million people in Feed the Future focus countries.
	ftf, err := citylinks.LookupDesignation(citylinks.DesignationFeedTheFuture2010)
	if err != nil {
		return err
	}
	min := int64(1_000_000)
	page, err := store.ListCities(ctx, citylinks.CityFilter{
		Region:        citylinks.Region{Designation: &ftf},
		MinPopulation: &min,
	})
	if err != nil {
		return err
	}
	for _, c := range page.Items {
		fmt.Println(c.Name, c.Country)
	}
	// page.Next is the cursor for the next page (keyset paging on id).
	// README end
	return nil
}
