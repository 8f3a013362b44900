package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
)

// The demonstration round: a climate-adaptation round in the style of the
// 2015 Climate Adaptation Partnership Program (CAPP), matched as of the day
// CAPP 2015 announced its pairs, so that the FY15 income groups and the
// eligibility rules of CityLinks 2011–2016 apply. The applicants are real
// GeoNames cities, but their needs, offers, capacities and commitment are
// illustrative: no source gives such profiles.

// RoundPrefix begins the id of every partnership the demonstration round
// proposes.
const RoundPrefix = "CAPP15-DEMO-"

var roundAsOf = day(2015, 3, 23)

// applicant is a city applying to the round, by GeoNames id.
type applicant struct {
	geonameID  string
	profile    string // needs (hosts) or offers (resources), as ParseProfile reads them
	coastal    bool
	capacity   int     // resources only
	commitment float64 // the facilitator's judgement of the application, 0–1
	kind       citylinks.OrgKind
	name       string // for an applicant that is not a city (an NGO)
}

var roundHosts = []applicant{
	{geonameID: "3687238", profile: "coastal-management:3;stormwater:3;climate-adaptation:2", coastal: true, commitment: 0.9},  // Cartagena, CO
	{geonameID: "1583992", profile: "stormwater:3;disaster-risk:3;coastal-management:2", coastal: true, commitment: 0.8},       // Da Nang, VN
	{geonameID: "186301", profile: "coastal-management:3;water-supply:2;climate-adaptation:2", coastal: true, commitment: 0.7}, // Mombasa, KE
	{geonameID: "1205733", profile: "disaster-risk:3;stormwater:3;coastal-management:3", coastal: true, commitment: 0.85},      // Chattogram, BD
	{geonameID: "1052373", profile: "coastal-management:3;disaster-risk:3;stormwater:2", coastal: true, commitment: 0.75},      // Beira, MZ
	{geonameID: "1283240", profile: "disaster-risk:3;water-supply:3;climate-adaptation:2", commitment: 0.8},                    // Kathmandu, NP
	{geonameID: "3941584", profile: "water-supply:3;climate-adaptation:2;land-use:2", commitment: 0.65},                        // Cusco, PE
	{geonameID: "202061", profile: "stormwater:2;land-use:3;climate-adaptation:2", commitment: 0.7},                            // Kigali, RW
	{geonameID: "3868626", profile: "coastal-management:2;disaster-risk:3", coastal: true, commitment: 0.9},                    // Valparaíso, CL: high income in FY15
	{geonameID: "1007311", profile: "coastal-management:3;climate-adaptation:3", coastal: true, commitment: 0.9},               // Durban, ZA: already a host
	{geonameID: "1706889", profile: "stormwater:3;disaster-risk:3", coastal: true, commitment: 0.9},                            // Legazpi, PH: already a host
}

var roundResources = []applicant{
	{geonameID: "4776222", profile: "coastal-management:3;stormwater:3;climate-adaptation:3", coastal: true, capacity: 2, commitment: 0.9},    // Norfolk, VA
	{geonameID: "4574324", profile: "stormwater:3;coastal-management:2;disaster-risk:2", coastal: true, capacity: 1, commitment: 0.8},         // Charleston, SC
	{geonameID: "5577147", profile: "water-supply:3;climate-adaptation:2;land-use:2", capacity: 1, commitment: 0.85},                          // Fort Collins, CO
	{geonameID: "4553433", profile: "stormwater:3;disaster-risk:3;land-use:2", capacity: 1, commitment: 0.7},                                  // Tulsa, OK
	{geonameID: "5809844", profile: "climate-adaptation:3;coastal-management:2;water-supply:2", coastal: true, capacity: 2, commitment: 0.75}, // Seattle, WA
	{geonameID: "2163355", profile: "disaster-risk:2;climate-adaptation:2", coastal: true, capacity: 1, commitment: 0.6},                      // Hobart, AU
	{geonameID: "5574991", profile: "water-supply:3;climate-adaptation:3", capacity: 1, commitment: 0.9},                                      // Boulder, CO: already a resource
	{geonameID: "4155966", profile: "stormwater:3;coastal-management:3", coastal: true, capacity: 1, commitment: 0.9},                         // Fort Lauderdale, FL: already a resource
	{geonameID: "iclei-usa", name: "ICLEI USA", kind: citylinks.KindNGO, profile: "climate-adaptation:3", capacity: 2, commitment: 0.8},       // an NGO, not a local government
}

