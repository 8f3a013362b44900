package partnership_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/memory"
)

func Example() {
	ctx := context.Background()
	svc := partnership.NewService(memory.New(), &partnership.Options{
		Now: func() time.Time { return time.Date(2016, 6, 30, 12, 0, 0, 0, time.UTC) },
	})
	icma := citylinks.Actor{ID: "officer@icma.example", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	d := func(y int, m time.Month, day int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: day} }

	_, err := svc.Propose(ctx, icma, partnership.Propose{
		ID: "CL11-SHI-BOU", Title: "Shimla–Boulder", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate,
		Parties: []partnership.Party{
			{Role: partnership.PartyHost, Organization: "shimla", Name: "Shimla Municipal Corporation", Kind: citylinks.KindCity, Country: "IN"},
			{Role: partnership.PartyResource, Organization: "boulder", Name: "City of Boulder", Kind: citylinks.KindCity, Country: "US"},
		},
		On: d(2015, 3, 23),
	})
	if err != nil {
		panic(err)
	}
	// Signing before Boulder's council ratified is refused, and says why.
	sign := partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: "boulder", Name: "Mayor"}}, End: d(2016, 3, 31), On: d(2015, 4, 20)}
	_, err = svc.SignAgreement(ctx, icma, "CL11-SHI-BOU", sign)
	fmt.Println(err, errors.Is(err, partnership.ErrPrecondition))

	svc.Ratify(ctx, icma, "CL11-SHI-BOU", partnership.Ratify{Body: "Boulder City Council", On: d(2015, 4, 7)})
	p, err := svc.SignAgreement(ctx, icma, "CL11-SHI-BOU", sign)
	fmt.Println(p.State, p.End, err)

	// A coordinator of another city may not touch it.
	other := citylinks.Actor{ID: "x@durban.example", Organization: "durban", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	_, err = svc.Get(ctx, other, "CL11-SHI-BOU")
	fmt.Println(errors.Is(err, citylinks.ErrForbidden))
	// Output:
	// partnership: cannot sign agreement: resource party boulder has not ratified (its governing body must approve participation first) true
	// agreed 2016-03-31 <nil>
	// true
}

func ExampleFold() {
	at := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	actor := citylinks.Actor{ID: "officer@icma.example", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	events := []partnership.Event{
		{Partnership: "p", Version: 1, On: citylinks.Date{Year: 2015, Month: 3, Day: 23}, At: at, Actor: actor, Data: &partnership.Proposed{
			Title: "Shimla–Boulder", Program: "citylinks-2011", FocusArea: "climate", Parties: []partnership.Party{
				{Role: partnership.PartyHost, Organization: "shimla", Name: "Shimla", Kind: citylinks.KindCity, Country: "IN"},
				{Role: partnership.PartyResource, Organization: "boulder", Name: "Boulder", Kind: citylinks.KindCity, Country: "US"}}}},
		{Partnership: "p", Version: 2, On: citylinks.Date{Year: 2015, Month: 8, Day: 1}, At: at, Actor: actor, Data: &partnership.Suspended{Reason: "monsoon"}},
	}
	p, err := partnership.Fold(events)
	fmt.Println(p.State, p.SuspendedFrom, p.Reason, p.HostCountry(), err)
	// Output: suspended proposed monsoon IN <nil>
}

func ExampleDefaultPolicy_AuthorizeRecord() {
	parties := []partnership.Party{
		{Role: partnership.PartyHost, Organization: "shimla", Name: "Shimla", Kind: citylinks.KindCity, Country: "IN"},
		{Role: partnership.PartyResource, Organization: "boulder", Name: "Boulder", Kind: citylinks.KindCity, Country: "US"},
	}
	sum := partnership.Summary{ID: "CL11-SHI-BOU", Parties: parties, State: partnership.StateActive}
	boulder := citylinks.Actor{ID: "coordinator@boulder.example", Organization: "boulder", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	icma := citylinks.Actor{ID: "officer@icma.example", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	var policy partnership.DefaultPolicy

	// ICMA recorded exchange x1: Boulder's coordinator may not revise it,
	// ICMA may.
	x1 := partnership.Record{ID: "x1", Owner: "icma"}
	fmt.Println(policy.AuthorizeRecord(boulder, partnership.ActionRecordExchange, sum, x1))
	fmt.Println(policy.AuthorizeRecord(icma, partnership.ActionRecordExchange, sum, x1))
	// Boulder reports its own volunteer time, not Shimla's.
	c1 := partnership.Record{ID: "c1", Party: "shimla", New: true}
	fmt.Println(errors.Is(policy.AuthorizeRecord(boulder, partnership.ActionRecordContribution, sum, c1), citylinks.ErrForbidden))
	// Output:
	// partnership: coordinator@boulder.example may not record-exchange partnership "CL11-SHI-BOU": exchange x1 was recorded by icma; a coordinator of boulder may revise only its own organization's records
	// <nil>
	// true
}
