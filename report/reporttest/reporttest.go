package reporttest

import (
	"context"
	"fmt"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

// The actors of the fixture.
var (
	Facilitator = citylinks.Actor{ID: "fac@icma.example", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	Monitor     = citylinks.Actor{ID: "me@icma.example", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleMonitor}}
	// Coordinator acts for Fort Lauderdale, a party to the first two
	// partnerships and not the third.
	Coordinator = citylinks.Actor{ID: "coord@fortlauderdale.example", Organization: "fort-lauderdale", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	Funder      = citylinks.Actor{ID: "aor@usaid.example", Organization: "usaid", Roles: []citylinks.Role{citylinks.RoleFunder}}
	Viewer      = citylinks.Actor{ID: "viewer@example.org", Roles: []citylinks.Role{citylinks.RoleViewer}}
)

// The partnership ids of the fixture (the ids of the shipped
// dataset/citylinks_partnerships.csv).
const (
	Durban  = "CL11-DUR-FTL"
	Legazpi = "CL11-LEG-FTL"
	Telavi  = "CL11-TEL-CAT"
)

// LWA is the IATI identifier the fixture gives the CityLinks 2011–2016
// cooperative agreement (AID-OAA-L-11-00008), the parent of Durban's
// activity: USAID's prefix and the award number, for tests.
const LWA = "US-GOV-1-AID-OAA-L-11-00008"

// Now is the fixture's clock: 2015-11-20 09:00 UTC.
var Now = time.Date(2015, 11, 20, 9, 0, 0, 0, time.UTC)

func d(y int, m time.Month, day int) citylinks.Date {
	return citylinks.Date{Year: y, Month: m, Day: day}
}

func usaid() report.ParticipatingOrg {
	return report.ParticipatingOrg{Organization: "usaid", Ref: "US-GOV-1", Name: "U.S. Agency for International Development", Role: report.RoleFunding, Type: "10", PartyRole: "funder"}
}

func icma() report.ParticipatingOrg {
	return report.ParticipatingOrg{Organization: "icma", Ref: "US-EIN-000000000", Name: "International City/County Management Association (CityLinks)", Role: report.RoleExtending, Type: "21", PartyRole: "facilitator"}
}

// Activities returns the three activities of the fixture, ordered by id.
// Their locations are the cities' GeoNames coordinates (Catawba County's
// is its largest city, Hickory, NC: its seat, Newton, is below the
// table's 15,000).
func Activities() []report.Activity {
	return []report.Activity{
		{
			ID: Durban, Title: "Durban – Southeast Florida climate change partnership",
			Description: "Fixture notes: dates and parties from the shipped partnerships table; figures invented for tests.",
			Summary:     "Regional climate-governance model for eThekwini, drawing on the Southeast Florida Regional Climate Change Compact.",
			Parent:      LWA,
			// Durban's and Fort Lauderdale's centres, from the shipped
			// GeoNames table.
			Locations: []report.Location{{Name: "Durban", GeoNames: "1007311", Lat: -29.8579, Lon: 31.0292},
				{Name: "Fort Lauderdale", Role: report.LocationResource, GeoNames: "4155966", Lat: 26.12231, Lon: -80.14338}},
			Documents: []report.Document{{URL: "https://stage.icma.org/programs-and-projects/durban-southeast-florida-climate-change-partnership-citylinks",
				Title: "Durban – Southeast Florida Climate Change Partnership (ICMA project page)", Category: report.DocumentWebPage, Format: "text/html", Language: "en"}},
			Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Country: "ZA",
			PlannedStart: d(2013, 1, 1), PlannedEnd: d(2015, 12, 31), ActualStart: d(2013, 7, 1),
			Status: report.StatusImplementation, Schedule: report.Quarterly,
			Participants: []report.ParticipatingOrg{usaid(), icma(),
				{Organization: "fort-lauderdale", Name: "City of Fort Lauderdale and Broward County, FL", Role: report.RoleImplementing, Type: "11", PartyRole: "resource"},
				{Organization: "ethekwini", Name: "eThekwini Municipality (Durban)", Role: report.RoleImplementing, Type: "11", PartyRole: "host"}},
			Sectors:       []report.Sector{{Code: "41010", Percentage: 60}, {Code: "43060", Percentage: 40}},
			PolicyMarkers: []report.PolicyMarker{{Code: "7", Significance: "2"}},
			Objectives: []report.Objective{
				{Code: "obj-1", Text: "A regional climate compact for eThekwini and its neighbours", Indicators: []string{"CL-CLIM-01", "CL-CLIM-04"}},
				{Code: "obj-2", Text: "Municipal staff able to plan for adaptation", Indicators: []string{"CL-CLIM-02"}},
			},
		},
		{
			ID: Legazpi, Title: "Legazpi – Fort Lauderdale climate adaptation partnership",
			Locations: []report.Location{{Name: "Legazpi", GeoNames: "1706889", Lat: 13.14125, Lon: 123.74073},
				{Name: "Fort Lauderdale", Role: report.LocationResource, GeoNames: "4155966", Lat: 26.12231, Lon: -80.14338}},
			Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Country: "PH",
			PlannedStart: d(2014, 4, 1), PlannedEnd: d(2015, 9, 30), ActualStart: d(2014, 6, 16), ActualEnd: d(2015, 9, 30),
			Status: report.StatusFinalisation, Schedule: report.Quarterly,
			Participants: []report.ParticipatingOrg{usaid(), icma(),
				{Organization: "fort-lauderdale", Name: "City of Fort Lauderdale, FL", Role: report.RoleImplementing, Type: "11", PartyRole: "resource"},
				{Organization: "legazpi", Name: "City Government of Legazpi", Role: report.RoleImplementing, Type: "11", PartyRole: "host"}},
			Sectors:       []report.Sector{{Code: "43060", Percentage: 70}, {Code: "14022", Percentage: 30}},
			PolicyMarkers: []report.PolicyMarker{{Code: "7", Significance: "2"}, {Code: "10", Significance: "1"}},
			Objectives: []report.Objective{
				{Code: "obj-1", Text: "Stormwater and disaster-risk planning", Indicators: []string{"CL-CLIM-03", "CL-CLIM-02"}},
			},
		},
		{
			ID: Telavi, Title: "Telavi – Catawba County solid waste partnership",
			Locations: []report.Location{{Name: "Telavi", GeoNames: "611694", Lat: 41.91957, Lon: 45.47002},
				{Name: "Hickory", Role: report.LocationResource, GeoNames: "4470778", Lat: 35.73319, Lon: -81.3412}},
			Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusBasicServices, Country: "GE",
			PlannedStart: d(2015, 1, 1), PlannedEnd: d(2016, 12, 31), ActualStart: d(2015, 7, 24),
			Status: report.StatusImplementation, Schedule: report.Annual,
			Participants: []report.ParticipatingOrg{usaid(), icma(),
				{Organization: "catawba-county", Name: "Catawba County, NC", Role: report.RoleImplementing, Type: "11", PartyRole: "resource"},
				{Organization: "telavi", Name: "Telavi Municipality", Role: report.RoleImplementing, Type: "11", PartyRole: "host"}},
			Sectors: []report.Sector{{Code: "14050", Percentage: 100}},
			Objectives: []report.Objective{
				{Code: "obj-1", Text: "Controlled disposal of municipal solid waste", Indicators: []string{"CL-BASIC-01", "CL-MGMT-01"}},
			},
		},
	}
}

func obs(id, part, ind string, k report.Kind, p report.Period, v float64, dis report.Disaggregation, comment string) report.Observation {
	return report.Observation{ID: id, Partnership: part, Indicator: ind, Kind: k, Period: p, Value: v,
		Disaggregation: dis, Comment: comment, Source: "fixture", Reporter: Coordinator.ID}
}

// Observations returns the fixture's observations: baselines, targets and
// actuals by quarter and year, totals and breakdowns by sex and age group,
// and qualitative values.
func Observations() []report.Observation {
	q := report.Quarter
	y := report.Year
	f := report.Disaggregation{"sex": "female"}
	m := report.Disaggregation{"sex": "male"}
	return []report.Observation{
		// Durban: staff trained (sum), quarterly, with a breakdown by sex.
		obs("dur-02-b", Durban, "CL-CLIM-02", report.KindBaseline, y(2012), 0, nil, ""),
		obs("dur-02-t14", Durban, "CL-CLIM-02", report.KindTarget, y(2014), 40, nil, ""),
		obs("dur-02-a14q1", Durban, "CL-CLIM-02", report.KindActual, q(2014, 1), 8, nil, ""),
		obs("dur-02-a14q2", Durban, "CL-CLIM-02", report.KindActual, q(2014, 2), 12, nil, ""),
		obs("dur-02-a14q3", Durban, "CL-CLIM-02", report.KindActual, q(2014, 3), 9, nil, ""),
		obs("dur-02-a14q4", Durban, "CL-CLIM-02", report.KindActual, q(2014, 4), 7, nil, "two trainings moved to 2015"),
		obs("dur-02-t15", Durban, "CL-CLIM-02", report.KindTarget, y(2015), 30, nil, ""),
		obs("dur-02-a15q1", Durban, "CL-CLIM-02", report.KindActual, q(2015, 1), 14, nil, ""),
		obs("dur-02-a15q2", Durban, "CL-CLIM-02", report.KindActual, q(2015, 2), 11, nil, ""),
		obs("dur-02-a14-f", Durban, "CL-CLIM-02", report.KindActual, y(2014), 19, f, ""),
		obs("dur-02-a14-m", Durban, "CL-CLIM-02", report.KindActual, y(2014), 17, m, ""),
		obs("dur-02-t14-f", Durban, "CL-CLIM-02", report.KindTarget, y(2014), 20, f, ""),
		obs("dur-02-t14-m", Durban, "CL-CLIM-02", report.KindTarget, y(2014), 20, m, ""),
		// Durban: workshop participants by sex and age group.
		obs("dur-04-a14-fy", Durban, "CL-CLIM-04", report.KindActual, y(2014), 12, report.Disaggregation{"sex": "female", "age-group": "15-34"}, ""),
		obs("dur-04-a14-fo", Durban, "CL-CLIM-04", report.KindActual, y(2014), 9, report.Disaggregation{"sex": "female", "age-group": "35+"}, ""),
		obs("dur-04-a14-my", Durban, "CL-CLIM-04", report.KindActual, y(2014), 10, report.Disaggregation{"sex": "male", "age-group": "15-34"}, ""),
		obs("dur-04-a14-mo", Durban, "CL-CLIM-04", report.KindActual, y(2014), 15, report.Disaggregation{"sex": "male", "age-group": "35+"}, ""),
		obs("dur-04-t14", Durban, "CL-CLIM-04", report.KindTarget, y(2014), 40, nil, ""),
		obs("dur-04-a14", Durban, "CL-CLIM-04", report.KindActual, y(2014), 46, nil, "46 participants fed the Climate Action Plan"),
		// Durban: a qualitative indicator.
		obs("dur-01-t15", Durban, "CL-CLIM-01", report.KindTarget, y(2015), 0, nil, "Regional compact signed by the participating municipalities"),
		obs("dur-01-a15", Durban, "CL-CLIM-01", report.KindActual, q(2015, 2), 0, nil, "Draft compact circulated to neighbouring municipalities"),
		// Legazpi: a latest-aggregated count and training.
		obs("leg-03-b", Legazpi, "CL-CLIM-03", report.KindBaseline, y(2013), 0, nil, ""),
		obs("leg-03-t", Legazpi, "CL-CLIM-03", report.KindTarget, y(2015), 1, nil, ""),
		obs("leg-03-a15q1", Legazpi, "CL-CLIM-03", report.KindActual, q(2015, 1), 0, nil, ""),
		obs("leg-03-a15q3", Legazpi, "CL-CLIM-03", report.KindActual, q(2015, 3), 1, nil, "Adopted by the city council"),
		obs("leg-02-t15", Legazpi, "CL-CLIM-02", report.KindTarget, y(2015), 25, nil, ""),
		obs("leg-02-a15q1", Legazpi, "CL-CLIM-02", report.KindActual, q(2015, 1), 10, nil, ""),
		obs("leg-02-a15q2", Legazpi, "CL-CLIM-02", report.KindActual, q(2015, 2), 6, nil, ""),
		// Telavi: a percentage that should go up, annual schedule.
		obs("tel-b01-b", Telavi, "CL-BASIC-01", report.KindBaseline, y(2014), 35, nil, "2014 municipal waste survey"),
		obs("tel-b01-t", Telavi, "CL-BASIC-01", report.KindTarget, y(2015), 55, nil, ""),
		obs("tel-b01-a", Telavi, "CL-BASIC-01", report.KindActual, y(2015), 47.5, nil, ""),
		obs("tel-m01-t", Telavi, "CL-MGMT-01", report.KindTarget, y(2015), 20, nil, ""),
		obs("tel-m01-a-f", Telavi, "CL-MGMT-01", report.KindActual, y(2015), 11, f, ""),
		obs("tel-m01-a-m", Telavi, "CL-MGMT-01", report.KindActual, y(2015), 13, m, ""),
		obs("tel-m01-a", Telavi, "CL-MGMT-01", report.KindActual, y(2015), 24, nil, ""),
	}
}

// Contributions returns volunteer hours and in-kind value for the fixture.
func Contributions() []report.Contribution {
	usd := func(cents int64) citylinks.Money { return citylinks.Money{Amount: cents, Currency: "USD"} }
	return []report.Contribution{
		{ID: "c-dur-1", Partnership: Durban, Organization: "fort-lauderdale", Date: d(2013, 7, 20), Hours: 320, InKind: usd(4_800_000), Description: "Staff time on the July 2013 exchange"},
		{ID: "c-dur-2", Partnership: Durban, Organization: "fort-lauderdale", Date: d(2014, 3, 1), Hours: 85.5},
		{ID: "c-leg-1", Partnership: Legazpi, Organization: "fort-lauderdale", Date: d(2014, 6, 23), Hours: 140, InKind: usd(1_250_050), Description: "Hosting the Legazpi delegation"},
		{ID: "c-tel-1", Partnership: Telavi, Organization: "catawba-county", Date: d(2015, 7, 31), Hours: 210, InKind: usd(990_000)},
	}
}

// Frameworks returns two results frameworks for the fixture, ordered by
// id: a USAID-style framework for the CityLinks 2011–2016 program's climate
// purpose, and Telavi's own on the CityLinks template.
func Frameworks() []report.Framework {
	return []report.Framework{
		{
			ID: "cl11-climate", Title: "Climate-related governance", Program: citylinks.ProgramCityLinks2011, Template: report.USAIDTemplate(),
			Levels: []report.Level{
				{ID: "so", Title: "Climate-related governance and systems improved in targeted urban areas"},
				{ID: "ir1", Parent: "so", Title: "Cities plan for climate risk", Assumptions: "Councils stay committed after elections"},
				{ID: "ir1.1", Parent: "ir1", Title: "Municipal staff able to plan for adaptation"},
				{ID: "ir2", Parent: "so", Title: "Stakeholders take part in climate planning"},
			},
			Placed: []report.Placement{{Indicator: "CL-CLIM-03", Level: "ir1"}, {Indicator: "CL-CLIM-02", Level: "ir1.1"}, {Indicator: "CL-CLIM-04", Level: "ir2"}},
		},
		{
			ID: "tel", Title: "Telavi work plan", Partnership: Telavi, Template: report.CityLinksTemplate(),
			Levels: []report.Level{{ID: "p", Title: "Basic services"}, {ID: "o", Parent: "p", Title: "Controlled disposal of municipal solid waste"}},
			Placed: []report.Placement{{Indicator: "CL-BASIC-01", Level: "o"}, {Indicator: "CL-MGMT-01", Level: "p"}},
		},
	}
}

// Load defines the starter catalogue, registers the activities and records
// the observations and contributions through svc, as the fixture's
// facilitator.
func Load(ctx context.Context, svc *report.Service) error {
	if err := svc.DefineStarterCatalogue(ctx, Facilitator); err != nil {
		return err
	}
	for _, a := range Activities() {
		if err := svc.RegisterActivity(ctx, Facilitator, a); err != nil {
			return err
		}
	}
	if err := svc.Record(ctx, Facilitator, Observations()...); err != nil {
		return err
	}
	return svc.RecordContributions(ctx, Facilitator, Contributions()...)
}

// Review takes the loaded fixture through review so that every approval
// state shows: approved periods (Durban 2015-Q1 and 2014, which covers its
// quarters; Telavi 2015), a returned one (Legazpi 2015-Q3), a submitted
// one (Legazpi 2015-Q1) and drafts (Durban 2015-Q2, Legazpi 2015-Q2).
// Call it after Load.
func Review(ctx context.Context, svc *report.Service) error {
	for _, a := range []struct {
		actor       citylinks.Actor
		partnership string
		period      report.Period
	}{
		{Coordinator, Durban, report.Quarter(2015, 1)},
		{Coordinator, Durban, report.Year(2014)},
		{Facilitator, Telavi, report.Year(2015)},
	} {
		if _, err := svc.Submit(ctx, a.actor, a.partnership, a.period); err != nil {
			return err
		}
		if _, err := svc.Approve(ctx, Monitor, a.partnership, a.period); err != nil {
			return err
		}
	}
	if _, err := svc.Submit(ctx, Coordinator, Legazpi, report.Quarter(2015, 3)); err != nil {
		return err
	}
	if _, err := svc.Return(ctx, Monitor, Legazpi, report.Quarter(2015, 3), `Add the council resolution <number> & date`); err != nil {
		return err
	}
	_, err := svc.Submit(ctx, Coordinator, Legazpi, report.Quarter(2015, 1))
	return err
}

// LoadSynthetic stores a data set from Synthetic in svc as Facilitator:
// the starter catalogue, the activities, then the observations.
func LoadSynthetic(ctx context.Context, svc *report.Service, acts []report.Activity, obs []report.Observation) error {
	if err := svc.DefineStarterCatalogue(ctx, Facilitator); err != nil {
		return err
	}
	for _, a := range acts {
		if err := svc.RegisterActivity(ctx, Facilitator, a); err != nil {
			return err
		}
	}
	return svc.Record(ctx, Facilitator, obs...)
}

// Synthetic returns a large deterministic data set for benchmarks:
// partnerships activities spread over the focus areas, 40 countries and
// one program, each with obsPer observations of sum- and mean-aggregated
// starter indicators over quarters from 2011 to 2016 (targets over those years).
func Synthetic(partnerships, obsPer int) ([]report.Activity, []report.Observation) {
	countries := []string{"GH", "KE", "TZ", "ZA", "ET", "UG", "MW", "MZ", "RW", "SN", "ML", "LR", "ZM", "NG", "BJ", "BW",
		"NA", "LS", "SZ", "SL", "BI", "CD", "IN", "BD", "NP", "KH", "ID", "PH", "VN", "TH", "GE", "UA", "GT", "HN", "HT",
		"NI", "DO", "JM", "TJ", "AF"}
	var inds []report.Indicator
	for _, in := range report.StarterCatalogue() {
		if in.Aggregation != report.Latest && in.Measure != report.MeasureQualitative {
			inds = append(inds, in)
		}
	}
	acts := make([]report.Activity, partnerships)
	var all []report.Observation
	targets := map[string]bool{}
	state := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 { // xorshift64*
		state ^= state >> 12
		state ^= state << 25
		state ^= state >> 27
		return state * 2685821657736338717
	}
	for i := range acts {
		in := inds[i%len(inds)]
		acts[i] = report.Activity{
			ID: fmt.Sprintf("P%06d", i), Title: fmt.Sprintf("Synthetic partnership %d", i),
			Program: citylinks.ProgramCityLinks2011, FocusArea: in.FocusArea, Country: countries[i%len(countries)],
			PlannedStart: d(2011, 1, 1), PlannedEnd: d(2016, 12, 31), Status: report.StatusImplementation,
			Participants: []report.ParticipatingOrg{usaid(), {Name: "Synthetic city", Role: report.RoleImplementing, Type: "11"}},
			Sectors:      []report.Sector{{Code: "43030", Percentage: 100}},
			Objectives:   []report.Objective{{Code: "o1", Text: "Synthetic objective", Indicators: []string{in.Code, inds[(i+1)%len(inds)].Code}}},
		}
		for j := range obsPer {
			r := next()
			ind := acts[i].Objectives[0].Indicators[j%2]
			kind := report.Kinds()[1+int(r%2)]
			p := report.Quarter(2011+int(r>>8%6), 1+int(r>>16%4))
			if kind == report.KindTarget {
				// Targets are annual, as the starter catalogue sets them.
				// A cell holds one target: later draws of a used cell are
				// actuals.
				p = report.Year(p.Start.Year)
				cell := acts[i].ID + ind + p.String()
				if targets[cell] {
					kind = report.KindActual
				}
				targets[cell] = true
			}
			v := float64(r >> 24 % 100)
			all = append(all, report.Observation{ID: fmt.Sprintf("P%06d-%06d", i, j), Partnership: acts[i].ID,
				Indicator: ind, Kind: kind, Period: p, Value: v, Reporter: "bench"})
		}
	}
	return acts, all
}

// Stored returns every observation in s, by id, paging through
// ListObservations; a test compares it before and after an operation
// to show what the operation wrote.
func Stored(ctx context.Context, s report.Store) (map[string]report.Observation, error) {
	out := map[string]report.Observation{}
	f := report.ObservationFilter{Limit: citylinks.MaxPageSize}
	for {
		p, err := s.ListObservations(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, o := range p.Items {
			out[o.ID] = o
		}
		if p.Next == "" {
			return out, nil
		}
		f.After = p.Next
	}
}
