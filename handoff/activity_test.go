package handoff_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

func TestStatus(t *testing.T) {
	want := map[partnership.State]string{ // IATI ActivityStatus codes
		partnership.StateProposed:   "1",
		partnership.StateAgreed:     "1",
		partnership.StateActive:     "2",
		partnership.StateClosing:    "3",
		partnership.StateCompleted:  "4",
		partnership.StateDeclined:   "5",
		partnership.StateTerminated: "5",
		partnership.StateSuspended:  "6",
	}
	for _, s := range partnership.States() {
		code, ok := want[s]
		require.True(t, ok, "state %s has no expected status", s)
		assert.Equal(t, code, handoff.Status(s).IATICode(), "Status(%s)", s)
	}
	assert.Equal(t, report.StatusPipeline, handoff.Status("nonsense"))
}

func TestRole(t *testing.T) {
	want := map[partnership.PartyRole]string{ // IATI OrganisationRole codes
		partnership.PartyFunder:       "1",
		partnership.PartyFacilitator:  "3",
		partnership.PartyHost:         "4",
		partnership.PartyResource:     "4",
		partnership.PartyThirdCountry: "4",
		partnership.PartySupporting:   "4",
	}
	for _, r := range partnership.PartyRoles() {
		code, ok := want[r]
		require.True(t, ok, "role %s has no expected IATI role", r)
		assert.Equal(t, code, handoff.OrgRole(r).IATICode(), "OrgRole(%s)", r)
	}
}

func TestOrgType(t *testing.T) {
	want := map[citylinks.OrgKind]string{
		citylinks.KindCity: "11", citylinks.KindCounty: "11", citylinks.KindConsortium: "11", citylinks.KindSpecialDistrict: "11",
		citylinks.KindDonor: "10", citylinks.KindFacilitator: "21", citylinks.KindUniversity: "80", citylinks.KindPrivateFirm: "70",
		citylinks.KindNGO: "", citylinks.KindAssociation: "",
	}
	for _, k := range citylinks.OrgKinds() {
		code, ok := want[k]
		require.True(t, ok, "kind %s has no expected type", k)
		assert.Equal(t, code, handoff.OrgType(k), "OrgType(%s)", k)
		if code != "" {
			known, withdrawn := render.IATICode("OrganisationType", code)
			assert.True(t, known && !withdrawn, "OrganisationType %s is active in the IATI codelist", code)
		}
	}
}

func TestSectorsAndMarkers(t *testing.T) {
	want := map[string]string{
		citylinks.FocusBasicServices: "43030", citylinks.FocusEconomicCompetitiveness: "25010",
		citylinks.FocusMunicipalManagement: "15112", citylinks.FocusOfficialSkills: "15110",
		citylinks.FocusClimate: "41010", citylinks.FocusFoodSecurity: "43071", citylinks.FocusWaterSanitation: "14020",
	}
	for _, f := range citylinks.FocusAreas() {
		code, ok := want[f.ID]
		require.True(t, ok, "focus area %s has no expected sector", f.ID)
		assert.Equal(t, []report.Sector{{Code: code, Percentage: 100}}, handoff.Sectors(f.ID), "Sectors(%s)", f.ID)
		known, withdrawn := render.IATICode("Sector", code)
		assert.True(t, known && !withdrawn, "sector %s is active in the IATI Sector codelist", code)
		markers := handoff.PolicyMarkers(f.ID)
		if f.ID == citylinks.FocusClimate {
			assert.Equal(t, []report.PolicyMarker{{Code: "7", Significance: "2"}}, markers)
		} else {
			assert.Empty(t, markers, "PolicyMarkers(%s)", f.ID)
		}
		for _, m := range markers {
			known, _ := render.IATICode("PolicyMarker", m.Code)
			assert.True(t, known, "policy marker %s", m.Code)
			known, _ = render.IATICode("PolicySignificance", m.Significance)
			assert.True(t, known, "policy significance %s", m.Significance)
		}
	}
	assert.Empty(t, handoff.Sectors("no-such-focus"))
}

// partnershipIn returns the Shimla–Boulder partnership folded up to state s.
func partnershipIn(t *testing.T, s partnership.State) partnership.Partnership {
	t.Helper()
	p := partnership.Partnership{
		ID: "CL11-SHI-BOU", Title: "Shimla–Boulder", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate,
		Parties: pt.ShimlaBoulder(), Notes: "Paired in CAPP 2015. Sources: fact sheets.", State: s,
		ProposedOn: pt.D(2015, 3, 23), End: pt.D(2016, 3, 31),
	}
	switch s {
	case partnership.StateProposed, partnership.StateDeclined:
	default:
		p.Agreement = &partnership.Agreement{Kind: partnership.AgreementThreeWay, On: pt.D(2015, 4, 20)}
	}
	switch s {
	case partnership.StateCompleted, partnership.StateTerminated, partnership.StateDeclined:
		p.ClosedOn = pt.D(2016, 4, 29)
	}
	return p
}

