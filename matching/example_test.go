package matching_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

// The eligibility rules of CityLinks 2011–2016 tie food security to the Feed
// the Future focus countries.
func ExampleProgramEligibility() {
	p, _ := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	e, err := matching.ProgramEligibility(p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range []citylinks.City{
		{ID: "3582677", Name: "La Ceiba", Country: "HN"},
		{ID: "3936456", Name: "Lima", Country: "PE"},
	} {
		v := e.Check(matching.Subject{Side: matching.SideHost, City: c, FocusArea: citylinks.FocusFoodSecurity, AsOf: citylinks.Date{Year: 2012, Month: 6, Day: 1}})
		fmt.Printf("%s eligible: %v\n", c.Name, v.Eligible)
		for _, r := range v.Reasons {
			fmt.Println("  " + r)
		}
	}
	// Output:
	// La Ceiba eligible: true
	//   La Ceiba (Honduras) has no open partnership in resilience in Feed the Future focus countries as a host on 2012-06-01
	//   Honduras is on the list of Feed the Future focus countries (2010)
	// Lima eligible: false
	//   Peru is not on the list of Feed the Future focus countries (2010)
}

// Rules combine with All, Any and Not, and load from JSON with errors that
// name the JSON path.
func ExampleParseEligibility() {
	_, err := matching.ParseEligibility(strings.NewReader(`{
	  "every_focus_area": {"host": {"any": [{"designation": "ftf-focus-2010"}, {"m49_region": ["Atlantis"]}]}}
	}`), nil)
	fmt.Println(err)

	e, _ := matching.ParseEligibility(strings.NewReader(`{
	  "every_focus_area": {"host": [{"not": {"m49_region": ["Europe"]}}, {"population": {"min": 100000}}]}
	}`), nil)
	v := e.Check(matching.Subject{Side: matching.SideHost, City: citylinks.City{ID: "611694", Name: "Telavi", Country: "GE", Population: 19_629}})
	fmt.Println(v.Eligible, v.Reasons)
	// Output:
	// citylinks: invalid $.every_focus_area.host.any[1].m49_region[0]: "Atlantis" is not a UN M49 region, sub-region or intermediate region code or name
	// false [Telavi (Georgia) has 19,629 people, fewer than the minimum of 100,000]
}

// A date after the last fiscal year of the income table leaves the income
// rule undecided, saying what is missing; a table with the year supplied
// decides.
func ExampleIncomeGroupFrom() {
	nairobi := matching.Subject{Side: matching.SideHost, City: citylinks.City{ID: "184745", Name: "Nairobi", Country: "KE"},
		AsOf: citylinks.Date{Year: 2026, Month: 12, Day: 3}} // FY2027
	developing := []citylinks.IncomeGroup{citylinks.IncomeLow, citylinks.IncomeLowerMiddle, citylinks.IncomeUpperMiddle}

	v := matching.IncomeGroupIn(0, developing...).Check(nairobi)
	fmt.Println(v.Eligible, v.Undecided(), v.Missing[0])
	fmt.Println(v.Reasons[0])

	income := citylinks.ShippedIncome().Clone()
	if err := income.Set("KE", 2027, citylinks.IncomeLowerMiddle); err != nil {
		fmt.Println(err)
	}
	v = matching.IncomeGroupFrom(income, 0, developing...).Check(nairobi)
	fmt.Println(v.Eligible, v.Reasons[0])
	// Output:
	// false true no World Bank income classification for FY27 (the income table ends at FY26)
	// the income group of Kenya is not known: no World Bank income classification for FY27 (the income table ends at FY26); supply FY27 with a citylinks.IncomeTable (Set or ReadCSV), or judge as of 2026-06-30 or earlier
	// true the World Bank classified Kenya as lower-middle income in FY27
}

func ExampleScorePair() {
	elev := func(m int) *int { return &m }
	shimla := matching.Party{City: citylinks.City{ID: "1256237", Name: "Shimla", Country: "IN", Population: 171_817,
		Location: &citylinks.LatLon{Lat: 31.10, Lon: 77.17}, Elevation: elev(2205), TimeZone: "Asia/Kolkata",
		Needs: []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: citylinks.LevelIntermediate}, {Topic: "water-supply", Level: citylinks.LevelAdvanced}}}}
	boulder := matching.Party{City: citylinks.City{ID: "5574991", Name: "Boulder", Country: "US", Population: 108_250,
		Location: &citylinks.LatLon{Lat: 40.01, Lon: -105.27}, Elevation: elev(1624), TimeZone: "America/Denver",
		Offers: []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: citylinks.LevelAdvanced}, {Topic: "water-supply", Level: citylinks.LevelAdvanced}}}}
	b, _ := matching.ScorePair(shimla, boulder, citylinks.Date{Year: 2015, Month: 3, Day: 23}, nil)
	fmt.Printf("score %.3f\n", b.Score)
	for _, cs := range b.Criteria {
		if cs.Known {
			fmt.Printf("%-18s %.2f  %s\n", cs.Criterion, cs.Similarity, cs.Detail)
		}
	}
	// Output:
	// score 0.842
	// topic-fit          1.00  climate-adaptation needed at intermediate, offered at advanced; water-supply needed at advanced, offered at advanced
	// climate-topography 0.76  latitude 31.1° vs 40.0° from the equator; elevation 2205 m vs 1624 m; coast unknown
	// population         0.90  171,817 vs 108,250 people (1.6×)
	// time-zone          0.00  UTC+5:30 (Asia/Kolkata) vs UTC−6 (America/Denver): 0.0 h of the working day overlap
	// distance           0.40  12,104 km apart
}

