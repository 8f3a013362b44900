package api

import (
	"encoding/json"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
)

// The wire types: what the endpoints read and write, in snake_case JSON.
// The library's own types that already carry JSON tags (partnership.Party,
// Exchange, Contribution, WorkPlan; report.Observation, Indicator,
// Approval…) go on the wire as they are; the others are mirrored here so
// that renaming a Go field never changes the API.

// List is one page of a list: Next is the cursor to pass as ?cursor= for
// the following page, empty on the last.
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// PartnershipSummary is one partnership of a list.
type PartnershipSummary struct {
	ID            string              `json:"id"`
	Title         string              `json:"title"`
	Program       string              `json:"program"`
	FocusArea     string              `json:"focus_area"`
	Parties       []partnership.Party `json:"parties"`
	State         partnership.State   `json:"state"`
	SuspendedFrom partnership.State   `json:"suspended_from,omitempty"`
	Start         citylinks.Date      `json:"start,omitzero"`
	End           citylinks.Date      `json:"end,omitzero"`
	Version       int64               `json:"version"`
	CreatedAt     time.Time           `json:"created_at"`
	UpdatedAt     time.Time           `json:"updated_at"`
}

func summaryOut(s partnership.Summary) PartnershipSummary {
	return PartnershipSummary{ID: s.ID, Title: s.Title, Program: s.Program, FocusArea: s.FocusArea, Parties: nonNil(s.Parties),
		State: s.State, SuspendedFrom: s.SuspendedFrom, Start: s.Start, End: s.End, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

// Partnership is the state of a partnership: the fold of its events.
type Partnership struct {
	ID            string                `json:"id"`
	Title         string                `json:"title"`
	Program       string                `json:"program"`
	FocusArea     string                `json:"focus_area"`
	Parties       []partnership.Party   `json:"parties"`
	Notes         string                `json:"notes,omitempty"`
	State         partnership.State     `json:"state"`
	SuspendedFrom partnership.State     `json:"suspended_from,omitempty"`
	Reason        string                `json:"reason,omitempty"`
	ProposedOn    citylinks.Date        `json:"proposed_on"`
	Start         citylinks.Date        `json:"start,omitzero"`
	End           citylinks.Date        `json:"end,omitzero"`
	Ratifications []Ratification        `json:"ratifications"`
	Agreement     *Agreement            `json:"agreement,omitempty"`
	Draft         *partnership.WorkPlan `json:"draft,omitempty"`
	WorkPlan      *partnership.WorkPlan `json:"work_plan,omitempty"`
	Exchanges     []Exchange            `json:"exchanges"`
	Contributions []Contribution        `json:"contributions"`
	Extensions    []Extension           `json:"extensions"`
	LastOn        citylinks.Date        `json:"last_on,omitzero"`
	ClosedOn      citylinks.Date        `json:"closed_on,omitzero"`
	Version       int64                 `json:"version"`
	CreatedAt     time.Time             `json:"created_at"`
	UpdatedAt     time.Time             `json:"updated_at"`
}

// Ratification is a resource party's governing-body approval.
type Ratification struct {
	Party string         `json:"party"`
	Body  string         `json:"body"`
	On    citylinks.Date `json:"on"`
}

// Agreement is a partnership's signed agreement.
type Agreement struct {
	Kind        partnership.AgreementKind `json:"kind"`
	On          citylinks.Date            `json:"on"`
	Signatories []partnership.Signatory   `json:"signatories"`
}

// Extension is one extension of the planned end.
type Extension struct {
	On     citylinks.Date `json:"on"`
	From   citylinks.Date `json:"from"`
	To     citylinks.Date `json:"to"`
	Reason string         `json:"reason,omitempty"`
}

// Exchange is an exchange visit with the organization that owns it (that
// of the actor who first recorded it).
type Exchange struct {
	partnership.Exchange
	Owner string `json:"owner,omitempty"`
}

// Contribution is volunteer time or in-kind value with the organization
// that owns it.
type Contribution struct {
	partnership.Contribution
	Owner string `json:"owner,omitempty"`
}

func partnershipOut(p partnership.Partnership) Partnership {
	out := Partnership{ID: p.ID, Title: p.Title, Program: p.Program, FocusArea: p.FocusArea, Parties: nonNil(p.Parties), Notes: p.Notes,
		State: p.State, SuspendedFrom: p.SuspendedFrom, Reason: p.Reason, ProposedOn: p.ProposedOn, Start: p.Start, End: p.End,
		Draft: p.Draft, WorkPlan: p.WorkPlan, LastOn: p.LastOn, ClosedOn: p.ClosedOn, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Ratifications: []Ratification{}, Exchanges: []Exchange{}, Contributions: []Contribution{}, Extensions: []Extension{}}
	for _, r := range p.Ratifications {
		out.Ratifications = append(out.Ratifications, Ratification(r))
	}
	if a := p.Agreement; a != nil {
		out.Agreement = &Agreement{Kind: a.Kind, On: a.On, Signatories: nonNil(a.Signatories)}
	}
	for _, x := range p.Exchanges {
		owner, _ := p.ExchangeOwner(x.ID)
		out.Exchanges = append(out.Exchanges, Exchange{Exchange: x, Owner: owner})
	}
	for _, c := range p.Contributions {
		owner, _ := p.ContributionOwner(c.ID)
		out.Contributions = append(out.Contributions, Contribution{Contribution: c, Owner: owner})
	}
	for _, e := range p.Extensions {
		out.Extensions = append(out.Extensions, Extension{On: e.On, From: e.From, To: e.To, Reason: e.Reason})
	}
	return out
}

// Event is one event of a partnership's history, in the JSON form the
// stores keep (partnership.EncodeEvent): schema, partnership, version,
// kind, on, at, actor and data.
type Event = json.RawMessage

// City is a place that can host or offer a partnership.
type City struct {
	ID             string                 `json:"id"`
	Name           string                 `json:"name"`
	Country        string                 `json:"country"`
	AdminCode      string                 `json:"admin_code,omitempty"`
	AdminName      string                 `json:"admin_name,omitempty"`
	Population     int64                  `json:"population"`
	PopulationYear int                    `json:"population_year,omitempty"`
	Location       *citylinks.LatLon      `json:"location,omitempty"`
	Elevation      *int                   `json:"elevation,omitempty"`
	Coastal        *bool                  `json:"coastal,omitempty"`
	TimeZone       string                 `json:"time_zone,omitempty"`
	Languages      []string               `json:"languages,omitempty"`
	Needs          []citylinks.TopicLevel `json:"needs,omitempty"`
	Offers         []citylinks.TopicLevel `json:"offers,omitempty"`
	Capacity       int                    `json:"capacity,omitempty"`
}

func cityOut(c citylinks.City) City {
	return City{ID: c.ID, Name: c.Name, Country: c.Country, AdminCode: c.AdminCode, AdminName: c.AdminName, Population: c.Population,
		PopulationYear: c.PopulationYear, Location: c.Location, Elevation: c.Elevation, Coastal: c.Coastal, TimeZone: c.TimeZone,
		Languages: c.Languages, Needs: c.Needs, Offers: c.Offers, Capacity: c.Capacity}
}

// Organization is a party to partnerships.
type Organization struct {
	ID      string             `json:"id"`
	Name    string             `json:"name"`
	Kind    citylinks.OrgKind  `json:"kind"`
	Country string             `json:"country,omitempty"`
	CityID  string             `json:"city_id,omitempty"`
	Members []citylinks.Member `json:"members,omitempty"`
}

func organizationOut(o citylinks.Organization) Organization {
	return Organization{ID: o.ID, Name: o.Name, Kind: o.Kind, Country: o.Country, CityID: o.CityID, Members: o.Members}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
