package citylinks_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/store/memory"
)

func ExampleLookupCountry() {
	for _, key := range []string{"tz", "HND", "356", "Philippines"} {
		c, err := citylinks.LookupCountry(key)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %s — %s / %s — FY15 %s\n", c.Alpha2, c.Name, c.Region.Name, c.SubRegion.Name, c.IncomeGroup(2015))
	}
	// Output:
	// TZ Tanzania — Africa / Sub-Saharan Africa — FY15 low
	// HN Honduras — Americas / Latin America and the Caribbean — FY15 lower-middle
	// IN India — Asia / Southern Asia — FY15 lower-middle
	// PH Philippines — Asia / South-eastern Asia — FY15 lower-middle
}

func ExampleDesignation_Includes() {
	ftf, _ := citylinks.LookupDesignation(citylinks.DesignationFeedTheFuture2010)
	asOf := citylinks.Date{Year: 2015, Month: 1, Day: 6}
	for _, cc := range []string{"HN", "PE"} {
		fmt.Printf("%s on %s: %v\n", cc, ftf.Name, ftf.Includes(cc, asOf))
	}
	// Output:
	// HN on Feed the Future focus countries (2010): true
	// PE on Feed the Future focus countries (2010): false
}

func ExampleCity_Validate() {
	c := citylinks.City{ID: "x", Name: "Nowhere", Country: "XX", Population: -1}
	err := c.Validate()
	var ve *citylinks.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field, errors.Is(err, citylinks.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true country true
	// citylinks: invalid country: "XX" is not a known ISO 3166-1 alpha-2 code
}

func ExampleLoadProgramJSON() {
	_, err := citylinks.LoadProgramJSON(strings.NewReader(`{
		"id": "capp-2015", "name": "CAPP 2015", "start": "2015-01-06",
		"focus_areas": ["climate", 7]
	}`))
	fmt.Println(err)
	// Output:
	// citylinks: invalid $.focus_areas[1]: must be a string, not a number
}

func ExampleReadGeoNames() {
	const table = `geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date
1256237,Shimla,Shimla,IN,11,Himachal Pradesh,,PPLA,169578,31.10442,77.16662,,2202,Asia/Kolkata,2023-01-01
3488981,Portmore,Portmore,JM,10,Saint Catherine,,PPL,182153,17.95032,-76.88215,,5,America/Jamaica,-1
0,Broken,Broken,XX,,,,PPL,1,1,1,,1,UTC,2020-01-01
`
	s := memory.New()
	res, err := s.ImportCities(context.Background(), citylinks.ReadGeoNames(strings.NewReader(table), nil),
		&citylinks.ImportOptions{SkipInvalid: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("imported:", res.Imported)
	for _, bad := range res.Skipped {
		fmt.Println("skipped:", bad)
	}
	p, _ := s.ListCities(context.Background(), citylinks.CityFilter{Region: citylinks.Region{M49: "Americas"}})
	for _, c := range p.Items {
		fmt.Println(c.Name, c.Population, *c.Elevation)
	}
	// Output:
	// imported: 2
	// skipped: line 4: citylinks: invalid geonameid: "0" is not a positive integer
	// Portmore 182153 5
}

func ExampleCheckID() {
	fmt.Println(citylinks.CheckID("partner_id", "CL11-SHI-BOU"))
	fmt.Println(citylinks.CheckID("partner_id", " CL11"))
	fmt.Println(citylinks.CheckText("title", "a\x00b", true, 0))
	// Output:
	// <nil>
	// citylinks: invalid partner_id: " CL11" has leading or trailing space
	// citylinks: invalid title: contains a NUL byte
}

func ExampleIncomeTable() {
	// The shipped table ends at FY2026; a round in FY2027 needs that year.
	income := citylinks.ShippedIncome().Clone()
	fmt.Println(income.Holds(2027), income.Group("KE", 2026))
	err := income.ReadCSV(strings.NewReader("iso_alpha3,economy,fy2027\nKEN,Kenya,LM\nTZA,Tanzania,LM\n"))
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(income.Holds(2027), income.Group("KE", 2027), income.Group("IN", 2027))
	if err := income.Set("IN", 2027, citylinks.IncomeLowerMiddle); err != nil {
		fmt.Println(err)
	}
	fmt.Println(income.Group("India", 2027))
	fmt.Println(income.Set("IN", 2027, "LM"))
	// Output:
	// false lower-middle
	// true lower-middle no-data
	// lower-middle
	// citylinks: invalid group: "LM" is not an income group (low, lower-middle, upper-middle, high, not-classified, no-data)
}
