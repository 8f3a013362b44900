package report

import "github.com/citylinks/citylinks"

// Sources of the standard codes cited in the starter catalogue.
const (
	// sourceUSAIDWater is where the U.S. Foreign Assistance standard
	// indicator codes HL.8.x were read.
	sourceUSAIDWater = "USAID, Standard Foreign Assistance indicators, HL.8 Water Supply and Sanitation " +
		"Performance Indicator Reference Sheets (FY2019), and USAID Water and Development Indicator Handbook (October 2020)"
	// sourceSDG is where the UN SDG indicator codes were read.
	sourceSDG = "UN General Assembly resolution A/RES/71/313 (6 July 2017), annex: Global indicator framework " +
		"for the Sustainable Development Goals and targets of the 2030 Agenda for Sustainable Development"
)

// IATI IndicatorVocabulary codes used by the catalogue.
const (
	VocabularyUSForeignAssistance = "3"  // US Foreign Assistance Framework
	VocabularySDG                 = "9"  // UN Sustainable Development Goals (SDG) Indicators
	VocabularyReportingOrg        = "99" // Reporting Organisation
)

var (
	sexDims    = []string{"sex"}
	sexAgeDims = []string{"sex", "age-group"}
)

// starter is the starter catalogue. Every code is our own, with the
// non-standard prefix "CL-". A standard code appears only in References,
// with the document it was read from; none is invented.
//
// Types and target frequencies follow the results chain: what the
// partnership delivers (people trained, workshops held) are outputs with
// annual or per-event targets; services and adopted plans are outcomes;
// survey percentages take baseline, midline and endline targets; a plan
// or strategy in force has one life-of-project target.
var starter = []Indicator{
	// Urban water supply and sanitation (CityLinks 2011–2016 purpose 3).
	{Code: "CL-WASH-01", Type: ResultOutcome, TargetFrequency: TargetAnnual,
		Name: "People gaining access to basic drinking water services", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexDims, FocusArea: citylinks.FocusWaterSanitation,
		References: []Reference{{Vocabulary: VocabularyUSForeignAssistance, Code: "HL.8.1-1", Source: sourceUSAIDWater,
			Note: "number of people gaining access to basic drinking water services as a result of USG assistance"}}},
	{Code: "CL-WASH-02", Type: ResultOutcome, TargetFrequency: TargetAnnual,
		Name: "People gaining access to a basic sanitation service", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexDims, FocusArea: citylinks.FocusWaterSanitation,
		References: []Reference{{Vocabulary: VocabularyUSForeignAssistance, Code: "HL.8.2-2", Source: sourceUSAIDWater,
			Note: "number of people gaining access to a basic sanitation service as a result of USG assistance"}}},
	{Code: "CL-WASH-03", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "Water and sanitation institutions strengthened", Unit: "institutions",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, FocusArea: citylinks.FocusWaterSanitation,
		References: []Reference{{Vocabulary: VocabularyUSForeignAssistance, Code: "HL.8.3-3", Source: sourceUSAIDWater,
			Note: "number of water and sanitation sector institutions strengthened to manage water resources or improve water supply and sanitation services"}}},
	{Code: "CL-WASH-04", Type: ResultOutcome, TargetFrequency: TargetMilestones,
		Name: "Households with access to basic sanitation", Unit: "%",
		Measure: MeasurePercentage, Direction: Increase, Aggregation: Mean, FocusArea: citylinks.FocusWaterSanitation},
	{Code: "CL-WASH-05", Type: ResultOutcome, TargetFrequency: TargetAnnual,
		Name: "Non-revenue water", Unit: "% of water produced",
		Measure: MeasurePercentage, Direction: Decrease, Aggregation: Mean, FocusArea: citylinks.FocusWaterSanitation},

	// Climate-related governance (purpose 1).
	{Code: "CL-CLIM-01", Type: ResultOutcome, TargetFrequency: TargetLifeOfProject,
		Name:    "Climate action or adaptation plan adopted by the municipal council",
		Measure: MeasureQualitative, Direction: Increase, Aggregation: Latest, FocusArea: citylinks.FocusClimate},
	{Code: "CL-CLIM-02", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "Municipal staff trained in climate adaptation", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexDims, FocusArea: citylinks.FocusClimate},
	{Code: "CL-CLIM-03", Type: ResultOutcome, TargetFrequency: TargetLifeOfProject,
		Name: "Local disaster risk reduction strategy adopted and in force", Unit: "strategies",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Latest, FocusArea: citylinks.FocusClimate,
		References: []Reference{{Vocabulary: VocabularySDG, Code: "11.b.2", Source: sourceSDG,
			Note: "contributes to: proportion of local governments that adopt and implement local disaster risk reduction strategies in line with national strategies"}}},
	{Code: "CL-CLIM-04", Type: ResultOutput, TargetFrequency: TargetEvent,
		Name: "Stakeholders taking part in climate planning workshops", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexAgeDims, FocusArea: citylinks.FocusClimate},

	// Resilience in Feed the Future focus countries (purpose 2).
	{Code: "CL-FOOD-01", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "People reached by municipal food-security or nutrition programmes", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexAgeDims, FocusArea: citylinks.FocusFoodSecurity},
	{Code: "CL-FOOD-02", Type: ResultImpact, TargetFrequency: TargetMilestones,
		Name: "Moderate or severe food insecurity in the target population (FIES)", Unit: "%",
		Measure: MeasurePercentage, Direction: Decrease, Aggregation: Mean, FocusArea: citylinks.FocusFoodSecurity,
		References: []Reference{{Vocabulary: VocabularySDG, Code: "2.1.2", Source: sourceSDG,
			Note: "same measure (Food Insecurity Experience Scale), applied to the partnership's target population"}}},

	// Basic services.
	{Code: "CL-BASIC-01", Type: ResultOutcome, TargetFrequency: TargetAnnual,
		Name: "Municipal solid waste collected and managed in controlled facilities", Unit: "% of waste generated",
		Measure: MeasurePercentage, Direction: Increase, Aggregation: Mean, FocusArea: citylinks.FocusBasicServices,
		References: []Reference{{Vocabulary: VocabularySDG, Code: "11.6.1", Source: sourceSDG,
			Note: "same measure, for the partner city"}}},
	{Code: "CL-BASIC-02", Type: ResultOutcome, TargetFrequency: TargetAnnual,
		Name: "Households served by improved municipal services", Unit: "households",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, FocusArea: citylinks.FocusBasicServices},

	// Municipal management.
	{Code: "CL-MGMT-01", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "Municipal officials trained", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexDims, FocusArea: citylinks.FocusMunicipalManagement},
	{Code: "CL-MGMT-02", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "Plans, policies or procedures adopted by the municipality", Unit: "documents",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, FocusArea: citylinks.FocusMunicipalManagement},
	{Code: "CL-MGMT-03", Type: ResultOutcome, TargetFrequency: TargetMilestones,
		Name: "Budget executed on the new financial-management system", Unit: "% of budget",
		Measure: MeasurePercentage, Direction: Increase, Aggregation: Latest, FocusArea: citylinks.FocusMunicipalManagement},

	// Local economic competitiveness.
	{Code: "CL-ECON-01", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "Business-support or investment-promotion initiatives launched", Unit: "initiatives",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, FocusArea: citylinks.FocusEconomicCompetitiveness},

	// Skills of local officials.
	{Code: "CL-SKILL-01", Type: ResultOutput, TargetFrequency: TargetAnnual,
		Name: "Officials completing leadership training", Unit: "people",
		Measure: MeasureUnit, Direction: Increase, Aggregation: Sum, Dimensions: sexDims, FocusArea: citylinks.FocusOfficialSkills},
}

