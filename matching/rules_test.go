package matching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

// day builds a date for tests.
func day(y int, m time.Month, d int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: d} }

// subjectIn builds a host subject in a country, as of 2015-03-23 (the CAPP
// round-1 announcement).
func subjectIn(name, country string, pop int64) matching.Subject {
	return matching.Subject{
		Side:      matching.SideHost,
		City:      citylinks.City{ID: name, Name: name, Country: country, Population: pop},
		FocusArea: citylinks.FocusClimate,
		AsOf:      day(2015, time.March, 23),
	}
}

func designation(t *testing.T, id string) citylinks.Designation {
	t.Helper()
	d, err := citylinks.LookupDesignation(id)
	require.NoError(t, err)
	return d
}

type ruleCase struct {
	name     string
	rule     matching.Rule
	subject  matching.Subject
	eligible bool
	reasons  []string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.rule.Check(tc.subject)
			assert.Equal(t, tc.eligible, v.Eligible, "Check(%s).Eligible; reasons %q", tc.subject.City.Name, v.Reasons)
			assert.Equal(t, tc.reasons, v.Reasons, "Check(%s).Reasons", tc.subject.City.Name)
		})
	}
}

func TestOnDesignation(t *testing.T) {
	ftf := designation(t, citylinks.DesignationFeedTheFuture2010)
	ghi2 := designation(t, citylinks.DesignationGHIRound2)
	early := subjectIn("Dar es Salaam", "TZ", 4_364_541)
	early.AsOf = day(2011, time.June, 1)
	custom, err := citylinks.NewDesignation(citylinks.Designation{ID: "capp-2015", Name: "CAPP 2015 host countries", Countries: []string{"IN", "JM"}, Effective: day(2015, 1, 6), Until: day(2015, 12, 31)})
	require.NoError(t, err)
	late := subjectIn("Shimla", "IN", 171_817)
	late.AsOf = day(2016, 3, 1)
	runRuleCases(t, []ruleCase{
		{"On", matching.OnDesignation(ftf), subjectIn("La Ceiba", "HN", 197_267), true,
			[]string{"Honduras is on the list of Feed the Future focus countries (2010)"}},
		{"Off", matching.OnDesignation(ftf), subjectIn("Lima", "PE", 7_737_002), false,
			[]string{"Peru is not on the list of Feed the Future focus countries (2010)"}},
		{"NotYetInEffect", matching.OnDesignation(ghi2), early, false,
			[]string{"as of 2011-06-01 the list of Global Health Initiative second-round countries (2011) was not yet in effect (it dates from 2011-11-05)"}},
		{"InEffect", matching.OnDesignation(ghi2), subjectIn("Dar es Salaam", "TZ", 4_364_541), true,
			[]string{"Tanzania is on the list of Global Health Initiative second-round countries (2011)"}},
		{"Ended", matching.OnDesignation(custom), late, false,
			[]string{"as of 2016-03-01 the list of CAPP 2015 host countries no longer applied (it ended on 2015-12-31)"}},
		{"UnknownCountry", matching.OnDesignation(ftf), subjectIn("Nowhere", "", 1), false,
			[]string{`"" is not on the list of Feed the Future focus countries (2010)`}},
	})
}

