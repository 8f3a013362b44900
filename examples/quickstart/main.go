// Command quickstart runs citylinks on its embedded SQLite default with the
// shipped real data: it loads the GeoNames cities (32,847 places over 15,000
// people) and the built-in programs into a database file, then prints and
// writes a summary of cities per UN M49 region and per U.S. initiative
// country list.
//
// Usage:
//
//	go run ./examples/quickstart [-db out/citylinks.db] [-out out]
//
// It runs offline; running it again replaces what it stored before rather
// than duplicating it.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/store/sqlite"
)

func main() {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: quickstart [-db FILE] [-out DIR]\n\nLoads the shipped cities and programs into SQLite and prints a summary.\n\n")
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", filepath.Join("out", "citylinks.db"), "SQLite database `file` to create or reuse")
	outDir := fs.String("out", "out", "`directory` for the files the quickstart writes")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "quickstart: unexpected argument %q\n", fs.Arg(0))
		os.Exit(2)
	}
	if err := run(context.Background(), os.Stdout, *dbPath, *outDir); err != nil {
		fmt.Fprintf(os.Stderr, "quickstart: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, dbPath, outDir string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	if dir := filepath.Dir(dbPath); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	db, err := sqlite.Open(dbPath)
	if err != nil {
		return err
	}
	store := sqlite.New(db)
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}

	// 1. Programs and cities.
	for _, p := range citylinks.Programs() {
		if err := store.PutProgram(ctx, p); err != nil {
			return err
		}
	}
	start := time.Now()
	res, err := store.ImportCities(ctx, citylinks.ReadGeoNames(dataset.Cities(), nil), &citylinks.ImportOptions{Replace: true})
	if err != nil {
		return fmt.Errorf("load cities: %w", err)
	}
	fmt.Fprintf(w, "citylinks quickstart — database %s\n\n", dbPath)
	fmt.Fprintf(w, "Loaded %d GeoNames cities in %v and %d programs.\n\n", res.Imported, time.Since(start).Round(time.Millisecond), len(citylinks.Programs()))

	// 2. Cities per UN M49 region.
	type row struct {
		group, name string
		cities      int
		population  int64
	}
	var rows []row
	regions := map[string]string{}
	for _, c := range citylinks.Countries() {
		if c.Region.Code != "" {
			regions[c.Region.Code] = c.Region.Name
		}
	}
	codes := make([]string, 0, len(regions))
	for code := range regions {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		n, pop, err := count(ctx, store, citylinks.CityFilter{Region: citylinks.Region{M49: code}})
		if err != nil {
			return err
		}
		rows = append(rows, row{"M49 region", regions[code], n, pop})
	}
	// 3. Cities in the countries of each initiative list, as of the call for
	// the 2015 Climate Adaptation Partnership Program.
	asOf := citylinks.Date{Year: 2015, Month: 1, Day: 6}
	for _, d := range citylinks.Designations() {
		n, pop, err := count(ctx, store, citylinks.CityFilter{Region: citylinks.Region{Designation: &d, AsOf: asOf}})
		if err != nil {
			return err
		}
		rows = append(rows, row{"list " + asOf.String(), d.Name, n, pop})
	}

	fmt.Fprintf(w, "%-12s  %-56s  %7s  %15s\n", "group", "name", "cities", "population")
	for _, r := range rows {
		fmt.Fprintf(w, "%-12s  %-56s  %7d  %15d\n", r.group, r.name, r.cities, r.population)
	}

	out := filepath.Join(outDir, "cities_summary.csv")
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	cw.Write([]string{"group", "name", "cities", "population"})
	for _, r := range rows {
		cw.Write([]string{r.group, r.name, fmt.Sprint(r.cities), fmt.Sprint(r.population)})
	}
	cw.Flush()
	if err := errors.Join(cw.Error(), f.Close()); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWrote %s.\n", out)
	return nil
}

// count pages through every city matching f.
func count(ctx context.Context, s citylinks.CityStore, f citylinks.CityFilter) (n int, pop int64, err error) {
	f.Limit = citylinks.MaxPageSize
	for {
		p, err := s.ListCities(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		for _, c := range p.Items {
			n++
			pop += c.Population
		}
		if p.Next == "" {
			return n, pop, nil
		}
		f.After = p.Next
	}
}
