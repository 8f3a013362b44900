package partnership

import (
	"fmt"
	"slices"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// PartyRole is the part an organization plays in a partnership.
type PartyRole string

// The party roles. A partnership needs at least one host and one resource
// party: a host city is paired with a peer local government that shares
// its expertise; ICMA facilitates, a USAID mission funds, NGOs,
// universities and firms support (ICMA, "How CityLinks Works" and
// "Information for U.S. Local Governments").
const (
	PartyHost         PartyRole = "host"          // the city or county that receives assistance
	PartyResource     PartyRole = "resource"      // the peer that shares its expertise
	PartyThirdCountry PartyRole = "third-country" // a peer from a third country
	PartyFacilitator  PartyRole = "facilitator"   // e.g. ICMA
	PartyFunder       PartyRole = "funder"        // e.g. a USAID mission
	PartySupporting   PartyRole = "supporting"    // an NGO, university or private firm
)

// PartyRoles returns every PartyRole.
func PartyRoles() []PartyRole {
	return []PartyRole{PartyHost, PartyResource, PartyThirdCountry, PartyFacilitator, PartyFunder, PartySupporting}
}

// Valid reports whether r is one of the PartyRoles.
func (r PartyRole) Valid() bool { return slices.Contains(PartyRoles(), r) }

// Party is an organization taking part in a partnership, with what the
// partnership needs to know about it copied in, so that the partnership's
// record stands on its own even if the organization is later renamed or
// deleted. A composite party (Fort Lauderdale + Broward County) stays one
// party with Members.
type Party struct {
	Role         PartyRole          `json:"role"`
	Organization string             `json:"organization"` // the citylinks.Organization id
	Name         string             `json:"name"`
	Kind         citylinks.OrgKind  `json:"kind"`
	Country      string             `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Members      []citylinks.Member `json:"members,omitempty"` // of a composite party
}

// NewParty returns the party that organization o forms in role r.
func NewParty(r PartyRole, o citylinks.Organization) Party {
	return Party{Role: r, Organization: o.ID, Name: o.Name, Kind: o.Kind, Country: o.Country, Members: slices.Clone(o.Members)}
}

// Includes reports whether org is the party's organization or one of its
// members.
func (p Party) Includes(org string) bool {
	if p.Organization == org {
		return true
	}
	for _, m := range p.Members {
		if m.ID == org {
			return true
		}
	}
	return false
}

// OrganizationIDs returns the party's organization id followed by its
// members' ids.
func (p Party) OrganizationIDs() []string {
	ids := make([]string, 0, 1+len(p.Members))
	ids = append(ids, p.Organization)
	for _, m := range p.Members {
		ids = append(ids, m.ID)
	}
	return ids
}

func (p Party) clone() Party {
	p.Members = slices.Clone(p.Members)
	return p
}

// validate checks p, naming fields by their JSON names.
func (p Party) validate() error {
	if !p.Role.Valid() {
		return invalid("role", "%q is not a party role (host, resource, third-country, facilitator, funder, supporting)", errtext.Clip(string(p.Role)))
	}
	o := citylinks.Organization{ID: p.Organization, Name: p.Name, Kind: p.Kind, Country: p.Country, Members: p.Members}
	if err := o.Validate(); err != nil {
		if ve, ok := err.(*citylinks.ValidationError); ok && ve.Field == "id" {
			return invalid("organization", "%s", ve.Problem)
		}
		return err
	}
	return nil
}

// validateParties checks the parties of a proposal: each valid, no
// organization twice, at least one host and one resource.
func validateParties(ps []Party) error {
	seen := map[string]int{}
	var host, resource bool
	for i, p := range ps {
		f := fmt.Sprintf("parties[%d]", i)
		if err := p.validate(); err != nil {
			return prefix(f, err)
		}
		for _, id := range p.OrganizationIDs() {
			if j, dup := seen[id]; dup {
				return invalid(f+".organization", "organization %q is already in parties[%d]", errtext.Clip(id), j)
			}
			seen[id] = i
		}
		host = host || p.Role == PartyHost
		resource = resource || p.Role == PartyResource
	}
	switch {
	case !host:
		return invalid("parties", "a partnership needs at least one host party")
	case !resource:
		return invalid("parties", "a partnership needs at least one resource party")
	}
	return nil
}
