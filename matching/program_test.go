package matching_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

func cityLinks2011(t *testing.T) *matching.Eligibility {
	t.Helper()
	p, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	require.NoError(t, err)
	e, err := matching.ProgramEligibility(p, nil)
	require.NoError(t, err)
	return e
}

func TestCityLinks2011Eligibility(t *testing.T) {
	e := cityLinks2011(t)
	ngo := &citylinks.Organization{ID: "isc", Name: "Institute for Sustainable Communities", Kind: citylinks.KindNGO}
	at := func(s matching.Subject, focus string, asOf citylinks.Date) matching.Subject {
		s.FocusArea, s.AsOf = focus, asOf
		return s
	}
	mid2015 := day(2015, time.March, 23)
	cases := []struct {
		name     string
		subject  matching.Subject
		eligible bool
		reason   string // one of the reasons
	}{
		{"FoodSecurityFtF", at(subjectIn("La Ceiba", "HN", 197_267), citylinks.FocusFoodSecurity, mid2015), true, "Honduras is on the list of Feed the Future focus countries (2010)"},
		{"FoodSecurityPeru", at(subjectIn("Lima", "PE", 7_737_002), citylinks.FocusFoodSecurity, mid2015), false, "Peru is not on the list of Feed the Future focus countries (2010)"},
		{"FoodSecurityStrategicPartner", at(subjectIn("Pune", "IN", 3_124_458), citylinks.FocusFoodSecurity, mid2015), false, "India is not on the list of Feed the Future focus countries (2010)"},
		{"WaterGHIPlus", at(subjectIn("Nairobi", "KE", 2_750_547), citylinks.FocusWaterSanitation, day(2011, 10, 1)), true, "Kenya is on the list of Global Health Initiative Plus countries (2010)"},
		{"WaterRound2Before", at(subjectIn("Dar es Salaam", "TZ", 4_364_541), citylinks.FocusWaterSanitation, day(2011, 10, 1)), false, "as of 2011-10-01 the list of Global Health Initiative second-round countries (2011) was not yet in effect (it dates from 2011-11-05)"},
		{"WaterRound2After", at(subjectIn("Dar es Salaam", "TZ", 4_364_541), citylinks.FocusWaterSanitation, mid2015), true, "Tanzania is on the list of Global Health Initiative second-round countries (2011)"},
		{"WaterPeru", at(subjectIn("Lima", "PE", 7_737_002), citylinks.FocusWaterSanitation, mid2015), false, "Peru is not on the list of Global Health Initiative Plus countries (2010)"},
		{"ClimateDeveloping", at(subjectIn("Shimla", "IN", 171_817), citylinks.FocusClimate, mid2015), true, "the World Bank classified India as lower-middle income in FY15"},
		{"ClimateHighIncome", at(subjectIn("Townsville", "AU", 180_820), citylinks.FocusClimate, mid2015), false, "the World Bank classified Australia as high income in FY15 (the rule asks for low income, lower-middle income or upper-middle income)"},
		{"HostNotPartnered", at(subjectIn("Shimla", "IN", 171_817), citylinks.FocusClimate, mid2015), true, "Shimla (India) has no open partnership in climate-related governance as a host on 2015-03-23"},
		{"ResourceCity", at(resourceSubject("Boulder", nil), citylinks.FocusClimate, mid2015), true, "the government of Boulder (United States) is a local government (city)"},
		{"ResourceComposite", at(resourceSubject("Fort Lauderdale", ftlBroward), citylinks.FocusClimate, mid2015), true, "Fort Lauderdale + Broward County is a composite party of local governments (city and county)"},
		{"ResourceNGO", at(resourceSubject("Montpelier", ngo), citylinks.FocusClimate, mid2015), false, "Institute for Sustainable Communities is an NGO, not a local government"},
		{"ResourceAnyCountry", at(matching.Subject{Side: matching.SideResource, City: citylinks.City{ID: "dbn", Name: "Durban", Country: "ZA"}}, citylinks.FocusClimate, mid2015), true, "the government of Durban (South Africa) is a local government (city)"},
		{"Uncovered", at(subjectIn("Shimla", "IN", 171_817), citylinks.FocusOfficialSkills, mid2015), false, "the program does not cover skills of local officials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := e.Check(tc.subject)
			assert.Equal(t, tc.eligible, v.Eligible, "reasons: %q", v.Reasons)
			assert.Contains(t, v.Reasons, tc.reason)
		})
	}
	assert.True(t, e.Covers(citylinks.FocusClimate))
	assert.False(t, e.Covers(citylinks.FocusOfficialSkills))
}