func TestIncomeGroupIn(t *testing.T) {
	developing := []citylinks.IncomeGroup{citylinks.IncomeLow, citylinks.IncomeLowerMiddle, citylinks.IncomeUpperMiddle}
	asOf := func(s matching.Subject, d citylinks.Date) matching.Subject { s.AsOf = d; return s }
	july := asOf(subjectIn("Caracas", "VE", 1_815_679), day(2015, time.July, 1)) // FY16, when Venezuela was high income
	nairobi := subjectIn("Nairobi", "KE", 2_750_547)
	const devText = " (the rule asks for low income, lower-middle income or upper-middle income)"
	fy27 := matching.MissingData{FiscalYear: 2027, First: 1989, Last: 2026}
	runRuleCases(t, []ruleCase{
		{"LowerMiddle", matching.IncomeGroupIn(0, developing...), subjectIn("La Ceiba", "HN", 197_267), true,
			[]string{"the World Bank classified Honduras as lower-middle income in FY15"}},
		{"High", matching.IncomeGroupIn(0, developing...), subjectIn("Boulder", "US", 108_250), false,
			[]string{"the World Bank classified United States as high income in FY15" + devText}},
		{"FiscalYearFromAsOf", matching.IncomeGroupIn(0, developing...), july, false,
			[]string{"the World Bank classified Venezuela as high income in FY16" + devText}},
		{"FixedFiscalYear", matching.IncomeGroupIn(2014, developing...), july, true,
			[]string{"the World Bank classified Venezuela as upper-middle income in FY14"}},
		{"NotClassified", matching.IncomeGroupIn(0, developing...), asOf(july, day(2022, time.July, 1)), false,
			[]string{"the World Bank did not classify Venezuela by income in FY23" + devText}},
		{"NotClassifiedFY26", matching.IncomeGroupIn(0, citylinks.IncomeLow), asOf(subjectIn("Addis Ababa", "ET", 2_757_729), day(2025, time.July, 1)), false,
			[]string{"the World Bank did not classify Ethiopia by income in FY26 (the rule asks for low income)"}},
		{"NoDataBeforeIndependence", matching.IncomeGroupIn(2012, citylinks.IncomeLow), subjectIn("Juba", "SS", 300_000), false,
			[]string{"the World Bank has no income group for South Sudan in FY12 (the rule asks for low income)"}},
		{"NoDataNotCovered", matching.IncomeGroupIn(0, developing...), subjectIn("The Valley", "AI", 1_379), false,
			[]string{"the World Bank has no income group for Anguilla in FY15" + devText}},
		{"NoDataAllowed", matching.IncomeGroupIn(0, citylinks.IncomeNoData), subjectIn("The Valley", "AI", 1_379), true,
			[]string{"the World Bank has no income group for Anguilla in FY15"}},
		{"Kosovo", matching.IncomeGroupIn(0, developing...), subjectIn("Pristina", "XK", 550_000), true,
			[]string{"the World Bank classified Kosovo as lower-middle income in FY15"}},
		{"UnknownCountry", matching.IncomeGroupIn(0, developing...), subjectIn("X", "ZZ", 1), false,
			[]string{`"ZZ" is not a known country`}},
		{"UnknownCountryAfterTheData", matching.IncomeGroupIn(0, developing...), asOf(subjectIn("X", "ZZ", 1), day(2026, time.December, 3)), false,
			[]string{`"ZZ" is not a known country`}},
		// The edges of the data: FY1989 begins on 1988-07-01, FY2026 ends on 2026-06-30.
		{"FirstDay", matching.IncomeGroupIn(0, developing...), asOf(nairobi, day(1988, time.July, 1)), true,
			[]string{"the World Bank classified Kenya as low income in FY89"}},
		{"LastDay", matching.IncomeGroupIn(0, developing...), asOf(nairobi, day(2026, time.June, 30)), true,
			[]string{"the World Bank classified Kenya as lower-middle income in FY26"}},
		{"CostaRicaFY26", matching.IncomeGroupIn(0, developing...), asOf(subjectIn("San José", "CR", 335_007), day(2025, time.December, 1)), false,
			[]string{"the World Bank classified Costa Rica as high income in FY26" + devText}},
	})

	for _, tc := range []struct {
		name    string
		rule    matching.Rule
		subject matching.Subject
		missing []matching.MissingData
		reason  string
	}{
		{"AfterTheData", matching.IncomeGroupIn(0, developing...), asOf(nairobi, day(2026, time.July, 1)), []matching.MissingData{fy27},
			"the income group of Kenya is not known: no World Bank income classification for FY27 (the income table ends at FY26); supply FY27 with a citylinks.IncomeTable (Set or ReadCSV), or judge as of 2026-06-30 or earlier"},
		{"Today", matching.IncomeGroupIn(0, developing...), asOf(nairobi, day(2026, time.December, 3)), []matching.MissingData{fy27},
			"the income group of Kenya is not known: no World Bank income classification for FY27 (the income table ends at FY26); supply FY27 with a citylinks.IncomeTable (Set or ReadCSV), or judge as of 2026-06-30 or earlier"},
		{"FixedYearAfterTheData", matching.IncomeGroupIn(2030, citylinks.IncomeHigh), nairobi, []matching.MissingData{{FiscalYear: 2030, First: 1989, Last: 2026}},
			"the income group of Kenya is not known: no World Bank income classification for FY30 (the income table ends at FY26); supply FY30 with a citylinks.IncomeTable (Set or ReadCSV), or judge as of 2026-06-30 or earlier"},
		{"BeforeTheData", matching.IncomeGroupIn(0, developing...), asOf(nairobi, day(1988, time.June, 30)), []matching.MissingData{{FiscalYear: 1988, First: 1989, Last: 2026}},
			"the income group of Kenya is not known: no World Bank income classification for FY88 (the income table begins at FY89); judge as of 1988-07-01 or later"},
		{"EmptyTable", matching.IncomeGroupFrom(&citylinks.IncomeTable{}, 0, developing...), nairobi, []matching.MissingData{{FiscalYear: 2015}},
			"the income group of Kenya is not known: no World Bank income classification for FY15 (the income table is empty); supply FY15 with a citylinks.IncomeTable (Set or ReadCSV)"},
		{"NotKeepsItUndecided", matching.Not(matching.IncomeGroupIn(0, citylinks.IncomeHigh)), asOf(nairobi, day(2026, time.July, 1)), []matching.MissingData{fy27},
			"the income group of Kenya is not known: no World Bank income classification for FY27 (the income table ends at FY26); supply FY27 with a citylinks.IncomeTable (Set or ReadCSV), or judge as of 2026-06-30 or earlier"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.rule.Check(tc.subject)
			assert.False(t, v.Eligible)
			assert.True(t, v.Undecided())
			assert.Equal(t, tc.missing, v.Missing)
			assert.Equal(t, []string{tc.reason}, v.Reasons)
			assert.Equal(t, "no World Bank income classification for "+tc.missing[0].FiscalYear.String(), v.Missing[0].String()[:len("no World Bank income classification for FY00")])
		})
	}
}