func TestActivityDates(t *testing.T) {
	for _, tc := range []struct {
		state                              partnership.State
		actualStart, actualEnd, plannedEnd citylinks.Date
	}{
		{partnership.StateProposed, citylinks.Date{}, citylinks.Date{}, pt.D(2016, 3, 31)},
		{partnership.StateAgreed, pt.D(2015, 4, 20), citylinks.Date{}, pt.D(2016, 3, 31)},
		{partnership.StateActive, pt.D(2015, 4, 20), citylinks.Date{}, pt.D(2016, 3, 31)},
		{partnership.StateClosing, pt.D(2015, 4, 20), citylinks.Date{}, pt.D(2016, 3, 31)},
		{partnership.StateSuspended, pt.D(2015, 4, 20), citylinks.Date{}, pt.D(2016, 3, 31)},
		{partnership.StateCompleted, pt.D(2015, 4, 20), pt.D(2016, 4, 29), pt.D(2016, 3, 31)},
		{partnership.StateTerminated, pt.D(2015, 4, 20), pt.D(2016, 4, 29), pt.D(2016, 3, 31)},
		{partnership.StateDeclined, citylinks.Date{}, citylinks.Date{}, pt.D(2016, 3, 31)},
	} {
		t.Run(string(tc.state), func(t *testing.T) {
			a := handoff.Activity(partnershipIn(t, tc.state), nil)
			assert.Equal(t, pt.D(2015, 3, 23), a.PlannedStart, "planned start: the proposal's day, with no planned start")
			assert.Equal(t, tc.plannedEnd, a.PlannedEnd)
			assert.Equal(t, tc.actualStart, a.ActualStart)
			assert.Equal(t, tc.actualEnd, a.ActualEnd)
			assert.Equal(t, handoff.Status(tc.state), a.Status)
			assert.NoError(t, a.Validate())
		})
	}
	// A terminated partnership that never signed has no actual dates.
	p := partnershipIn(t, partnership.StateTerminated)
	p.Agreement = nil
	a := handoff.Activity(p, nil)
	assert.True(t, a.ActualStart.IsZero() && a.ActualEnd.IsZero(), "%v %v", a.ActualStart, a.ActualEnd)
	assert.NoError(t, a.Validate())
	// A planned start, when the partnership has one, is the planned start.
	p.Start = pt.D(2015, 5, 1)
	assert.Equal(t, pt.D(2015, 5, 1), handoff.Activity(p, nil).PlannedStart)
}

func TestActivity(t *testing.T) {
	p := partnershipIn(t, partnership.StateActive)
	p.WorkPlan = &partnership.WorkPlan{
		Objectives: []partnership.Objective{
			{Code: "O1", Text: "Assess water-supply vulnerability", Indicators: []string{"CL-CLIM-02", "CL-CLIM-04"}},
			{Text: "An adaptation plan adopted by the council"},
		},
		Indicators: []string{"CL-CLIM-01"},
	}
	p.Draft = &partnership.WorkPlan{Objectives: []partnership.Objective{{Code: "D1", Text: "a draft is not reported"}}}
	a := handoff.Activity(p, &handoff.Options{
		IATI: map[string]render.IATIOrg{pt.USAIDIndia: {Ref: "US-GOV-1", Name: "USAID India"}, pt.ICMA: {Type: "22"}},
		Amend: func(p partnership.Partnership, a *report.Activity) {
			a.Schedule = report.Annual
		},
	})
	want := report.Activity{
		ID: "CL11-SHI-BOU", Title: "Shimla–Boulder", Description: "Paired in CAPP 2015. Sources: fact sheets.",
		Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Country: "IN",
		PlannedStart: pt.D(2015, 3, 23), PlannedEnd: pt.D(2016, 3, 31), ActualStart: pt.D(2015, 4, 20),
		Status: report.StatusImplementation, State: "active", Schedule: report.Annual,
		Participants: []report.ParticipatingOrg{
			{Organization: pt.Shimla, Name: "Shimla Municipal Corporation", Role: report.RoleImplementing, Type: "11", PartyRole: "host"},
			{Organization: pt.Boulder, Name: "City of Boulder", Role: report.RoleImplementing, Type: "11", PartyRole: "resource"},
			{Organization: pt.ICMA, Name: "ICMA", Role: report.RoleExtending, Type: "22", PartyRole: "facilitator"},
			{Organization: pt.USAIDIndia, Ref: "US-GOV-1", Name: "USAID India", Role: report.RoleFunding, Type: "10", PartyRole: "funder"},
		},
		Sectors:       []report.Sector{{Code: "41010", Percentage: 100}},
		PolicyMarkers: []report.PolicyMarker{{Code: "7", Significance: "2"}},
		Objectives: []report.Objective{
			{Code: "O1", Text: "Assess water-supply vulnerability", Indicators: []string{"CL-CLIM-02", "CL-CLIM-04"}},
			{Code: "O2", Text: "An adaptation plan adopted by the council", Indicators: []string{"CL-CLIM-01"}},
		},
	}
	assert.Empty(t, cmp.Diff(want, a))
	require.NoError(t, a.Validate())

	// The activity shares no slice with the partnership.
	a.Objectives[1].Indicators[0] = "changed"
	assert.Equal(t, "CL-CLIM-01", p.WorkPlan.Indicators[0])

	// Without a work plan there are no objectives.
	assert.Empty(t, handoff.Activity(partnershipIn(t, partnership.StateAgreed), nil).Objectives)
}

// TestActivityLongText: text longer than package report holds is cut at a
// character boundary, so the activity is still valid.
func TestActivityLongText(t *testing.T) {
	p := partnershipIn(t, partnership.StateProposed)
	p.Notes = strings.Repeat("é", report.MaxTextLen)          // 2 bytes each
	p.Title = "xx" + strings.Repeat("€", report.MaxTextLen/3) // one byte too long
	a := handoff.Activity(p, nil)
	require.NoError(t, a.Validate())
	for _, s := range []string{a.Description, a.Title} {
		assert.LessOrEqual(t, len(s), report.MaxTextLen)
		assert.True(t, utf8.ValidString(s))
		assert.True(t, strings.HasSuffix(s, "…"))
	}
	p.Notes = strings.Repeat("a", report.MaxTextLen)
	assert.Equal(t, p.Notes, handoff.Activity(p, nil).Description, "text that fits is kept whole")
}