// A climate round of CityLinks 2011–2016 with the cities of the 2015
// Climate Adaptation Partnership Program.
func ExampleMatch() {
	city := func(id, name, cc string, pop int64, lat, lon float64, profile string) citylinks.City {
		tl, _ := citylinks.ParseProfile(profile)
		return citylinks.City{ID: id, Name: name, Country: cc, Population: pop, Location: &citylinks.LatLon{Lat: lat, Lon: lon}, Needs: tl, Offers: tl}
	}
	round := matching.Round{
		FocusArea: citylinks.FocusClimate,
		AsOf:      citylinks.Date{Year: 2015, Month: 3, Day: 23},
		Hosts: []matching.Party{
			{City: city("shimla", "Shimla", "IN", 171_817, 31.10, 77.17, "climate-adaptation:2;water-supply:3")},
			{City: city("portmore", "Portmore", "JM", 182_153, 17.95, -76.88, "coastal-management:3;stormwater:2")},
			{City: city("brisbane", "Brisbane", "AU", 958_504, -27.47, 153.03, "stormwater:2")},
		},
		Resources: []matching.Party{
			{City: city("boulder", "Boulder", "US", 108_250, 40.01, -105.27, "climate-adaptation:3;water-supply:2")},
			{City: city("townsville", "Townsville", "AU", 180_820, -19.26, 146.82, "coastal-management:3;stormwater:3")},
		},
	}
	p, _ := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	res, err := matching.Match(context.Background(), p, round, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pr := range res.Proposals {
		fmt.Printf("%s – %s  %.3f\n", pr.HostName, pr.ResourceName, pr.Score)
	}
	for _, u := range res.Unmatched {
		fmt.Printf("unmatched %s %s (%s): %s\n", u.Side, u.Name, u.Why, strings.Join(u.Reasons, "; "))
	}
	fmt.Printf("total %.3f\n", res.Total)
	// Output:
	// Shimla – Boulder  0.770
	// Portmore – Townsville  0.922
	// unmatched host Brisbane (ineligible): the World Bank classified Australia as high income in FY15 (the rule asks for low income, lower-middle income or upper-middle income)
	// total 1.692
}
