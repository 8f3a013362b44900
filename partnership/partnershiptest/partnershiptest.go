package partnershiptest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
)

// Organization ids used by the fixtures.
const (
	Shimla         = "shimla"
	Boulder        = "boulder"
	ICMA           = "icma"
	USAIDIndia     = "usaid-india"
	Durban         = "durban"
	SouthFlorida   = "ftl-broward" // the composite Fort Lauderdale + Broward County party
	FortLauderdale = "fort-lauderdale"
	Broward        = "broward-county"
)

// ShimlaBoulder returns the parties of the Shimla–Boulder partnership
// (CAPP 2015 round 1, dataset row CL11-SHI-BOU): Shimla hosts, Boulder
// shares expertise, ICMA facilitates, a USAID mission funds. Which USAID
// mission funded CAPP is not documented; the funder here is a stand-in.
func ShimlaBoulder() []partnership.Party {
	return []partnership.Party{
		{Role: partnership.PartyHost, Organization: Shimla, Name: "Shimla Municipal Corporation", Kind: citylinks.KindCity, Country: "IN"},
		{Role: partnership.PartyResource, Organization: Boulder, Name: "City of Boulder", Kind: citylinks.KindCity, Country: "US"},
		{Role: partnership.PartyFacilitator, Organization: ICMA, Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"},
		{Role: partnership.PartyFunder, Organization: USAIDIndia, Name: "USAID (funder)", Kind: citylinks.KindDonor},
	}
}

// DurbanSouthFlorida returns the parties of the Durban–Southeast Florida
// partnership (dataset row CL11-DUR-FTL), whose resource party is composite:
// Fort Lauderdale and Broward County.
func DurbanSouthFlorida() []partnership.Party {
	return []partnership.Party{
		{Role: partnership.PartyHost, Organization: Durban, Name: "eThekwini Municipality", Kind: citylinks.KindCity, Country: "ZA"},
		{Role: partnership.PartyResource, Organization: SouthFlorida, Name: "Fort Lauderdale + Broward County", Kind: citylinks.KindConsortium, Country: "US",
			Members: []citylinks.Member{{ID: FortLauderdale, Name: "City of Fort Lauderdale", Kind: citylinks.KindCity}, {ID: Broward, Name: "Broward County", Kind: citylinks.KindCounty}}},
		{Role: partnership.PartyFacilitator, Organization: ICMA, Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"},
	}
}

// Actor returns an actor of organization org with one role.
func Actor(org string, r citylinks.Role) citylinks.Actor {
	return citylinks.Actor{ID: fmt.Sprintf("%s-%s@example.org", r, org), Organization: org, Roles: []citylinks.Role{r}}
}

// Facilitator is an ICMA program officer.
var Facilitator = Actor(ICMA, citylinks.RoleFacilitator)

// Clock is a settable clock for partnership.Options.Now. Its zero value
// reads 2016-06-30 12:00 UTC, after the documented CAPP exchanges.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time and moves it on by a microsecond, so that
// successive events have distinct instants.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		c.t = time.Date(2016, 6, 30, 12, 0, 0, 0, time.UTC)
	}
	c.t = c.t.Add(time.Microsecond)
	return c.t
}

// Set sets the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// D returns the date y-m-d.
func D(y int, m time.Month, d int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: d} }

// Proposal returns a Propose command for the Shimla–Boulder partnership
// with the given id.
func Proposal(id string) partnership.Propose {
	return partnership.Propose{
		ID: id, Title: "Shimla–Boulder climate adaptation partnership", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Parties: ShimlaBoulder(), On: D(2015, 3, 23),
	}
}

// Plan is a small work plan for Shimla–Boulder.
func Plan() partnership.WorkPlan {
	return partnership.WorkPlan{
		Objectives: []partnership.Objective{{Code: "O1", Text: "Assess Shimla's water-supply vulnerability to climate change"}},
		Exchanges:  []partnership.PlannedExchange{{From: Boulder, To: Shimla, Purpose: "first technical visit"}},
		Indicators: []string{"capp-1"},
	}
}

// ToActive drives partnership id from nothing to active through svc, as
// the facilitator: propose, ratify, sign, agree the work plan.
func ToActive(ctx context.Context, svc *partnership.Service, id string) (partnership.Partnership, error) {
	steps := []partnership.Command{
		Proposal(id),
		partnership.Ratify{Party: Boulder, Body: "Boulder City Council", On: D(2015, 4, 7)},
		partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: ICMA, Name: "ICMA signatory"}, {Party: Boulder, Name: "Boulder signatory"}, {Party: Shimla, Name: "Shimla signatory"}},
			End: D(2016, 3, 31), On: D(2015, 4, 20)},
		partnership.AgreeWorkPlan{Plan: Plan(), On: D(2015, 5, 15)},
	}
	var p partnership.Partnership
	for _, c := range steps {
		var err error
		if p, err = svc.Execute(ctx, Facilitator, id, c); err != nil {
			return p, fmt.Errorf("%s: %w", c.Action(), err)
		}
	}
	return p, nil
}

// Stream returns a valid stream of n ≥ 4 events for partnership id: the
// four steps of ToActive, then one done exchange, then contributions (each
// with its own id). Every event's instant is at, plus its version in
// microseconds.
func Stream(id string, n int, at time.Time) []partnership.Event {
	ps := ShimlaBoulder()
	data := []partnership.Data{
		&partnership.Proposed{Title: "Shimla–Boulder", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Parties: ps},
		&partnership.Ratified{Party: Boulder, Body: "Boulder City Council"},
		&partnership.AgreementSigned{Agreement: partnership.AgreementThreeWay, Signatories: []partnership.Signatory{{Party: ICMA, Name: "ICMA signatory"}}, End: D(2016, 3, 31)},
		&partnership.WorkPlanAgreed{Plan: Plan()},
		&partnership.ExchangeRecorded{Exchange: partnership.Exchange{ID: "x1", Direction: partnership.ToHost, From: Boulder, To: Shimla,
			Start: D(2015, 5, 10), End: D(2015, 5, 16), Purpose: "first technical visit", Status: partnership.ExchangeDone,
			Participants: []partnership.Participant{{Name: "A. Expert", Party: Boulder}}}},
	}
	events := make([]partnership.Event, n)
	for i := range n {
		var d partnership.Data
		if i < len(data) {
			d = data[i]
		} else {
			d = &partnership.ContributionRecorded{Contribution: partnership.Contribution{
				ID: fmt.Sprintf("c%06d", i), Party: Boulder, Person: fmt.Sprintf("Volunteer %d", i%7), Date: D(2015, 6, 1).AddDays(i % 300),
				Minutes: int64(30 + i%240), InKind: citylinks.Money{Amount: int64(i % 5000), Currency: "USD"},
				Description: "staff time on the work plan"}}
		}
		on := D(2015, 3, 23).AddDays(min(i, 60))
		events[i] = partnership.Event{Partnership: id, Version: int64(i + 1), On: on, At: at.Add(time.Duration(i+1) * time.Microsecond).UTC(),
			Actor: Facilitator, Data: d}
	}
	return events
}