func TestIncomeGroupFrom(t *testing.T) {
	income := citylinks.ShippedIncome().Clone()
	require.NoError(t, income.Set("KE", 2027, citylinks.IncomeUpperMiddle))
	rule := matching.IncomeGroupFrom(income, 0, citylinks.IncomeLowerMiddle)
	nairobi := subjectIn("Nairobi", "KE", 2_750_547)
	nairobi.AsOf = day(2026, time.December, 3)
	v := rule.Check(nairobi)
	assert.False(t, v.Undecided())
	assert.Equal(t, matching.Verdict{Reasons: []string{"the World Bank classified Kenya as upper-middle income in FY27 (the rule asks for lower-middle income)"}}, v)

	// The rule keeps the table as it was.
	require.NoError(t, income.Set("KE", 2027, citylinks.IncomeLowerMiddle))
	assert.False(t, rule.Check(nairobi).Eligible)
	assert.True(t, matching.IncomeGroupFrom(income, 0, citylinks.IncomeLowerMiddle).Check(nairobi).Eligible)

	// A year the table holds with no group for the economy is no data, not
	// missing: the supplier said what FY27 holds.
	tz := subjectIn("Dodoma", "TZ", 410_956)
	tz.AsOf = nairobi.AsOf
	v = matching.IncomeGroupFrom(income, 0, citylinks.IncomeNoData).Check(tz)
	assert.Equal(t, matching.Verdict{Eligible: true, Reasons: []string{"the World Bank has no income group for Tanzania in FY27"}}, v)
}

func TestPopulationBetween(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"Within", matching.PopulationBetween(50_000, 5_000_000), subjectIn("Shimla", "IN", 171_817), true,
			[]string{"Shimla (India) has 171,817 people, within 50,000–5,000,000"}},
		{"Below", matching.PopulationBetween(50_000, 0), subjectIn("Telavi", "GE", 19_629), false,
			[]string{"Telavi (Georgia) has 19,629 people, fewer than the minimum of 50,000"}},
		{"Above", matching.PopulationBetween(0, 1_000_000), subjectIn("Durban", "ZA", 3_120_282), false,
			[]string{"Durban (South Africa) has 3,120,282 people, more than the maximum of 1,000,000"}},
		{"AtLeast", matching.PopulationBetween(50_000, 0), subjectIn("Durban", "ZA", 3_120_282), true,
			[]string{"Durban (South Africa) has 3,120,282 people, at least 50,000"}},
		{"AtMost", matching.PopulationBetween(0, 1_000_000), subjectIn("Shimla", "IN", 171_817), true,
			[]string{"Shimla (India) has 171,817 people, at most 1,000,000"}},
		{"Unknown", matching.PopulationBetween(1, 0), subjectIn("Nablus", "PS", 0), false,
			[]string{"the population of Nablus (Palestinian Territory) is not known (the rule asks for at least 1)"}},
		{"Bounds", matching.PopulationBetween(171_817, 171_817), subjectIn("Shimla", "IN", 171_817), true,
			[]string{"Shimla (India) has 171,817 people, within 171,817–171,817"}},
	})
}

// ftlBroward is the composite resource party of the Durban partnership.
var ftlBroward = &citylinks.Organization{
	ID: "ftl-broward", Name: "Fort Lauderdale + Broward County", Kind: citylinks.KindConsortium, Country: "US",
	Members: []citylinks.Member{{ID: "ftl", Name: "Fort Lauderdale", Kind: citylinks.KindCity}, {ID: "broward", Name: "Broward County", Kind: citylinks.KindCounty}},
}

