package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/internal/readme/snippet"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/store/memory"
)

func main() { snippet.Main(run) }

func run(ctx context.Context, dir string) error {
	// README begin
	// Who may take part, and the best pairs within the resources' capacity.
	asOf := citylinks.Date{Year: 2015, Month: 3, Day: 23} // eligibility lists and income groups as of this day
	adaptation := []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: citylinks.LevelAdvanced}}
	hosts := []matching.Party{
		{City: citylinks.City{ID: "cusco", Name: "Cusco", Country: "PE", Population: 428_450, Needs: adaptation}},
		{City: citylinks.City{ID: "valparaiso", Name: "Valparaíso", Country: "CL", Population: 282_448, Needs: adaptation}},
	}
	resources := []matching.Party{
		{City: citylinks.City{ID: "fort-collins", Name: "Fort Collins", Country: "US", Population: 161_175, Offers: adaptation}},
	}
	program, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	if err != nil {
		return err
	}
	round := matching.Round{FocusArea: citylinks.FocusClimate, AsOf: asOf, Hosts: hosts, Resources: resources}
	res, err := matching.Match(ctx, program, round, nil)
	if err != nil {
		return err
	}
	for _, p := range res.Proposals {
		fmt.Printf("%s – %s: score %.3f\n", p.HostName, p.ResourceName, p.Score)
	}
	for _, u := range res.Unmatched {
		fmt.Println(u.Name, u.Why, u.Reasons) // Valparaíso ineligible [the World Bank classified Chile as high income in FY15 …]
	}

	// The lifecycle, event-sourced, with guards and permissions; package handoff
	// keeps outcome reporting in step with every command the service stores.
	store := memory.New() // or sqlite.New(db), postgres.New(pool)
	facilitator := citylinks.Actor{ID: "ana@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	coordinator := citylinks.Actor{ID: "lee@fort-collins", Organization: "fort-collins", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	monitor := citylinks.Actor{ID: "sam@usaid", Organization: "usaid", Roles: []citylinks.Role{citylinks.RoleMonitor}}
	reports := report.NewService(store, nil)
	if err := reports.DefineStarterCatalogue(ctx, facilitator); err != nil { // indicators such as CL-CLIM-02
		return err
	}
	sync, err := handoff.NewSyncer(store, reports, &handoff.Options{Actor: facilitator})
	if err != nil {
		return err
	}
	svc := partnership.NewService(store, &partnership.Options{Results: reports, AfterAppend: sync.Appended})
	icma := citylinks.Organization{ID: "icma", Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"}
	proposal, err := handoff.Propose(round, res.Proposals[0], handoff.Terms{Program: program.ID, Facilitator: &icma})
	if err != nil {
		return err
	}
	p, err := svc.Propose(ctx, facilitator, proposal) // now a report activity too (IATI status: pipeline)
	if err != nil {
		return err
	}
	_, err = svc.StartClosing(ctx, facilitator, p.ID, asOf.AddDays(7))
	var guard *partnership.GuardError
	fmt.Println(errors.As(err, &guard), err) // what is missing: it is only proposed

	// Ratified, signed, and a work plan whose objectives name their indicators:
	// only an indicator of the work plan takes values.
	steps := []partnership.Command{
		partnership.Ratify{Party: "fort-collins", Body: "Fort Collins City Council", On: citylinks.Date{Year: 2015, Month: 4, Day: 6}},
		partnership.SignAgreement{End: citylinks.Date{Year: 2016, Month: 3, Day: 31}, On: citylinks.Date{Year: 2015, Month: 4, Day: 13},
			Signatories: []partnership.Signatory{{Party: "icma", Name: "ICMA"}, {Party: "fort-collins", Name: "Fort Collins"}, {Party: "cusco", Name: "Cusco"}}},
		partnership.AgreeWorkPlan{On: citylinks.Date{Year: 2015, Month: 5, Day: 8}, Plan: partnership.WorkPlan{
			Objectives: []partnership.Objective{{Code: "O1", Text: "Municipal staff trained in climate adaptation", Indicators: []string{"CL-CLIM-02"}}}}},
	}
	for _, cmd := range steps {
		if p, err = svc.Execute(ctx, facilitator, p.ID, cmd); err != nil {
			return err
		}
	}
	fmt.Println(p.State)

	// Outcomes, approval, and the reports.
	q2 := report.Quarter(2015, 2)
	err = reports.Record(ctx, coordinator, report.Observation{Partnership: p.ID,
		Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: q2, Value: 12}) // 12 people trained
	if err != nil {
		return err
	}
	if _, err := reports.Submit(ctx, coordinator, p.ID, q2); err != nil {
		return err
	}
	if _, err := reports.Approve(ctx, monitor, p.ID, q2); err != nil { // the quarter is now locked
		return err
	}
	r, err := reports.BuildReport(ctx, monitor, nil)
	if err != nil {
		return err
	}
	fmt.Println(r.Approvals[0].Period, r.Approvals[0].State)
	var html bytes.Buffer
	if err := (render.HTML{}).Render(&html, r); err != nil { // or CSV{}, JSON{}, Markdown{}, IATI{…}
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.html"), html.Bytes(), 0o644)
	// README end
}
