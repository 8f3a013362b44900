package demo

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/partnership"
)

// documented is what the sources say about one 2011–2016 partnership beyond
// the columns of dataset/citylinks_partnerships.csv: the dates they give to
// the day, the exchanges they date, and the work-plan objective they name.
// Everything else (volunteer hours, participants) is left out. No source
// names indicators: those the objective is linked to are the quickstart's
// choice from the starter catalogue (CL-CLIM-01, or CL-BASIC-01 in basic
// services, unless indicators says otherwise).
type documented struct {
	paired     citylinks.Date // the day the pair was announced, if a source gives it
	pairedNote string
	objective  string
	indicators []string // the starter indicators linked to the objective
	exchanges  []partnership.Exchange
	closing    bool   // the final exchange is documented as done
	note       string // what is known but not recorded, for want of dates
}

// documentedFacts are keyed by dataset row id. Sources: the row's sources
// column, and for 2015-03-23 ICMA/TransformGov, "Six Cities Chosen for the
// Climate Adaptation Partnership Program" (23 Mar 2015), which pairs Boulder
// with Shimla and Townsville with Portmore (round 1) and Somerville with La
// Ceiba (round 2).
var documentedFacts = map[string]documented{
	"CL11-DUR-FTL": {
		objective: "A regional climate-governance model for Durban based on the Southeast Florida Regional Climate Change Compact",
		exchanges: []partnership.Exchange{{ID: "durban-2013-07", From: "ftl-broward", To: "durban",
			Start: day(2013, 7, 1), End: day(2013, 7, 31), Status: partnership.ExchangeDone,
			Purpose: "U.S. staff travelled to Durban (July 2013; days not documented, the whole month is recorded)"}},
	},
	"CL11-DAR-DUR": {objective: "Sea-level rise and coastal management (South–South partnership)",
		note: "A fact sheet of results is dated September 2016; its figures are not in the data."},
	"CL11-CRI-CAM": {objective: "Climate adaptation (ASEAN Cities Climate Change Partnership)"},
	"CL11-LEG-FTL": {
		objective: "Climate adaptation, stormwater and disaster risk (ASEAN Cities Climate Change Partnership)",
		exchanges: []partnership.Exchange{{ID: "florida-2014-06", From: "legazpi", To: "fort-lauderdale",
			Start: day(2014, 6, 16), End: day(2014, 6, 23), Status: partnership.ExchangeDone,
			Purpose: "Legazpi delegation in Southeast Florida"}},
	},
	"CL11-SHI-BOU": {
		paired: day(2015, 3, 23), pairedNote: "pairs announced 2015-03-23",
		objective: "The nexus between climate, resilience and water",
		exchanges: []partnership.Exchange{{ID: "shimla-2016-03", From: "boulder", To: "shimla",
			Start: day(2016, 3, 1), End: day(2016, 3, 31), Status: partnership.ExchangeDone,
			Purpose: "Final exchange: Boulder delegation to Shimla (March 2016; days not documented)"}},
		closing: true,
	},
	"CL11-POR-TSV": {
		paired: day(2015, 3, 23), pairedNote: "pairs announced 2015-03-23",
		objective:  "Climate adaptation: storm surge and sea-level rise; a Portmore Climate Action Plan",
		indicators: []string{"CL-CLIM-04", "CL-CLIM-01"}, // the workshop's 46 participants are a CL-CLIM-04 figure
		note:       "A stakeholder workshop with 46 participants fed the Climate Action Plan; the second exchange went to Townsville in July (year not stated).",
	},
	"CL11-LCE-SOM": {
		paired: day(2015, 3, 23), pairedNote: "pair announced 2015-03-23 for round 2",
		objective: "Climate adaptation: flooding, stormwater and land use",
	},
	"CL11-SEM-GCO": {
		paired: day(2015, 8, 12), pairedNote: "pair announced 2015-08-12",
		objective: "Climate adaptation for coastal, low-lying development",
	},
	"CL11-TEL-CAT": {
		objective: "Solid-waste management (Waste Management Technologies in Regions associate award)",
		exchanges: []partnership.Exchange{{ID: "catawba-2015-07", From: "telavi", To: "catawba-county",
			Start: day(2015, 7, 24), End: day(2015, 7, 31), Status: partnership.ExchangeDone,
			Purpose: "Telavi delegation visited Catawba County"}},
	},
}

func day(y int, m time.Month, d int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: d} }

// partnershipRow is one row of dataset/citylinks_partnerships.csv.
type partnershipRow struct {
	ID, Phase, Resource, ResourceKind, ResourceCountry, Partner, PartnerCountry, Focus, Note, Confidence, Sources string
	StartYear, EndYear                                                                                            int
}

