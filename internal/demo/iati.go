package demo

import (
	"context"
	"maps"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// IATIOrgs returns the IATI identities of the organizations the
// demonstration knows one for, by organization id (handoff.Options.IATI):
// USAID publishes as US-GOV-1. ICMA and the cities have no identifier here,
// so IATI output names them without a ref.
func IATIOrgs() map[string]render.IATIOrg { return maps.Clone(iatiOrgs) }

var iatiOrgs = map[string]render.IATIOrg{
	"usaid": {Ref: "US-GOV-1", Type: "10", Name: "U.S. Agency for International Development"},
}

// ParentActivity is the IATI identifier iati.xml gives the CityLinks 2011–2016
// Leader with Associates cooperative agreement AID-OAA-L-11-00008, the
// parent activity of the partnerships run under it: USAID's organisation
// identifier and the award number, the form of USAID's published
// identifiers. It is the quickstart's reading: check it against USAID's own
// IATI file before publishing. Partnerships under an associate award (the
// Telavi–Catawba County one) have no identified parent and are published
// at the top of the hierarchy.
const ParentActivity = "US-GOV-1-AID-OAA-L-11-00008"

// documentedDocuments are the public documents about the documented
// partnerships, from the sources column of dataset/citylinks_partnerships.csv:
// fact sheets, a water case study and project pages.
var documentedDocuments = map[string][]report.Document{
	"CL11-DUR-FTL": {{URL: "https://stage.icma.org/programs-and-projects/durban-southeast-florida-climate-change-partnership-citylinks",
		Title: "Durban – Southeast Florida Climate Change Partnership (ICMA CityLinks project page)", Category: report.DocumentWebPage, Format: "text/html", Language: "en"}},
	"CL11-DAR-DUR": {{URL: "http://www.transformgov.org/documents/dar-es-salaam-durban-climate-change-partnership-fact-sheet",
		Title: "Dar es Salaam – Durban Climate Change Partnership fact sheet (ICMA)", Category: report.DocumentResults, Format: "text/html", Language: "en"}},
	"CL11-SHI-BOU": {{URL: "https://icma.org/documents/managing-shimlas-water-challenges-uncertain-future",
		Title: "Managing Shimla's water challenges in an uncertain future (ICMA)", Category: report.DocumentEvaluation, Format: "text/html", Language: "en"}},
	"CL11-POR-TSV": {{URL: "https://docslib.org/doc/344136/partnership-fact-sheet",
		Title: "Portmore – Townsville partnership fact sheet (a copy on docslib.org)", Category: report.DocumentResults, Format: "text/html", Language: "en"}},
	"CL11-LCE-SOM": {{URL: "https://icma.org/programs-and-projects/la-ceiba-%E2%80%93-somerville-climate-change-partnership-citylinks",
		Title: "La Ceiba – Somerville Climate Change Partnership (ICMA CityLinks project page)", Category: report.DocumentWebPage, Format: "text/html", Language: "en"}},
}

// Amender returns how the demonstration amends each partnership's report
// activity (handoff.Options.Amend): amend's schedule and sectors, the host and resource cities
// with their coordinates (from the stored cities of the parties'
// organizations; iati.xml publishes the host's, the report's map draws
// both), and what else iati.xml publishes: the parent award of partnerships under the cooperative
// agreement, and the documented partnerships' public documents. It reads
// only stored organizations and cities, which a run never changes.
func Amender(core citylinks.Store) func(partnership.Partnership, *report.Activity) {
	return func(p partnership.Partnership, a *report.Activity) {
		amend(p, a)
		ctx := context.Background()
		for _, party := range p.Parties {
			role := report.LocationHost
			switch party.Role {
			case partnership.PartyHost:
			case partnership.PartyResource:
				role = report.LocationResource
			default:
				continue
			}
			for _, id := range cityIDs(ctx, core, party) {
				if c, err := core.GetCity(ctx, id); err == nil && c.Location != nil {
					a.Locations = append(a.Locations, report.Location{Name: c.Name, Role: role, GeoNames: c.ID, Lat: c.Location.Lat, Lon: c.Location.Lon})
				}
			}
		}
		if p.Program == citylinks.ProgramCityLinks2011 && p.ID != "CL11-TEL-CAT" {
			a.Parent = ParentActivity
		}
		a.Documents = append(a.Documents, documentedDocuments[p.ID]...)
	}
}

// cityIDs returns the GeoNames ids of the cities a party governs: its
// organization's, else those of its members that are organizations with a
// city (Fort Lauderdale in Fort Lauderdale + Broward County).
func cityIDs(ctx context.Context, core citylinks.Store, party partnership.Party) []string {
	o, err := core.GetOrganization(ctx, party.Organization)
	if err != nil {
		return nil
	}
	if o.CityID != "" {
		return []string{o.CityID}
	}
	var out []string
	for _, m := range o.Members {
		if mo, err := core.GetOrganization(ctx, m.ID); err == nil && mo.CityID != "" {
			out = append(out, mo.CityID)
		}
	}
	return out
}
