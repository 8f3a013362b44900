package citylinks

import (
	"fmt"
	"slices"
)

// FocusArea is the top level of the two-level taxonomy of what a partnership
// works on; its Topics are the second level. IDs are stable: code, CSV, JSON,
// SQL and IATI output rely on them.
type FocusArea struct {
	ID          string
	Name        string
	Description string
	Topics      []string // topic ids, see Topics
}

// The focus-area ids. The first four are the focus areas of Resource Cities
// and CityLinks 2003–2008; the last three are the challenges of CityLinks
// 2011–2016.
const (
	FocusBasicServices           = "basic-services"
	FocusEconomicCompetitiveness = "economic-competitiveness"
	FocusMunicipalManagement     = "municipal-management"
	FocusOfficialSkills          = "official-skills"
	FocusClimate                 = "climate"
	FocusFoodSecurity            = "food-security"
	FocusWaterSanitation         = "water-sanitation"
)

// Topic is a subject a city can need help with or offer help in, such as
// "stormwater". Topic ids are kebab-case; users may use their own ids beside
// the starter list returned by Topics.
type Topic struct {
	ID         string
	Name       string
	FocusAreas []string // focus areas the topic belongs to
}

// Validate reports the first problem with t as a *ValidationError, or nil.
func (t Topic) Validate() error {
	if err := validateSlug("id", t.ID); err != nil {
		return err
	}
	if err := CheckText("name", t.Name, true, 0); err != nil {
		return err
	}
	for i, f := range t.FocusAreas {
		if err := validateSlug(fmt.Sprintf("focus_areas[%d]", i), f); err != nil {
			return err
		}
	}
	return nil
}

// builtinTopics is the starter list of topics. Subjects come from ICMA's
// calls for partners: climate adaptation and mitigation; the built
// environment and infrastructure (energy, transport, water, wastewater,
// health, solid waste, land use); food security (nutrition, access to healthy
// food) ("Information for U.S. Local Governments", "What U.S. Cities Offer");
// local economic development, financial and administrative management,
// anti-corruption and transparency, performance measurement ("Invitation to
// Participate"); and the partnerships' own subjects: stormwater, coastal
// management, disaster risk (Legazpi, Durban, Portmore; see
// dataset/citylinks_partnerships.csv and its sources).
var builtinTopics = []Topic{
	{"climate-adaptation", "Climate adaptation", []string{FocusClimate}},
	{"climate-mitigation", "Climate mitigation", []string{FocusClimate}},
	{"disaster-risk", "Disaster risk reduction", []string{FocusClimate, FocusBasicServices}},
	{"stormwater", "Stormwater and flooding", []string{FocusClimate, FocusBasicServices}},
	{"coastal-management", "Coastal management and sea-level rise", []string{FocusClimate}},
	{"energy", "Energy", []string{FocusClimate, FocusBasicServices}},
	{"transport", "Transport", []string{FocusClimate, FocusBasicServices}},
	{"land-use", "Land use", []string{FocusClimate, FocusBasicServices}},
	{"infrastructure", "Infrastructure", []string{FocusBasicServices}},
	{"environmental-management", "Environmental management", []string{FocusBasicServices}},
	{"water-supply", "Water supply", []string{FocusBasicServices, FocusWaterSanitation}},
	{"sanitation", "Sanitation", []string{FocusBasicServices, FocusWaterSanitation}},
	{"wastewater", "Wastewater", []string{FocusBasicServices, FocusWaterSanitation}},
	{"solid-waste", "Solid waste", []string{FocusBasicServices}},
	{"public-health", "Public health", []string{FocusBasicServices}},
	{"public-safety", "Public safety", []string{FocusBasicServices}},
	{"local-economic-development", "Local economic development", []string{FocusEconomicCompetitiveness}},
	{"tourism", "Tourism", []string{FocusEconomicCompetitiveness}},
	{"investment-promotion", "Investment promotion", []string{FocusEconomicCompetitiveness}},
	{"strategic-planning", "Strategic planning", []string{FocusMunicipalManagement}},
	{"financial-management", "Financial management", []string{FocusMunicipalManagement}},
	{"performance-measurement", "Performance measurement", []string{FocusMunicipalManagement}},
	{"citizen-participation", "Citizen participation", []string{FocusMunicipalManagement}},
	{"advocacy", "Advocacy", []string{FocusMunicipalManagement}},
	{"transparency", "Anti-corruption and transparency", []string{FocusMunicipalManagement}},
	{"leadership", "Leadership of elected and appointed officials", []string{FocusOfficialSkills}},
	{"official-training", "Training of local officials", []string{FocusOfficialSkills}},
	{"food-security", "Food security", []string{FocusFoodSecurity}},
	{"nutrition", "Nutrition", []string{FocusFoodSecurity}},
	{"urban-agriculture", "Urban agriculture and access to healthy food", []string{FocusFoodSecurity}},
}