func readPartnershipRows() ([]partnershipRow, error) {
	r := csv.NewReader(dataset.Partnerships())
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("partnerships table: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var rows []partnershipRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("partnerships table: %w", err)
		}
		get := func(k string) string { return rec[col[k]] }
		row := partnershipRow{ID: get("id"), Phase: get("program_phase"), Resource: get("resource_party"), ResourceKind: get("resource_party_kind"),
			ResourceCountry: get("resource_country"), Partner: get("partner_city"), PartnerCountry: get("partner_country"), Focus: get("focus"),
			Note: get("status_note"), Confidence: get("confidence"), Sources: get("sources")}
		row.StartYear, _ = strconv.Atoi(get("start_year"))
		row.EndYear, _ = strconv.Atoi(get("end_year"))
		rows = append(rows, row)
	}
}

// The organizations of the documented partnerships, by id. Composite parties
// stay composite: Fort Lauderdale and Broward County acted together with
// Durban. Each city that GeoNames has is linked to its GeoNames id.
var documentedOrgs = []citylinks.Organization{
	{ID: "icma", Name: "ICMA (International City/County Management Association)", Kind: citylinks.KindFacilitator, Country: "US"},
	{ID: "usaid", Name: "USAID", Kind: citylinks.KindDonor, Country: "US"},
	{ID: "durban", Name: "Durban (eThekwini Municipality)", Kind: citylinks.KindCity, Country: "ZA", CityID: "1007311"},
	{ID: "ftl-broward", Name: "Fort Lauderdale + Broward County, FL", Kind: citylinks.KindConsortium, Country: "US", Members: []citylinks.Member{
		{ID: "fort-lauderdale", Name: "City of Fort Lauderdale", Kind: citylinks.KindCity},
		{ID: "broward-county", Name: "Broward County", Kind: citylinks.KindCounty}}},
	{ID: "fort-lauderdale", Name: "Fort Lauderdale, FL", Kind: citylinks.KindCity, Country: "US", CityID: "4155966"},
	{ID: "dar-es-salaam", Name: "Dar es Salaam (Kinondoni Municipal Council)", Kind: citylinks.KindCity, Country: "TZ", CityID: "160263"},
	{ID: "chiang-rai", Name: "Chiang Rai", Kind: citylinks.KindCity, Country: "TH", CityID: "1153669"},
	{ID: "cambridge-ma", Name: "Cambridge, MA", Kind: citylinks.KindCity, Country: "US", CityID: "4931972"},
	{ID: "legazpi", Name: "Legazpi City", Kind: citylinks.KindCity, Country: "PH", CityID: "1706889"},
	{ID: "shimla", Name: "Shimla", Kind: citylinks.KindCity, Country: "IN", CityID: "1256237"},
	{ID: "boulder", Name: "Boulder, CO", Kind: citylinks.KindCity, Country: "US", CityID: "5574991"},
	{ID: "portmore", Name: "Portmore", Kind: citylinks.KindCity, Country: "JM", CityID: "3488981"},
	{ID: "townsville", Name: "Townsville, Queensland", Kind: citylinks.KindCity, Country: "AU", CityID: "2146142"},
	{ID: "la-ceiba", Name: "La Ceiba", Kind: citylinks.KindCity, Country: "HN", CityID: "3608248"},
	{ID: "somerville", Name: "Somerville, MA", Kind: citylinks.KindCity, Country: "US", CityID: "4951257"},
	{ID: "semarang", Name: "Semarang", Kind: citylinks.KindCity, Country: "ID", CityID: "1627896"},
	{ID: "gold-coast", Name: "Gold Coast, Queensland", Kind: citylinks.KindCity, Country: "AU", CityID: "2165087"},
	{ID: "telavi", Name: "Telavi", Kind: citylinks.KindCity, Country: "GE", CityID: "611694"},
	// Catawba County's seat, Newton, is too small for the GeoNames table
	// (cities of 15,000 and more): the county is placed at its largest city,
	// Hickory.
	{ID: "catawba-county", Name: "Catawba County, NC", Kind: citylinks.KindCounty, Country: "US", CityID: "4470778"},
}

// rowParties maps a row's host and resource to organization ids.
var rowParties = map[string][2]string{
	"CL11-DUR-FTL": {"durban", "ftl-broward"},
	"CL11-DAR-DUR": {"dar-es-salaam", "durban"},
	"CL11-CRI-CAM": {"chiang-rai", "cambridge-ma"},
	"CL11-LEG-FTL": {"legazpi", "fort-lauderdale"},
	"CL11-SHI-BOU": {"shimla", "boulder"},
	"CL11-POR-TSV": {"portmore", "townsville"},
	"CL11-LCE-SOM": {"la-ceiba", "somerville"},
	"CL11-SEM-GCO": {"semarang", "gold-coast"},
	"CL11-TEL-CAT": {"telavi", "catawba-county"},
}

// focusOf maps the dataset's focus column to a focus-area id.
func focusOf(f string) (string, error) {
	switch f {
	case "climate":
		return citylinks.FocusClimate, nil
	case "solid_waste":
		return citylinks.FocusBasicServices, nil
	}
	return "", fmt.Errorf("no focus area for %q", f)
}