func resourceSubject(name string, org *citylinks.Organization) matching.Subject {
	s := subjectIn(name, "US", 180_000)
	s.Side = matching.SideResource
	s.Organization = org
	return s
}

func TestOrganizationKindIn(t *testing.T) {
	ngo := &citylinks.Organization{ID: "isc", Name: "Institute for Sustainable Communities", Kind: citylinks.KindNGO}
	rule := matching.OrganizationKindIn(citylinks.KindCity, citylinks.KindCounty)
	runRuleCases(t, []ruleCase{
		{"OwnGovernment", rule, resourceSubject("Boulder", nil), true,
			[]string{"the government of Boulder (United States) is a city"}},
		{"NGO", rule, resourceSubject("Montpelier", ngo), false,
			[]string{"Institute for Sustainable Communities is an NGO (the rule asks for a city or a county)"}},
		{"CompositeByOwnKind", rule, resourceSubject("Fort Lauderdale", ftlBroward), false,
			[]string{"Fort Lauderdale + Broward County is a consortium of local governments (the rule asks for a city or a county)"}},
	})
}

func TestLocalGovernment(t *testing.T) {
	uni := &citylinks.Organization{ID: "cu", Name: "University of Colorado", Kind: citylinks.KindUniversity}
	mixed := &citylinks.Organization{ID: "mix", Name: "Boulder + University of Colorado", Kind: citylinks.KindConsortium,
		Members: []citylinks.Member{{ID: "b", Name: "Boulder", Kind: citylinks.KindCity}, {ID: "cu", Name: "University of Colorado", Kind: citylinks.KindUniversity}}}
	county := &citylinks.Organization{ID: "catawba", Name: "Catawba County", Kind: citylinks.KindCounty}
	runRuleCases(t, []ruleCase{
		{"OwnGovernment", matching.LocalGovernment(), resourceSubject("Boulder", nil), true,
			[]string{"the government of Boulder (United States) is a local government (city)"}},
		{"County", matching.LocalGovernment(), resourceSubject("Hickory", county), true,
			[]string{"Catawba County is a local government (county)"}},
		{"Composite", matching.LocalGovernment(), resourceSubject("Fort Lauderdale", ftlBroward), true,
			[]string{"Fort Lauderdale + Broward County is a composite party of local governments (city and county)"}},
		{"University", matching.LocalGovernment(), resourceSubject("Boulder", uni), false,
			[]string{"University of Colorado is a university, not a local government"}},
		{"CompositeWithUniversity", matching.LocalGovernment(), resourceSubject("Boulder", mixed), false,
			[]string{"Boulder + University of Colorado is a composite party whose members include University of Colorado (university), not a local government"}},
	})
}

func TestInRegion(t *testing.T) {
	africa, err := matching.ParseM49Area("africa")
	require.NoError(t, err)
	assert.Equal(t, "002", africa)
	ssa, err := matching.ParseM49Area("202")
	require.NoError(t, err)
	_, err = matching.ParseM49Area("Atlantis")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
	runRuleCases(t, []ruleCase{
		{"Region", matching.InRegion(africa), subjectIn("Durban", "ZA", 3_120_282), true,
			[]string{"South Africa is in Africa (UN M49 002)"}},
		{"SubRegion", matching.InRegion("419", ssa), subjectIn("Durban", "ZA", 3_120_282), true,
			[]string{"South Africa is in Sub-Saharan Africa (UN M49 202)"}},
		{"Elsewhere", matching.InRegion(africa, "142"), subjectIn("Lima", "PE", 7_737_002), false,
			[]string{"Peru is in Latin America and the Caribbean (UN M49 419), not in Africa (002) or Asia (142)"}},
		{"NoArea", matching.InRegion(africa), subjectIn("Pristina", "XK", 550_000), false,
			[]string{"Kosovo has no UN M49 region (the rule asks for Africa (002))"}},
	})
}

