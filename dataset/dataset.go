package dataset

import (
	_ "embed"
	"io"
	"strings"
)

var (
	//go:embed cities15000.csv
	cities string
	//go:embed us_places_census_popest.csv
	usPlaces string
	//go:embed citylinks_partnerships.csv
	partnerships string
	//go:embed admin1_codes.csv
	admin1 string
)

// Row counts of the shipped tables, excluding the header.
const (
	CityRows        = 32847
	USPlaceRows     = 19474
	PartnershipRows = 15
)

// Cities returns the GeoNames cities table (cities15000.csv).
func Cities() io.Reader { return strings.NewReader(cities) }

// USPlaces returns the Census places table (us_places_census_popest.csv).
func USPlaces() io.Reader { return strings.NewReader(usPlaces) }

// Partnerships returns the documented partnerships table
// (citylinks_partnerships.csv).
func Partnerships() io.Reader { return strings.NewReader(partnerships) }

// Admin1 returns the GeoNames admin1 codes table (admin1_codes.csv).
func Admin1() io.Reader { return strings.NewReader(admin1) }