// StarterCatalogue returns the starter indicators for every focus area.
// Their codes are ours ("CL-" prefix, not a standard's); where an indicator
// matches a standard one — a U.S. Foreign Assistance standard indicator or a
// UN SDG indicator — its References give that code and the document it was
// read from.
func StarterCatalogue() []Indicator {
	out := make([]Indicator, len(starter))
	for i, in := range starter {
		out[i] = in.Clone()
	}
	return out
}

// Catalogue returns the starter indicators of one focus area.
func Catalogue(focusArea string) []Indicator {
	var out []Indicator
	for _, in := range starter {
		if in.FocusArea == focusArea {
			out = append(out, in.Clone())
		}
	}
	return out
}

// StarterFramework returns a results framework for the CityLinks 2011–2016
// program on the USAID template, with every starter indicator placed. Its
// intermediate results are the three purposes of the 2011–2016 cooperative
// agreement, in ICMA's words (improve climate-related governance and
// systems in targeted urban areas; increase resilience of vulnerable
// communities in cities of Feed the Future focus countries; improve water
// supply and sanitation access in Global Health Initiative countries), and a
// fourth for the focus areas of earlier CityLinks phases (municipal
// management, basic services, local economy, officials' skills). The
// strategic objective, the sub-intermediate results and the placements are
// the catalogue's own reading of them, to adapt, not a USAID document.
func StarterFramework() Framework {
	return Framework{
		ID: "cl11-results", Title: "CityLinks 2011–2016 results framework", Program: citylinks.ProgramCityLinks2011,
		Template: USAIDTemplate(),
		Levels: []Level{
			{ID: "so", Title: "Partner cities govern and deliver services better through city-to-city partnerships, with an emphasis on the urban poor"},
			{ID: "ir1", Parent: "so", Title: "Climate-related governance and systems improved in targeted urban areas"},
			{ID: "ir1.1", Parent: "ir1", Title: "Municipal staff and stakeholders able to plan for climate risk"},
			{ID: "ir2", Parent: "so", Title: "Resilience of vulnerable communities increased in cities of Feed the Future focus countries"},
			{ID: "ir2.1", Parent: "ir2", Title: "Municipal food-security and nutrition programmes reach people"},
			{ID: "ir3", Parent: "so", Title: "Water supply and sanitation access improved in Global Health Initiative countries"},
			{ID: "ir3.1", Parent: "ir3", Title: "Water and sanitation utilities strengthened"},
			{ID: "ir4", Parent: "so", Title: "Municipal management and basic services strengthened"},
			{ID: "ir4.1", Parent: "ir4", Title: "Officials trained and municipal procedures adopted"},
			{ID: "ir4.2", Parent: "ir4", Title: "Local economy promoted"},
		},
		Placed: []Placement{
			{Indicator: "CL-CLIM-01", Level: "ir1"}, {Indicator: "CL-CLIM-03", Level: "ir1"},
			{Indicator: "CL-CLIM-02", Level: "ir1.1"}, {Indicator: "CL-CLIM-04", Level: "ir1.1"},
			{Indicator: "CL-FOOD-02", Level: "ir2"}, {Indicator: "CL-FOOD-01", Level: "ir2.1"},
			{Indicator: "CL-WASH-01", Level: "ir3"}, {Indicator: "CL-WASH-02", Level: "ir3"}, {Indicator: "CL-WASH-04", Level: "ir3"},
			{Indicator: "CL-WASH-03", Level: "ir3.1"}, {Indicator: "CL-WASH-05", Level: "ir3.1"},
			{Indicator: "CL-BASIC-01", Level: "ir4"}, {Indicator: "CL-BASIC-02", Level: "ir4"}, {Indicator: "CL-MGMT-03", Level: "ir4"},
			{Indicator: "CL-MGMT-01", Level: "ir4.1"}, {Indicator: "CL-MGMT-02", Level: "ir4.1"}, {Indicator: "CL-SKILL-01", Level: "ir4.1"},
			{Indicator: "CL-ECON-01", Level: "ir4.2"},
		},
	}
}
