package handoff_test

import (
	"context"
	"fmt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/store/memory"
)

// A partnership proposed from a matching round and run through the
// partnership.Service is reported on with no code of the caller's: every
// command keeps its report activity and contributions in step.
func Example() {
	ctx := context.Background()
	store := memory.New()
	clock := &pt.Clock{} // the services' clock: 30 June 2016
	icma := citylinks.Actor{ID: "officer@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}

	rep := report.NewService(store, &report.Options{Now: clock.Now})
	rep.DefineStarterCatalogue(ctx, icma)
	sync, _ := handoff.NewSyncer(store, rep, &handoff.Options{Actor: icma})
	svc := partnership.NewService(store, &partnership.Options{Now: clock.Now, Results: rep, AfterAppend: sync.Appended})

	// A round that paired Shimla with Boulder.
	round := matching.Round{FocusArea: citylinks.FocusClimate, AsOf: pt.D(2015, 3, 23),
		Hosts:     []matching.Party{{City: citylinks.City{ID: "1256237", Name: "Shimla", Country: "IN"}}},
		Resources: []matching.Party{{City: citylinks.City{ID: "5574991", Name: "Boulder", Country: "US"}}}}
	proposal := matching.Proposal{HostID: "1256237", ResourceID: "5574991", Score: 0.81, Rank: 1, Candidates: 1}
	facilitator := citylinks.Organization{ID: "icma", Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"}
	cmd, _ := handoff.Propose(round, proposal, handoff.Terms{ID: "CL11-SHI-BOU", Program: citylinks.ProgramCityLinks2011, Facilitator: &facilitator})

	show := func() {
		a, _ := store.GetActivity(ctx, "CL11-SHI-BOU")
		cs, _ := store.ListContributions(ctx, "CL11-SHI-BOU")
		started := "not started"
		if !a.ActualStart.IsZero() {
			started = "started " + a.ActualStart.String()
		}
		fmt.Printf("%-14s %s, %d objective(s) measured by %v, %d contribution(s)\n", a.Status, started, len(a.Objectives), a.Indicators(), len(cs))
	}
	svc.Propose(ctx, icma, cmd)
	show()
	svc.Ratify(ctx, icma, "CL11-SHI-BOU", partnership.Ratify{Party: "5574991", Body: "Boulder City Council", On: pt.D(2015, 4, 7)})
	svc.SignAgreement(ctx, icma, "CL11-SHI-BOU", partnership.SignAgreement{End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20),
		Signatories: []partnership.Signatory{{Party: "icma", Name: "ICMA"}}})
	show()
	svc.AgreeWorkPlan(ctx, icma, "CL11-SHI-BOU", partnership.AgreeWorkPlan{On: pt.D(2015, 5, 15), Plan: partnership.WorkPlan{
		Objectives: []partnership.Objective{{Code: "O1", Text: "A climate vulnerability assessment", Indicators: []string{"CL-CLIM-02"}}}}})
	svc.RecordContribution(ctx, icma, "CL11-SHI-BOU", partnership.Contribution{ID: "hours-1", Party: "5574991", Person: "Engineer",
		Date: pt.D(2015, 5, 15), Minutes: 40 * 60})
	show()

	cs, _ := store.ListContributions(ctx, "CL11-SHI-BOU")
	fmt.Println(cs[0].ID, cs[0].Hours, "hours")
	// Output:
	// pipeline       not started, 0 objective(s) measured by [], 0 contribution(s)
	// pipeline       started 2015-04-20, 0 objective(s) measured by [], 0 contribution(s)
	// implementation started 2015-04-20, 1 objective(s) measured by [CL-CLIM-02], 1 contribution(s)
	// CL11-SHI-BOU/hours-1 40 hours
}

// Activity describes a partnership to package report without storing
// anything.
func ExampleActivity() {
	p := partnership.Partnership{ID: "CL11-TEL-CAT", Title: "Telavi – Catawba County", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusBasicServices, State: partnership.StateClosing, ProposedOn: pt.D(2015, 1, 1),
		Parties: []partnership.Party{
			{Role: partnership.PartyHost, Organization: "telavi", Name: "Telavi", Kind: citylinks.KindCity, Country: "GE"},
			{Role: partnership.PartyResource, Organization: "catawba", Name: "Catawba County", Kind: citylinks.KindCounty, Country: "US"},
			{Role: partnership.PartyFunder, Organization: "usaid", Name: "USAID", Kind: citylinks.KindDonor},
		}}
	a := handoff.Activity(p, &handoff.Options{IATI: map[string]render.IATIOrg{"usaid": {Ref: "US-GOV-1"}}})
	fmt.Println(a.Status, a.Status.IATICode(), a.Country, a.Sectors[0].Code)
	for _, org := range a.Participants {
		fmt.Printf("%s: role %s, type %s, ref %q\n", org.Name, org.Role.IATICode(), org.Type, org.Ref)
	}
	// Output:
	// finalisation 3 GE 43030
	// Telavi: role 4, type 11, ref ""
	// Catawba County: role 4, type 11, ref ""
	// USAID: role 1, type 10, ref "US-GOV-1"
}