var builtinFocusAreas = []FocusArea{
	{ID: FocusBasicServices, Name: "Basic services",
		Description: "Infrastructure; water, sanitation and environmental management; public safety."},
	{ID: FocusEconomicCompetitiveness, Name: "Local economic competitiveness",
		Description: "Local economic development, tourism and investment."},
	{ID: FocusMunicipalManagement, Name: "Municipal management",
		Description: "Strategic planning, financial management, performance measurement, citizen participation, advocacy."},
	{ID: FocusOfficialSkills, Name: "Skills of local officials",
		Description: "Leadership and training of elected and appointed officials."},
	{ID: FocusClimate, Name: "Climate-related governance",
		Description: "Improve climate-related governance and systems in targeted urban areas (CityLinks 2011–2016, purpose 1)."},
	{ID: FocusFoodSecurity, Name: "Resilience in Feed the Future focus countries",
		Description: "Increase resilience of vulnerable communities in cities of Feed the Future focus countries (CityLinks 2011–2016, purpose 2)."},
	{ID: FocusWaterSanitation, Name: "Urban water supply and sanitation",
		Description: "Improve water supply and sanitation access in Global Health Initiative countries (CityLinks 2011–2016, purpose 3)."},
}

// Topics returns the starter list of topics, which includes
// climate-adaptation, disaster-risk, stormwater, coastal-management,
// water-supply, sanitation, solid-waste, public-safety,
// local-economic-development, financial-management, performance-measurement,
// citizen-participation, strategic-planning and food-security.
func Topics() []Topic {
	out := make([]Topic, len(builtinTopics))
	for i, t := range builtinTopics {
		t.FocusAreas = slices.Clone(t.FocusAreas)
		out[i] = t
	}
	return out
}

// FocusAreas returns the built-in focus areas with their topics.
func FocusAreas() []FocusArea {
	out := make([]FocusArea, len(builtinFocusAreas))
	for i, f := range builtinFocusAreas {
		for _, t := range builtinTopics {
			if slices.Contains(t.FocusAreas, f.ID) {
				f.Topics = append(f.Topics, t.ID)
			}
		}
		out[i] = f
	}
	return out
}

// LookupFocusArea returns the built-in focus area with the given id, or an
// error wrapping ErrNotFound.
func LookupFocusArea(id string) (FocusArea, error) {
	for _, f := range FocusAreas() {
		if f.ID == id {
			return f, nil
		}
	}
	return FocusArea{}, fmt.Errorf("citylinks: focus area %q: %w", id, ErrNotFound)
}

// LookupTopic returns the built-in topic with the given id, or an error
// wrapping ErrNotFound.
func LookupTopic(id string) (Topic, error) {
	for _, t := range Topics() {
		if t.ID == id {
			return t, nil
		}
	}
	return Topic{}, fmt.Errorf("citylinks: topic %q: %w", id, ErrNotFound)
}
