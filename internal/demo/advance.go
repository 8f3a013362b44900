package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
)

// A scripted step of the demonstration round: one command, which records
// exactly one event, by one actor.
type scripted struct {
	actor citylinks.Actor
	cmd   partnership.Command
}

// advanced is what advanceRound did.
type advanced struct {
	steps, skipped int
}

// advanceRound walks the demonstration round's partnerships forward, each
// as far as its script goes: the first ones through their whole lifecycle
// up to closing, the others part of the way, one declined. Every command
// records one event, so a partnership's version says how much of its script
// an earlier run already did; a second run continues from there and adds
// nothing twice.
func advanceRound(ctx context.Context, e *Env, ids []string) (advanced, error) {
	var out advanced
	ids = slices.Clone(ids)
	slices.Sort(ids)
	bar := newProgress(e.w, e.bars, "advancing partnerships", len(ids))
	defer bar.done()
	for i, id := range ids {
		bar.add()
		p, err := e.Partnerships.Get(ctx, e.Facilitator, id)
		if err != nil {
			return out, err
		}
		script := roundScript(i, len(ids), p)
		done := int(p.Version) - 1 // the proposal was event 1
		for j, s := range script {
			if j < done {
				out.skipped++
				continue
			}
			if _, err := e.Partnerships.Execute(ctx, s.actor, id, s.cmd); err != nil {
				return out, fmt.Errorf("%s: %s: %w", id, s.cmd.Action(), err)
			}
			out.steps++
		}
	}
	return out, nil
}

// roundScript is the illustrative course of the i-th of n round
// partnerships: the last is declined; the others are ratified and signed;
// all but the last two agree a work plan on a first trip; the first three
// make two more trips and start closing. Hours and in-kind values are
// illustrative.
func roundScript(i, n int, p partnership.Partnership) []scripted {
	host, resource := p.Parties[0], p.Parties[1]
	coordinator := citylinks.Actor{ID: "coordinator@" + resource.Organization, Organization: resource.Organization, Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	icma := citylinks.Actor{ID: "quickstart@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	if i == n-1 {
		return []scripted{{icma, partnership.Decline{Reason: "the resource city's council did not take up the partnership (illustrative)", On: day(2015, 4, 20)}}}
	}
	s := []scripted{
		{icma, partnership.Ratify{Party: resource.Organization, Body: resource.Name + " city council", On: day(2015, 4, 6)}},
		{icma, partnership.SignAgreement{Agreement: partnership.AgreementThreeWay, End: day(2016, 3, 31), On: day(2015, 4, 13),
			Signatories: []partnership.Signatory{{Party: "icma", Name: "ICMA"}, {Party: resource.Organization, Name: resource.Name}, {Party: host.Organization, Name: host.Name}}}},
	}
	if i >= n-3 {
		return s
	}
	trip := func(id string, from, to partnership.Party, start citylinks.Date, purpose string) scripted {
		return scripted{coordinator, partnership.RecordExchange{Exchange: partnership.Exchange{
			ID: id, From: from.Organization, To: to.Organization, Start: start, End: start.AddDays(4),
			Purpose: purpose, Status: partnership.ExchangeDone,
			Participants: []partnership.Participant{{Name: "Sustainability manager", Party: from.Organization}, {Name: "City engineer", Party: from.Organization}},
		}}}
	}
	hours := func(id string, date citylinks.Date, person string, minutes int64, inKind int64) scripted {
		c := partnership.Contribution{ID: id, Party: resource.Organization, Person: person, Date: date, Minutes: minutes,
			Description: "pro bono staff time (illustrative)"}
		if inKind > 0 {
			c.InKind = citylinks.Money{Amount: inKind, Currency: "USD"}
			c.Description = "pro bono staff time and donated GIS data and software licences (illustrative)"
		}
		return scripted{coordinator, partnership.RecordContribution{Contribution: c}}
	}
	plan := partnership.WorkPlan{
		Objectives: []partnership.Objective{
			{Code: "O1", Text: "A climate vulnerability assessment of " + host.Name, Indicators: []string{"CL-CLIM-02", "CL-CLIM-04"}},
			{Code: "O2", Text: "An adaptation action plan adopted by " + host.Name + "'s council", Indicators: []string{"CL-CLIM-01"}},
		},
		Exchanges: []partnership.PlannedExchange{
			{From: resource.Organization, To: host.Organization, Around: day(2015, 5, 4), Purpose: "first trip: work plan"},
			{From: host.Organization, To: resource.Organization, Around: day(2015, 9, 14), Purpose: "second trip: site visits"},
			{From: resource.Organization, To: host.Organization, Around: day(2016, 1, 18), Purpose: "final trip: action plan"},
		},
		Start: day(2015, 5, 4), End: day(2016, 3, 31),
	}
	s = append(s,
		trip("trip-1", resource, host, day(2015, 5, 4), "first trip: assess risks and draft the work plan"),
		scripted{icma, partnership.AgreeWorkPlan{Plan: plan, On: day(2015, 5, 8)}},
		hours("hours-1", day(2015, 5, 8), "Sustainability manager", 40*60, 0),
		hours("hours-2", day(2015, 5, 8), "City engineer", 36*60, 250000),
	)
	if i >= 3 {
		return s
	}
	s = append(s,
		trip("trip-2", host, resource, day(2015, 9, 14), "second trip: site visits to adaptation projects"),
		hours("hours-3", day(2015, 9, 18), "Sustainability manager", 24*60, 0),
		trip("trip-3", resource, host, day(2016, 1, 18), "final trip: review the adaptation action plan"),
		hours("hours-4", day(2016, 1, 22), "City engineer", 30*60, 120000),
		scripted{icma, partnership.StartClosing{On: day(2016, 1, 22)}},
	)
	return s
}
