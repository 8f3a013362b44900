package handoff

import (
	"fmt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
)

// Terms are what a partnership proposal needs beyond the pair a matching
// round proposed. Zero fields take the defaults given.
type Terms struct {
	// ID is the partnership's id. Defaults to none, with which the
	// partnership.Service makes one.
	ID string
	// Title defaults to "<host name> – <resource name>".
	Title string
	// Program is the program's id, e.g. citylinks.ProgramCityLinks2011.
	// Required (partnership.Service refuses a proposal without one).
	Program string
	// FocusArea defaults to the round's.
	FocusArea string
	// On is the day of the proposal. Defaults to the round's AsOf.
	On citylinks.Date
	// Start and End are the planned period; both optional.
	Start, End citylinks.Date
	// Facilitator and Funder, when set, join the partnership in those
	// roles (ICMA and a USAID mission in the CityLinks programs).
	Facilitator, Funder *citylinks.Organization
	// Others are further parties: third-country peers, supporting NGOs,
	// universities or firms.
	Others []partnership.Party
	// Notes defaults to a line giving the round's date, the pair's score
	// and the resource's rank among the host's candidates.
	Notes string
}

// Propose returns the partnership proposal for proposal pr of matching
// round r: the host and resource parties as the round described them
// (matching.Party.Organization, else the city's own government, as
// matching.Subject.Party defines it), then the facilitator, the funder and
// the other parties of t. Pass it to partnership.Service.Propose.
//
// It returns a *citylinks.ValidationError when pr's host or resource is not
// among r's hosts or resources (pr came from another round); anything else
// wrong with the proposal, partnership.Service.Propose reports.
func Propose(r matching.Round, pr matching.Proposal, t Terms) (partnership.Propose, error) {
	host, ok := party(r.Hosts, pr.HostID)
	if !ok {
		return partnership.Propose{}, &citylinks.ValidationError{Field: "host_id",
			Problem: fmt.Sprintf("%q is not among the round's hosts: pass the round the proposal came from", pr.HostID)}
	}
	resource, ok := party(r.Resources, pr.ResourceID)
	if !ok {
		return partnership.Propose{}, &citylinks.ValidationError{Field: "resource_id",
			Problem: fmt.Sprintf("%q is not among the round's resources: pass the round the proposal came from", pr.ResourceID)}
	}
	c := partnership.Propose{
		ID: t.ID, Title: t.Title, Program: t.Program, FocusArea: t.FocusArea,
		Start: t.Start, End: t.End, Notes: t.Notes, On: t.On,
		Parties: []partnership.Party{
			partnership.NewParty(partnership.PartyHost, host),
			partnership.NewParty(partnership.PartyResource, resource),
		},
	}
	if c.Title == "" {
		c.Title = host.Name + " – " + resource.Name
	}
	if c.FocusArea == "" {
		c.FocusArea = r.FocusArea
	}
	if c.On.IsZero() {
		c.On = r.AsOf
	}
	if c.Notes == "" {
		how := fmt.Sprintf("rank %d of the host's %d candidates", pr.Rank, pr.Candidates)
		if pr.Forced {
			how = "a pair decided in advance"
		}
		c.Notes = fmt.Sprintf("Proposed by the matching round of %s: score %.3f, %s.", r.AsOf, pr.Score, how)
	}
	if t.Facilitator != nil {
		c.Parties = append(c.Parties, partnership.NewParty(partnership.PartyFacilitator, *t.Facilitator))
	}
	if t.Funder != nil {
		c.Parties = append(c.Parties, partnership.NewParty(partnership.PartyFunder, *t.Funder))
	}
	c.Parties = append(c.Parties, t.Others...)
	return c, nil
}

// party returns the organization that signs for the round party of city
// id.
func party(ps []matching.Party, id string) (citylinks.Organization, bool) {
	for _, p := range ps {
		if p.City.ID == id {
			return matching.Subject{City: p.City, Organization: p.Organization}.Party(), true
		}
	}
	return citylinks.Organization{}, false
}
