package handoff

import (
	"strconv"
	"unicode/utf8"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// Activity returns the report activity that describes partnership p: its
// IATI status from p's state ([Status]), its dates, its parties as
// participating organizations ([OrgRole], [OrgType]), the sectors and policy
// markers of its focus area ([Sectors], [PolicyMarkers]) and its agreed
// work plan's objectives with their indicators. opts may be nil; only its
// IATI and Amend fields are used.
//
// The dates: the planned start is p's planned start, else the day it was
// proposed; the planned end is p's (extensions move it); the actual start
// is the day the agreement was signed; the actual end is the day p was
// completed or terminated. A declined partnership never started.
//
// Each participant carries its party role (Participant.Party).
//
// Each objective of the agreed work plan becomes an objective with the id
// of its code ("O1", "O2"… by position when it has none) and the
// indicators it lists, or the work plan's Indicators when it lists none.
// A draft work plan is not reported.
//
// Text longer than report.MaxTextLen (a title, the notes, a name) is cut at
// a character boundary and ends with "…", so that a partnership whose notes
// package report cannot hold is still reported.
func Activity(p partnership.Partnership, opts *Options) report.Activity {
	if opts == nil {
		opts = &Options{}
	}
	a := report.Activity{
		ID: p.ID, Title: clip(p.Title), Description: clip(p.Notes),
		Program: p.Program, FocusArea: p.FocusArea, Country: p.HostCountry(),
		PlannedStart: p.Start, PlannedEnd: p.End,
		Status: Status(p.State), State: string(p.State), Schedule: report.Quarterly,
		Sectors: Sectors(p.FocusArea), PolicyMarkers: PolicyMarkers(p.FocusArea),
	}
	if a.PlannedStart.IsZero() {
		a.PlannedStart = p.ProposedOn
	}
	if p.Agreement != nil {
		a.ActualStart = p.Agreement.On
	}
	switch p.State {
	case partnership.StateCompleted, partnership.StateTerminated:
		if !a.ActualStart.IsZero() {
			a.ActualEnd = p.ClosedOn
		}
	case partnership.StateDeclined:
		a.ActualStart = citylinks.Date{}
	}
	for _, party := range p.Parties {
		pt := report.ParticipatingOrg{Organization: party.Organization, Name: clip(party.Name), Role: OrgRole(party.Role), Type: OrgType(party.Kind), PartyRole: string(party.Role)}
		if id, ok := opts.IATI[party.Organization]; ok && party.Organization != "" {
			pt.Ref = id.Ref
			if id.Type != "" {
				pt.Type = id.Type
			}
			if id.Name != "" {
				pt.Name = clip(id.Name)
			}
		}
		a.Participants = append(a.Participants, pt)
	}
	if p.WorkPlan != nil {
		for i, o := range p.WorkPlan.Objectives {
			obj := report.Objective{Code: o.Code, Text: clip(o.Text), Indicators: o.Indicators}
			if obj.Code == "" {
				obj.Code = "O" + strconv.Itoa(i+1)
			}
			if len(obj.Indicators) == 0 {
				obj.Indicators = p.WorkPlan.Indicators
			}
			obj.Indicators = append([]string(nil), obj.Indicators...)
			a.Objectives = append(a.Objectives, obj)
		}
	}
	if opts.Amend != nil {
		opts.Amend(p, &a)
	}
	return a
}

// Status returns the IATI activity status of a partnership in state s
// (IATI ActivityStatus codelist, https://iatistandard.org/en/iati-standard/203/codelists/activitystatus/):
//
//	proposed, agreed       1 pipeline/identification (no work plan yet: being planned)
//	active                 2 implementation
//	closing                3 finalisation (the final exchange is done; results await approval)
//	completed              4 closed
//	declined, terminated   5 cancelled
//	suspended              6 suspended
//
// An unknown state is reported as pipeline.
func Status(s partnership.State) report.ActivityStatus {
	switch s {
	case partnership.StateActive:
		return report.StatusImplementation
	case partnership.StateClosing:
		return report.StatusFinalisation
	case partnership.StateCompleted:
		return report.StatusClosed
	case partnership.StateDeclined, partnership.StateTerminated:
		return report.StatusCancelled
	case partnership.StateSuspended:
		return report.StatusSuspended
	}
	return report.StatusPipeline
}

// OrgRole returns the IATI role of a party in role r (IATI OrganisationRole
// codelist, https://iatistandard.org/en/iati-standard/203/codelists/organisationrole/):
// the funder is 1 funding (it provides the funds, as a USAID mission did);
// the facilitator is 3 extending (it manages the activity on the funder's
// behalf, as ICMA did); host, resource, third-country and supporting
// parties are 4 implementing (they carry the partnership out).
func OrgRole(r partnership.PartyRole) report.OrgRole {
	switch r {
	case partnership.PartyFunder:
		return report.RoleFunding
	case partnership.PartyFacilitator:
		return report.RoleExtending
	}
	return report.RoleImplementing
}

// OrgType returns the IATI organisation type code of an organization of
// kind k (IATI OrganisationType codelist,
// https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/),
// or "" where the kind does not tell (IATI makes the type optional):
//
//	city, county, consortium, special district   11 local government
//	donor                                        10 government (a donor agency such as a USAID mission)
//	facilitator                                  21 international NGO
//	university                                   80 academic, training and research
//	private firm                                 70 private sector
//	NGO, association                             "" (national, regional or international: the kind does not say)
//
// Options.IATI sets the type of an organization these defaults describe
// wrongly, such as a donor that is a foundation (60) or a multilateral (40).
func OrgType(k citylinks.OrgKind) string {
	switch {
	case k.LocalGovernment():
		return "11"
	case k == citylinks.KindDonor:
		return "10"
	case k == citylinks.KindFacilitator:
		return "21"
	case k == citylinks.KindUniversity:
		return "80"
	case k == citylinks.KindPrivateFirm:
		return "70"
	}
	return ""
}

// Sectors returns the sectors of a partnership in focus area focus: one
// OECD DAC 5-digit purpose code at 100 % (IATI Sector vocabulary 1, IATI
// Sector codelist, https://iatistandard.org/en/iati-standard/203/codelists/sector/;
// every code is active there), or none for a focus area it does not know:
//
//	basic-services             43030 urban development and management (urban infrastructure and services)
//	economic-competitiveness   25010 business policy and administration
//	municipal-management       15112 decentralisation and support to subnational government
//	official-skills            15110 public sector policy and administrative management
//	climate                    41010 environmental policy and administrative management
//	food-security              43071 food security policy and administrative management
//	water-sanitation           14020 water supply and sanitation, large systems
//
// The DAC list has no purpose code for climate work, which is reported
// with an environmental sector and a climate policy marker (see
// PolicyMarkers).
// Options.Amend sets a more precise sector for one partnership, such as
// 14050 waste management for a solid-waste partnership in basic services.
func Sectors(focus string) []report.Sector {
	code := map[string]string{
		citylinks.FocusBasicServices:           "43030",
		citylinks.FocusEconomicCompetitiveness: "25010",
		citylinks.FocusMunicipalManagement:     "15112",
		citylinks.FocusOfficialSkills:          "15110",
		citylinks.FocusClimate:                 "41010",
		citylinks.FocusFoodSecurity:            "43071",
		citylinks.FocusWaterSanitation:         "14020",
	}[focus]
	if code == "" {
		return nil
	}
	return []report.Sector{{Code: code, Percentage: 100}}
}

// PolicyMarkers returns the policy markers of a partnership in focus area
// focus (IATI PolicyMarker and PolicySignificance codelists,
// https://iatistandard.org/en/iati-standard/203/codelists/policymarker/):
// climate partnerships carry 7 climate change adaptation as 2 principal
// objective, since the climate partnerships of CityLinks 2011–2016 worked
// on adaptation to sea-level rise, storm surge and flooding (ICMA's
// CityLinks partnership fact sheets; its 2015 rounds ran as the Climate
// Adaptation Partnership Program); other focus areas carry none.
// Options.Amend adds 6 climate change mitigation to a partnership that
// works on it.
func PolicyMarkers(focus string) []report.PolicyMarker {
	if focus == citylinks.FocusClimate {
		return []report.PolicyMarker{{Code: "7", Significance: "2"}}
	}
	return nil
}

// clip cuts s to at most report.MaxTextLen bytes at a character boundary,
// ending it with "…" when it cuts.
func clip(s string) string {
	if len(s) <= report.MaxTextLen {
		return s
	}
	const ellipsis = "…"
	cut := report.MaxTextLen - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