// replayed is what replayDocumented did.
type replayed struct {
	created, found int
	// unlinked counts the partnerships found whose work plan names no
	// indicators: an earlier quickstart wrote them, which linked
	// indicators to objectives in its own code, not in the work plan.
	unlinked int
	ids      []string
}

// replayDocumented walks the nine documented CityLinks 2011–2016
// partnerships through their lifecycle as far as the sources document it.
// Dates the sources give are used; where a source gives only a year, the
// walk records the first of January of that year and says so in the
// partnership's notes. A partnership already in the store is left alone.
func replayDocumented(ctx context.Context, env *Env) (replayed, error) {
	var out replayed
	orgs := map[string]citylinks.Organization{}
	for _, o := range documentedOrgs {
		if err := env.Core.PutOrganization(ctx, o); err != nil {
			return out, err
		}
		orgs[o.ID] = o
	}
	rows, err := readPartnershipRows()
	if err != nil {
		return out, err
	}
	program, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		if !strings.HasPrefix(r.Phase, "CityLinks 2011-2016") {
			continue
		}
		facts, ok := documentedFacts[r.ID]
		pair, ok2 := rowParties[r.ID]
		if !ok || !ok2 {
			return out, fmt.Errorf("row %s of the partnerships table has no replay facts", r.ID)
		}
		out.ids = append(out.ids, r.ID)
		if p, err := env.Partnerships.Get(ctx, env.Facilitator, r.ID); err == nil {
			out.found++
			if p.WorkPlan != nil && !slices.ContainsFunc(p.WorkPlan.Objectives, func(o partnership.Objective) bool { return len(o.Indicators) > 0 }) {
				out.unlinked++
			}
			continue
		} else if !errors.Is(err, citylinks.ErrNotFound) {
			return out, err
		}
		focus, err := focusOf(r.Focus)
		if err != nil {
			return out, fmt.Errorf("row %s: %w", r.ID, err)
		}
		host, resource := orgs[pair[0]], orgs[pair[1]]
		parties := []partnership.Party{
			partnership.NewParty(partnership.PartyHost, host),
			partnership.NewParty(partnership.PartyResource, resource),
			partnership.NewParty(partnership.PartyFacilitator, orgs["icma"]),
			partnership.NewParty(partnership.PartyFunder, orgs["usaid"]),
		}
		on, dateNote := facts.paired, facts.pairedNote
		if on.IsZero() {
			on = day(r.StartYear, 1, 1)
			dateNote = fmt.Sprintf("only the start year %d is documented: 1 January is recorded for the pairing, ratification, agreement and work plan", r.StartYear)
		} else {
			dateNote += ": ratification, agreement and work plan are not dated by any source and are recorded on that day"
		}
		end, endNote := program.End, "planned end not documented: the program's end is used"
		if r.EndYear != 0 {
			end, endNote = day(r.EndYear, 12, 31), fmt.Sprintf("end year %d documented: 31 December is used", r.EndYear)
		}
		indicators := facts.indicators
		switch {
		case indicators != nil:
		case focus == citylinks.FocusBasicServices:
			indicators = []string{"CL-BASIC-01"}
		default:
			indicators = []string{"CL-CLIM-01"}
		}
		notes := sentences(r.Note, dateNote+"; "+endNote, facts.note) + " Sources: " + r.Sources // no full stop after a URL
		cmds := []partnership.Command{
			partnership.Propose{ID: r.ID, Title: host.Name + " – " + resource.Name, Program: program.ID, FocusArea: focus,
				Parties: parties, End: end, Notes: strings.TrimSpace(notes), On: on},
			partnership.Ratify{Party: resource.ID, Body: "governing body of " + resource.Name, On: on},
			partnership.SignAgreement{Agreement: partnership.AgreementThreeWay, End: end, On: on, Signatories: []partnership.Signatory{
				{Party: "icma", Name: "ICMA"}, {Party: resource.ID, Name: resource.Name}, {Party: host.ID, Name: host.Name}}},
			partnership.AgreeWorkPlan{On: on, Plan: partnership.WorkPlan{Objectives: []partnership.Objective{{Code: "O1", Text: facts.objective, Indicators: indicators}}}},
		}
		for _, x := range facts.exchanges {
			cmds = append(cmds, partnership.RecordExchange{Exchange: x})
		}
		if facts.closing {
			last := facts.exchanges[len(facts.exchanges)-1]
			cmds = append(cmds, partnership.StartClosing{On: last.End})
		}
		for _, c := range cmds {
			if _, err := env.Partnerships.Execute(ctx, env.Facilitator, r.ID, c); err != nil {
				return out, fmt.Errorf("replay %s: %s: %w", r.ID, c.Action(), err)
			}
		}
		out.created++
	}
	return out, nil
}

// sentences joins the non-empty parts as sentences: each starts with a
// capital letter and ends with a full stop.
func sentences(parts ...string) string {
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		r, n := utf8.DecodeRuneInString(p)
		p = string(unicode.ToUpper(r)) + p[n:]
		if !strings.HasSuffix(p, ".") {
			p += "."
		}
		out = append(out, p)
	}
	return strings.Join(out, " ")
}