func TestZeroEligibility(t *testing.T) {
	var e matching.Eligibility
	v := e.Check(subjectIn("Lima", "PE", 1))
	assert.True(t, v.Eligible)
	var nilE *matching.Eligibility
	assert.True(t, nilE.Check(subjectIn("Lima", "PE", 1)).Eligible)
}

const cappProgram = `{
  "id": "capp-2015",
  "name": "Climate Adaptation Partnership Program 2015",
  "funder": "USAID",
  "start": "2015-01-06",
  "end": "2016-09-30",
  "focus_areas": ["climate"],
  "eligibility": {
    "designations": [
      {"id": "capp-hosts", "name": "CAPP 2015 host countries", "countries": ["IN", "JM", "HN", "ID"],
       "effective": "2015-01-06", "sources": ["http://www.transformgov.org/articles/six-cities-chosen-climate-adaptation-partnership-program"]}
    ],
    "every_focus_area": {"resource": [{"local_government": true}, {"not": {"m49_region": ["Africa"]}}]},
    "focus_areas": {
      "climate": {
        "host": {"all": [
          {"designation": "capp-hosts"},
          {"population": {"min": 50000}},
          {"income_group": {"in": ["lower-middle", "upper-middle"], "fiscal_year": 2015}},
          {"organization_kind": ["city", "county"]},
          {"not_partnered": true}
        ]}
      }
    }
  }
}`

func TestLoadProgram(t *testing.T) {
	p, e, err := matching.LoadProgram(strings.NewReader(cappProgram), nil)
	require.NoError(t, err)
	assert.Equal(t, "capp-2015", p.ID)
	host := subjectIn("Shimla", "IN", 171_817)
	v := e.Check(host)
	assert.True(t, v.Eligible, v.Reasons)
	assert.Equal(t, []string{
		"India is on the list of CAPP 2015 host countries",
		"Shimla (India) has 171,817 people, at least 50,000",
		"the World Bank classified India as lower-middle income in FY15",
		"the government of Shimla (India) is a city",
		"Shimla (India) has no open partnership in climate-related governance as a host on 2015-03-23",
	}, v.Reasons)
	v = e.Check(subjectIn("Portmore", "JM", 0))
	assert.False(t, v.Eligible)
	assert.Equal(t, []string{"the population of Portmore (Jamaica) is not known (the rule asks for at least 50,000)"}, v.Reasons)

	res := resourceSubject("Durban", nil)
	res.City.Country = "ZA"
	v = e.Check(res)
	assert.False(t, v.Eligible)
	assert.Equal(t, []string{"South Africa is in Africa (UN M49 002)"}, v.Reasons)
	assert.True(t, e.Check(resourceSubject("Boulder", nil)).Eligible)
}

func TestBuiltinProgramRoundTrip(t *testing.T) {
	p, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	require.NoError(t, err)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	q, e, err := matching.LoadProgram(strings.NewReader(string(b)), nil)
	require.NoError(t, err)
	assert.Equal(t, p, q, "a built-in program survives MarshalJSON and LoadProgram unchanged")
	assert.False(t, e.Check(matching.Subject{Side: matching.SideHost, FocusArea: citylinks.FocusFoodSecurity,
		City: citylinks.City{ID: "x", Name: "Lima", Country: "PE"}, AsOf: day(2015, 1, 1)}).Eligible)
}

func TestEligibilityOptionsDesignations(t *testing.T) {
	d, err := citylinks.NewDesignation(citylinks.Designation{ID: "asean-2013", Name: "ASEAN pilot countries", Countries: []string{"PH", "TH"}, Effective: day(2013, 8, 13)})
	require.NoError(t, err)
	e, err := matching.ParseEligibility(strings.NewReader(`{"every_focus_area": {"host": {"designation": "asean-2013"}}}`), &matching.EligibilityOptions{Designations: []citylinks.Designation{d}})
	require.NoError(t, err)
	assert.True(t, e.Check(subjectIn("Legazpi", "PH", 182_201)).Eligible)
	assert.True(t, e.Covers("anything"), "ParseEligibility covers every focus area")
	_, err = matching.ParseEligibility(strings.NewReader(`{"every_focus_area": {"host": {"designation": "asean-2013"}}}`), nil)
	assertPath(t, err, "$.every_focus_area.host.designation", "not a known designation")
}

// assertPath checks that err is a *citylinks.ValidationError at the JSON path
// whose message contains problem.
func assertPath(t *testing.T, err error, path, problem string) {
	t.Helper()
	require.Error(t, err)
	var ve *citylinks.ValidationError
	require.True(t, errors.As(err, &ve), "%T %v is not a *citylinks.ValidationError", err, err)
	assert.Equal(t, path, ve.Field, "error %v", err)
	assert.Contains(t, ve.Problem, problem)
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
}