// roundResult is what the round did.
type roundResult struct {
	found       int // round partnerships found from an earlier run
	proposals   []matching.Proposal
	unmatched   []matching.Unmatched
	total       float64
	ids         []string // the round's partnerships
	hosts, res  int
	ineligible  int
	explanation []string
}

// runRound matches the applicants and proposes a partnership for each pair.
// If an earlier run already proposed them, it matches nothing again and
// reports what it found.
func runRound(ctx context.Context, e *Env) (roundResult, error) {
	var out roundResult
	existing, err := listAll(ctx, e)
	if err != nil {
		return out, err
	}
	for _, s := range existing {
		if strings.HasPrefix(s.ID, RoundPrefix) {
			out.found++
			out.ids = append(out.ids, s.ID)
		}
	}
	if out.found > 0 {
		return out, nil
	}

	program, round, orgs, err := e.buildRound(ctx, existing, roundAsOf)
	if err != nil {
		return out, err
	}
	out.hosts, out.res = len(round.Hosts), len(round.Resources)
	res, err := matching.Match(ctx, program, round, nil)
	if err != nil {
		return out, fmt.Errorf("match: %w", err)
	}
	out.proposals, out.unmatched, out.total = res.Proposals, res.Unmatched, res.Total
	for _, u := range res.Unmatched {
		if u.Why == matching.WhyIneligible {
			out.ineligible++
		}
	}

	// Each proposal becomes a proposed partnership.
	icma, _ := e.Core.GetOrganization(ctx, "icma")
	usaid, _ := e.Core.GetOrganization(ctx, "usaid")
	for _, pr := range res.Proposals {
		host, resource := orgs[pr.HostID], orgs[pr.ResourceID]
		id := RoundPrefix + slug(host.Name) + "-" + slug(resource.Name)
		prop, err := handoff.Propose(round, pr, handoff.Terms{
			ID: id, Title: host.Name + " – " + resource.Name + " (climate adaptation, demonstration round)",
			Program: program.ID, End: day(2016, 3, 31), Facilitator: &icma, Funder: &usaid,
			Notes: fmt.Sprintf("Proposed by the demonstration matching round of %s (score %.3f). Profiles, exchanges, hours and outcomes of this round are illustrative.", roundAsOf, pr.Score),
		})
		if err != nil {
			return out, err
		}
		if _, err := e.Partnerships.Propose(ctx, e.Facilitator, prop); err != nil {
			return out, fmt.Errorf("propose %s: %w", id, err)
		}
		out.ids = append(out.ids, id)
	}
	return out, nil
}

// Round is the demonstration round as it stood before it proposed its
// pairs, as of asOf (the zero date: the day it was matched, 2015-03-23):
// its program, and its applicants with the stored partnerships (other than
// the round's own) as the existing ones. It stores each applicant's
// organization, as the round did.
func (e *Env) Round(ctx context.Context, asOf citylinks.Date) (citylinks.Program, matching.Round, error) {
	existing, err := listAll(ctx, e)
	if err != nil {
		return citylinks.Program{}, matching.Round{}, err
	}
	if asOf.IsZero() {
		asOf = roundAsOf
	}
	program, round, _, err := e.buildRound(ctx, existing, asOf)
	return program, round, err
}