func TestNotPartnered(t *testing.T) {
	durban := subjectIn("Durban", "ZA", 3_120_282)
	durban.AsOf = day(2014, time.June, 1)
	durban.Partnerships = []matching.Existing{
		{ID: "CL11-DUR-FTL", HostID: "Durban", ResourceID: "ftl", FocusArea: citylinks.FocusClimate, Start: day(2013, time.July, 1)},
		{ID: "CL11-DAR-DUR", HostID: "Dar es Salaam", ResourceID: "Durban", FocusArea: citylinks.FocusClimate, Start: day(2014, 1, 1), End: day(2016, 9, 30)},
	}
	asResource := durban
	asResource.Side = matching.SideResource
	otherFocus := durban
	otherFocus.FocusArea = citylinks.FocusWaterSanitation
	before := durban
	before.AsOf = day(2013, time.June, 30)
	ended := durban
	ended.Partnerships = []matching.Existing{{HostID: "Durban", FocusArea: citylinks.FocusClimate, End: day(2014, 5, 31)}}
	runRuleCases(t, []ruleCase{
		{"OpenAsHost", matching.NotPartnered(), durban, false,
			[]string{"Durban (South Africa) is already the host of open partnership CL11-DUR-FTL in climate-related governance since 2013-07-01"}},
		{"OpenAsResource", matching.NotPartnered(), asResource, false,
			[]string{"Durban (South Africa) is already the resource of open partnership CL11-DAR-DUR in climate-related governance since 2014-01-01"}},
		{"OtherFocus", matching.NotPartnered(), otherFocus, true,
			[]string{"Durban (South Africa) has no open partnership in urban water supply and sanitation as a host on 2014-06-01"}},
		{"NotStarted", matching.NotPartnered(), before, true,
			[]string{"Durban (South Africa) has no open partnership in climate-related governance as a host on 2013-06-30"}},
		{"Ended", matching.NotPartnered(), ended, true,
			[]string{"Durban (South Africa) has no open partnership in climate-related governance as a host on 2014-06-01"}},
	})
}

func TestCombinators(t *testing.T) {
	ftf := matching.OnDesignation(designation(t, citylinks.DesignationFeedTheFuture2010))
	big := matching.PopulationBetween(100_000, 0)
	silent := matching.RuleFunc(func(matching.Subject) matching.Verdict { return matching.Verdict{} })
	honduras := subjectIn("La Ceiba", "HN", 197_267)
	peru := subjectIn("Piura", "PE", 325_466)
	small := subjectIn("Telavi", "GE", 19_629)
	const (
		hnFtF   = "Honduras is on the list of Feed the Future focus countries (2010)"
		peNoFtF = "Peru is not on the list of Feed the Future focus countries (2010)"
		geNoFtF = "Georgia is not on the list of Feed the Future focus countries (2010)"
		ceiba   = "La Ceiba (Honduras) has 197,267 people, at least 100,000"
		piura   = "Piura (Peru) has 325,466 people, at least 100,000"
		telavi  = "Telavi (Georgia) has 19,629 people, fewer than the minimum of 100,000"
	)
	runRuleCases(t, []ruleCase{
		{"AllPass", matching.All(ftf, big), honduras, true, []string{hnFtF, ceiba}},
		{"AllOneFails", matching.All(ftf, big), peru, false, []string{peNoFtF}},
		{"AllBothFail", matching.All(ftf, big), small, false, []string{geNoFtF, telavi}},
		{"AllEmpty", matching.All(), peru, true, []string{"no eligibility rule applies"}},
		{"AllSkipsNil", matching.All(nil, big), peru, true, []string{piura}},
		{"AllSilentFailure", matching.All(big, silent), peru, false, nil},
		{"AnyOnePasses", matching.Any(ftf, big), peru, true, []string{piura}},
		{"AnyBothPass", matching.Any(ftf, big), honduras, true, []string{hnFtF, ceiba}},
		{"AnyNonePasses", matching.Any(ftf, big), small, false, []string{geNoFtF, telavi}},
		{"AnyEmpty", matching.Any(), honduras, false, []string{"no alternative is allowed"}},
		{"Not", matching.Not(ftf), peru, true, []string{peNoFtF}},
		{"NotFails", matching.Not(ftf), honduras, false, []string{hnFtF}},
		{"NotNil", matching.Not(nil), honduras, false, []string{"no one is eligible"}},
		{"Nested", matching.All(matching.Not(ftf), matching.Any(big, silent)), peru, true, []string{peNoFtF, piura}},
	})
}

func TestPartnershipOpenOn(t *testing.T) {
	p := matching.Existing{Start: day(2014, 1, 1), End: day(2016, 9, 30)}
	for _, tc := range []struct {
		d    citylinks.Date
		open bool
	}{{day(2013, 12, 31), false}, {day(2014, 1, 1), true}, {day(2016, 9, 30), true}, {day(2016, 10, 1), false}} {
		assert.Equal(t, tc.open, p.OpenOn(tc.d), "OpenOn(%s)", tc.d)
	}
	assert.True(t, matching.Existing{}.OpenOn(day(1990, 1, 1)), "a partnership with no dates is open")
}

func TestSide(t *testing.T) {
	for _, s := range matching.AllSides() {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, matching.Side("peer").Valid())
}