func TestProgramEligibilityErrors(t *testing.T) {
	const head = `{"id": "p", "name": "P", "start": "2015-01-01", "focus_areas": ["climate", "water-sanitation"], "eligibility": `
	cases := []struct {
		name, eligibility, path, problem string
	}{
		{"NotObject", `[1]`, "$.eligibility", "must be an object"},
		{"UnknownTop", `{"focus": {}}`, "$.eligibility.focus", "unknown field"},
		{"UncoveredFocus", `{"focus_areas": {"food-security": {"host": {"not_partnered": true}}}}`, "$.eligibility.focus_areas.food-security", "not one of the program's focus areas"},
		{"BadFocusID", `{"focus_areas": {"Climate": {}}}`, "$.eligibility.focus_areas.Climate", "kebab-case"},
		{"UnknownSide", `{"focus_areas": {"climate": {"peer": {"not_partnered": true}}}}`, "$.eligibility.focus_areas.climate.peer", "unknown field"},
		{"UnknownRule", `{"every_focus_area": {"host": {"country": ["KE"]}}}`, "$.eligibility.every_focus_area.host.country", "unknown rule"},
		{"TwoRules", `{"every_focus_area": {"host": {"not_partnered": true, "local_government": true}}}`, "$.eligibility.every_focus_area.host.local_government", "holds one rule"},
		{"EmptyRule", `{"every_focus_area": {"host": {}}}`, "$.eligibility.every_focus_area.host", "names no rule"},
		{"RuleNotObject", `{"every_focus_area": {"host": "ftf"}}`, "$.eligibility.every_focus_area.host", "rule object or an array"},
		{"UnknownDesignation", `{"focus_areas": {"water-sanitation": {"host": {"any": [{"designation": "ghi-plus-2010"}, {"designation": "ghi-2012"}]}}}}`, "$.eligibility.focus_areas.water-sanitation.host.any[1].designation", "not a known designation"},
		{"DesignationNotString", `{"every_focus_area": {"host": {"designation": 7}}}`, "$.eligibility.every_focus_area.host.designation", "must be a string"},
		{"IncomeMissingIn", `{"every_focus_area": {"host": {"income_group": {"fiscal_year": 2014}}}}`, "$.eligibility.every_focus_area.host.income_group.in", "required"},
		{"IncomeBadGroup", `{"every_focus_area": {"host": {"income_group": {"in": ["low", "poor"]}}}}`, "$.eligibility.every_focus_area.host.income_group.in[1]", "not an income group"},
		{"IncomeEmpty", `{"every_focus_area": {"host": {"income_group": {"in": []}}}}`, "$.eligibility.every_focus_area.host.income_group.in", "at least one"},
		{"IncomeBadYear", `{"every_focus_area": {"host": {"income_group": {"in": ["low"], "fiscal_year": 15}}}}`, "$.eligibility.every_focus_area.host.income_group.fiscal_year", "not a fiscal year"},
		{"IncomeYearBefore1989", `{"every_focus_area": {"host": {"income_group": {"in": ["low"], "fiscal_year": 1988}}}}`, "$.eligibility.every_focus_area.host.income_group.fiscal_year", "from 1989 on, when the World Bank's income classification begins"},
		{"IncomeYearNotInt", `{"every_focus_area": {"host": {"income_group": {"in": ["low"], "fiscal_year": "FY15"}}}}`, "$.eligibility.every_focus_area.host.income_group.fiscal_year", "must be an integer"},
		{"IncomeUnknownKey", `{"every_focus_area": {"host": {"income_group": {"in": ["low"], "year": 2015}}}}`, "$.eligibility.every_focus_area.host.income_group.year", "unknown field"},
		{"PopulationNoBounds", `{"every_focus_area": {"host": {"population": {}}}}`, "$.eligibility.every_focus_area.host.population", "min"},
		{"PopulationNegative", `{"every_focus_area": {"host": {"population": {"min": -1}}}}`, "$.eligibility.every_focus_area.host.population.min", "outside"},
		{"PopulationMaxBelowMin", `{"every_focus_area": {"host": {"population": {"min": 10, "max": 5}}}}`, "$.eligibility.every_focus_area.host.population.max", "below min"},
		{"PopulationMaxZero", `{"every_focus_area": {"host": {"population": {"max": 0}}}}`, "$.eligibility.every_focus_area.host.population.max", "above 0"},
		{"PopulationFraction", `{"every_focus_area": {"host": {"population": {"min": 1.5}}}}`, "$.eligibility.every_focus_area.host.population.min", "not an integer"},
		{"KindUnknown", `{"every_focus_area": {"resource": {"organization_kind": ["city", "town"]}}}`, "$.eligibility.every_focus_area.resource.organization_kind[1]", "not an organization kind"},
		{"KindEmpty", `{"every_focus_area": {"resource": {"organization_kind": []}}}`, "$.eligibility.every_focus_area.resource.organization_kind", "at least one"},
		{"LocalGovFalse", `{"every_focus_area": {"resource": {"local_government": false}}}`, "$.eligibility.every_focus_area.resource.local_government", "must be true"},
		{"NotPartneredString", `{"every_focus_area": {"host": {"not_partnered": "yes"}}}`, "$.eligibility.every_focus_area.host.not_partnered", "must be true"},
		{"RegionUnknown", `{"every_focus_area": {"host": {"m49_region": ["Africa", "Atlantis"]}}}`, "$.eligibility.every_focus_area.host.m49_region[1]", "not a UN M49"},
		{"AllEmpty", `{"every_focus_area": {"host": {"all": []}}}`, "$.eligibility.every_focus_area.host.all", "at least one rule"},
		{"AnyNotArray", `{"every_focus_area": {"host": {"any": {"not_partnered": true}}}}`, "$.eligibility.every_focus_area.host.any", "must be an array"},
		{"NotBad", `{"every_focus_area": {"host": {"not": {"nope": 1}}}}`, "$.eligibility.every_focus_area.host.not.nope", "unknown rule"},
		{"ArrayElement", `{"every_focus_area": {"host": [{"not_partnered": true}, 3]}}`, "$.eligibility.every_focus_area.host[1]", "rule object or an array"},
		{"DesignationsNotArray", `{"designations": {}}`, "$.eligibility.designations", "must be an array"},
		{"DesignationMissingName", `{"designations": [{"id": "x", "effective": "2015-01-01"}]}`, "$.eligibility.designations[0].name", "required"},
		{"DesignationBadDate", `{"designations": [{"id": "x", "name": "X", "effective": "2015-02-30"}]}`, "$.eligibility.designations[0].effective", "YYYY-MM-DD"},
		{"DesignationBadUntil", `{"designations": [{"id": "x", "name": "X", "effective": "2015-01-01", "until": "soon"}]}`, "$.eligibility.designations[0].until", "YYYY-MM-DD"},
		{"DesignationBadCountry", `{"designations": [{"id": "x", "name": "X", "effective": "2015-01-01", "countries": ["KE", "XX"]}]}`, "$.eligibility.designations[0].countries[1]", "not a known ISO"},
		{"DesignationBadID", `{"designations": [{"id": "X Y", "name": "X", "effective": "2015-01-01"}]}`, "$.eligibility.designations[0].id", "kebab-case"},
		{"DesignationBuiltinID", `{"designations": [{"id": "ftf-focus-2010", "name": "X", "effective": "2015-01-01"}]}`, "$.eligibility.designations[0].id", "built-in"},
		{"DesignationTwice", `{"designations": [{"id": "x", "name": "X", "effective": "2015-01-01"}, {"id": "x", "name": "Y", "effective": "2015-01-01"}]}`, "$.eligibility.designations[1].id", "twice"},
		{"DesignationUnknownKey", `{"designations": [{"id": "x", "name": "X", "effective": "2015-01-01", "countrys": []}]}`, "$.eligibility.designations[0].countrys", "unknown field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := matching.LoadProgram(strings.NewReader(head+tc.eligibility+"}"), nil)
			assertPath(t, err, tc.path, tc.problem)
		})
	}
	// Errors of the program itself come from citylinks, with their paths.
	_, _, err := matching.LoadProgram(strings.NewReader(`{"id": "p", "name": "P", "start": "2015-01-01", "focus_areas": []}`), nil)
	assertPath(t, err, "$.focus_areas", "at least one")
	// A document of rules alone has paths from its own root.
	_, err = matching.ParseEligibility(strings.NewReader(`{"every_focus_area": {"host": {"not": 1}}}`), nil)
	assertPath(t, err, "$.every_focus_area.host.not", "rule object")
	_, err = matching.ParseEligibility(strings.NewReader(`{"every_focus_area": `), nil)
	assertPath(t, err, "$", "end of document")
}

func TestProgramEligibilityRawErrors(t *testing.T) {
	// A Program built in Go may carry any bytes; they are checked too.
	p := citylinks.Program{ID: "p", Name: "P", Start: day(2015, 1, 1), FocusAreas: []string{"climate"}, Eligibility: json.RawMessage(`{"every_focus_area": {"host": {"not_partnered": true}}`)}
	_, err := matching.ProgramEligibility(p, nil)
	assertPath(t, err, "$.eligibility", "end of document")
	p.Eligibility = json.RawMessage(" ")
	e, err := matching.ProgramEligibility(p, nil)
	require.NoError(t, err)
	assert.True(t, e.Check(subjectIn("Lima", "PE", 1)).Eligible)
}