// buildRound makes the round of the applicants over the existing
// partnerships, and returns the applicants' organizations by city id.
func (e *Env) buildRound(ctx context.Context, existing []partnership.Summary, asOf citylinks.Date) (citylinks.Program, matching.Round, map[string]citylinks.Organization, error) {
	orgs := map[string]citylinks.Organization{} // by city id
	hosts, err := parties(ctx, e, roundHosts, true, orgs)
	if err != nil {
		return citylinks.Program{}, matching.Round{}, nil, err
	}
	resources, err := parties(ctx, e, roundResources, false, orgs)
	if err != nil {
		return citylinks.Program{}, matching.Round{}, nil, err
	}
	// The partnerships already running, as matching sees them: by the cities
	// of their host and resource parties.
	var open []matching.Existing
	for _, s := range existing {
		if strings.HasPrefix(s.ID, RoundPrefix) {
			continue
		}
		host, res := cityOfRole(ctx, e, s, partnership.PartyHost), cityOfRole(ctx, e, s, partnership.PartyResource)
		if host == "" && res == "" {
			continue
		}
		p, err := e.Partnerships.Get(ctx, e.Facilitator, s.ID)
		if err != nil {
			return citylinks.Program{}, matching.Round{}, nil, err
		}
		mp := matching.Existing{ID: s.ID, HostID: host, ResourceID: res, FocusArea: s.FocusArea, Start: p.ProposedOn}
		if !p.ClosedOn.IsZero() {
			mp.End = p.ClosedOn
		}
		open = append(open, mp)
	}

	program, err := e.Core.GetProgram(ctx, citylinks.ProgramCityLinks2011)
	if err != nil {
		return citylinks.Program{}, matching.Round{}, nil, err
	}
	round := matching.Round{FocusArea: citylinks.FocusClimate, AsOf: asOf, Hosts: hosts, Resources: resources, Existing: open}
	return program, round, orgs, nil
}

// orgIDOf is the organization id the quickstart gives a round applicant.
func orgIDOf(cityID string) string { return "city-" + cityID }

// parties turns applicants into matching parties, storing an organization
// for each and noting it in orgs by city id.
func parties(ctx context.Context, e *Env, apps []applicant, host bool, orgs map[string]citylinks.Organization) ([]matching.Party, error) {
	var out []matching.Party
	for _, a := range apps {
		var c citylinks.City
		var org citylinks.Organization
		if a.kind == "" {
			var err error
			if c, err = e.Core.GetCity(ctx, a.geonameID); err != nil {
				return nil, fmt.Errorf("applicant %s: %w", a.geonameID, err)
			}
			org = citylinks.Organization{ID: orgIDOf(c.ID), Name: c.Name, Kind: citylinks.KindCity, Country: c.Country, CityID: c.ID}
			// A city already a party to a documented partnership keeps its
			// organization, so the round sees it as already partnered.
			for _, d := range documentedOrgs {
				if d.CityID == c.ID {
					org = d
				}
			}
		} else {
			c = citylinks.City{ID: a.geonameID, Name: a.name, Country: "US"}
			org = citylinks.Organization{ID: orgIDOf(a.geonameID), Name: a.name, Kind: a.kind, Country: "US"}
		}
		profile, err := citylinks.ParseProfile(a.profile)
		if err != nil {
			return nil, err
		}
		coastal := a.coastal
		c.Coastal = &coastal
		if host {
			c.Needs = profile
		} else {
			c.Offers, c.Capacity = profile, a.capacity
		}
		if org.ID == orgIDOf(c.ID) {
			if err := e.Core.PutOrganization(ctx, org); err != nil {
				return nil, err
			}
		}
		orgs[c.ID] = org
		commitment := a.commitment
		o := org
		out = append(out, matching.Party{City: c, Organization: &o, Commitment: &commitment})
	}
	return out, nil
}

// cityOfRole returns the city id of the first party with role r in s, if
// its organization is linked to a city.
func cityOfRole(ctx context.Context, e *Env, s partnership.Summary, r partnership.PartyRole) string {
	for _, p := range s.Parties {
		if p.Role != r {
			continue
		}
		if o, err := e.Core.GetOrganization(ctx, p.Organization); err == nil {
			return o.CityID
		}
	}
	return ""
}

// ListAll returns the summary of every stored partnership, as the
// facilitator reads them.
func (e *Env) ListAll(ctx context.Context) ([]partnership.Summary, error) {
	return listAll(ctx, e)
}

// listAll returns every partnership summary.
func listAll(ctx context.Context, e *Env) ([]partnership.Summary, error) {
	var out []partnership.Summary
	f := partnership.Filter{Limit: citylinks.MaxPageSize}
	for {
		p, err := e.Partnerships.List(ctx, e.Facilitator, f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out, nil
		}
		f.After = p.Next
	}
}

// slug turns a name into an upper-case id part: ASCII letters and digits,
// other runs as one hyphen ("Da Nang" → "DA-NANG").
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToUpper(name) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
