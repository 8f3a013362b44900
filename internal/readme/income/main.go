package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/readme/snippet"
	"github.com/citylinks/citylinks/matching"
)

func main() { snippet.Main(run) }

func run(ctx context.Context, dir string) error {
	// README begin
	program, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	if err != nil {
		return err
	}
	nairobi := matching.Subject{Side: matching.SideHost, FocusArea: citylinks.FocusClimate,
		City: citylinks.City{ID: "184745", Name: "Nairobi", Country: "KE"},
		AsOf: citylinks.Date{Year: 2026, Month: 12, Day: 3}} // in FY2027, after the shipped FY1989–FY2026

	shipped, err := matching.ProgramEligibility(program, nil)
	if err != nil {
		return err
	}
	v := shipped.Check(nairobi)
	fmt.Println(v.Eligible, v.Missing) // false [no World Bank income classification for FY27 (the income table ends at FY26)]

	// Add the later years to a copy of the shipped table (which is read-only),
	// from a CSV of its shape or one by one. The groups here are illustrative.
	income := citylinks.ShippedIncome().Clone()
	fy2027 := strings.NewReader("iso_alpha3,economy,fy2027\nKEN,Kenya,LM\n") // or a file: os.Open
	if err := income.ReadCSV(fy2027); err != nil {
		return err
	}
	if err := income.Set("TZ", 2027, citylinks.IncomeLowerMiddle); err != nil {
		return err
	}
	supplied, err := matching.ProgramEligibility(program, &matching.EligibilityOptions{Income: income})
	if err != nil {
		return err
	}
	v = supplied.Check(nairobi)
	fmt.Println(v.Eligible, v.Reasons[len(v.Reasons)-1])
	// README end
	return nil
}
