package citylinks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/internal/jsondoc"
)

// Program is a funded program of partnerships, such as CityLinks 2011–2016:
// who funds it, when it runs, which focus areas it covers and, in
// Eligibility, the rules that decide who may take part in each focus area.
//
// Where sources give only a year, Start is 1 January and End 31 December of
// that year; Notes says so.
type Program struct {
	ID          string
	Name        string
	Funder      string
	Start       Date
	End         Date // zero if open-ended
	Description string
	FocusAreas  []string    // focus-area ids
	Challenges  []Challenge // the program's stated purposes, if any
	Sources     []string
	Notes       string
	// Eligibility holds the program's eligibility rules as JSON, exactly as
	// given in the program definition. Package citylinks stores it and checks
	// only that it is JSON; package matching interprets it.
	Eligibility json.RawMessage
}

// Challenge is one stated purpose of a program, tied to a focus area.
type Challenge struct {
	FocusArea string `json:"focus_area"`
	Statement string `json:"statement"`
}

// The ids of the built-in programs.
const (
	ProgramResourceCities = "resource-cities"
	ProgramCityLinks2003  = "citylinks-2003"
	ProgramCityLinks2011  = "citylinks-2011"
)

// Validate reports the first problem with p as a *ValidationError, or nil.
// Fields are named by their JSON names.
func (p Program) Validate() error {
	if err := validateSlug("id", p.ID); err != nil {
		return err
	}
	if err := CheckText("name", p.Name, true, 0); err != nil {
		return err
	}
	if err := CheckText("funder", p.Funder, false, 0); err != nil {
		return err
	}
	if err := CheckText("description", p.Description, false, 0); err != nil {
		return err
	}
	if err := CheckText("notes", p.Notes, false, 0); err != nil {
		return err
	}
	if p.Start.IsZero() || !p.Start.Valid() {
		return invalid("start", "is required and must be a calendar date")
	}
	if !p.End.IsZero() && (!p.End.Valid() || p.End.Before(p.Start)) {
		return invalid("end", "%s is before start %s", p.End, p.Start)
	}
	if len(p.FocusAreas) == 0 {
		return invalid("focus_areas", "a program needs at least one focus area")
	}
	for i, f := range p.FocusAreas {
		field := fmt.Sprintf("focus_areas[%d]", i)
		if err := validateSlug(field, f); err != nil {
			return err
		}
		if slices.Index(p.FocusAreas, f) != i {
			return invalid(field, "%q is listed twice", f)
		}
	}
	for i, c := range p.Challenges {
		field := fmt.Sprintf("challenges[%d]", i)
		if !slices.Contains(p.FocusAreas, c.FocusArea) {
			return invalid(field+".focus_area", "%q is not one of the program's focus areas", errtext.Clip(c.FocusArea))
		}
		if err := CheckText(field+".statement", c.Statement, true, 0); err != nil {
			return err
		}
	}
	for i, s := range p.Sources {
		if err := CheckText(fmt.Sprintf("sources[%d]", i), s, true, 0); err != nil {
			return err
		}
	}
	if len(p.Eligibility) > 0 && !json.Valid(p.Eligibility) {
		return invalid("eligibility", "is not valid JSON")
	}
	return nil
}

// Covers reports whether the program includes the focus area.
func (p Program) Covers(focus string) bool { return slices.Contains(p.FocusAreas, focus) }

// Clone returns a deep copy of p.
func (p Program) Clone() Program {
	p.FocusAreas = slices.Clone(p.FocusAreas)
	p.Challenges = slices.Clone(p.Challenges)
	p.Sources = slices.Clone(p.Sources)
	p.Eligibility = slices.Clone(p.Eligibility)
	return p
}

// programJSON is the JSON form of a Program, documented on LoadProgramJSON.
type programJSON struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Funder      string          `json:"funder,omitempty"`
	Start       Date            `json:"start"`
	End         Date            `json:"end,omitzero"`
	Description string          `json:"description,omitempty"`
	FocusAreas  []string        `json:"focus_areas"`
	Challenges  []Challenge     `json:"challenges,omitempty"`
	Sources     []string        `json:"sources,omitempty"`
	Notes       string          `json:"notes,omitempty"`
	Eligibility json.RawMessage `json:"eligibility,omitempty"`
}

// MarshalJSON writes p in the form LoadProgramJSON reads.
func (p Program) MarshalJSON() ([]byte, error) {
	return json.Marshal(programJSON{p.ID, p.Name, p.Funder, p.Start, p.End, p.Description, p.FocusAreas, p.Challenges, p.Sources, p.Notes, p.Eligibility})
}

// UnmarshalJSON reads p as LoadProgramJSON does, with the same errors.
func (p *Program) UnmarshalJSON(b []byte) error {
	v, err := LoadProgramJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// LoadProgramJSON reads a program definition:
//
//	{
//	  "id": "capp-2015",                      // kebab-case, required
//	  "name": "Climate Adaptation Partnership Program 2015", // required
//	  "funder": "USAID",
//	  "start": "2015-01-06", "end": "2016-09-30", // YYYY-MM-DD; end optional
//	  "description": "…", "notes": "…",
//	  "focus_areas": ["climate"],             // required, at least one
//	  "challenges": [{"focus_area": "climate", "statement": "…"}],
//	  "sources": ["https://…"],
//	  "eligibility": { … }                    // see package matching
//	}
//
// Unknown keys, duplicate keys, wrong types and invalid values are errors. A
// bad definition returns a *ValidationError whose Field is the JSON path of
// the problem, such as "$.focus_areas[1]". The document must be UTF-8, at
// most 16 MiB, with arrays and objects nested at most 64 deep and at most
// 100,000 values in all; reading it costs time and memory linear in its
// size.
func LoadProgramJSON(r io.Reader) (Program, error) {
	root, err := jsondoc.Parse(r)
	if err != nil {
		return Program{}, fromDoc(err)
	}
	p, err := programFromNode(root)
	if err != nil {
		return Program{}, fromDoc(err)
	}
	if err := p.Validate(); err != nil {
		return Program{}, prefixField("$", err)
	}
	return p, nil
}

func programFromNode(n jsondoc.Node) (Program, error) {
	var p Program
	o, err := n.Object()
	if err != nil {
		return p, err
	}
	str := func(dst *string, key string, required bool) {
		if err == nil {
			*dst, err = o.String(key, required)
		}
	}
	str(&p.ID, "id", true)
	str(&p.Name, "name", true)
	str(&p.Funder, "funder", false)
	str(&p.Description, "description", false)
	str(&p.Notes, "notes", false)
	date := func(dst *Date, key string, required bool) {
		var s string
		str(&s, key, required)
		if err == nil && s != "" {
			if *dst, err = ParseDate(s); err != nil {
				err = &jsondoc.Error{Path: o.Path() + "." + key, Problem: fmt.Sprintf("%q is not a date of the form YYYY-MM-DD", s)}
			}
		}
	}
	date(&p.Start, "start", true)
	date(&p.End, "end", false)
	if err != nil {
		return p, err
	}
	if p.FocusAreas, err = o.Strings("focus_areas"); err != nil {
		return p, err
	}
	if p.Sources, err = o.Strings("sources"); err != nil {
		return p, err
	}
	if len(p.Sources) == 0 {
		p.Sources = nil // "sources": [] is no sources, as MarshalJSON writes it (fuzzing found the difference)
	}
	if ch := o.Get("challenges"); !ch.IsNull() {
		elems, err := ch.Array()
		if err != nil {
			return p, err
		}
		for _, e := range elems {
			co, err := e.Object()
			if err != nil {
				return p, err
			}
			var c Challenge
			if c.FocusArea, err = co.String("focus_area", true); err != nil {
				return p, err
			}
			if c.Statement, err = co.String("statement", true); err != nil {
				return p, err
			}
			if err := co.Done(); err != nil {
				return p, err
			}
			p.Challenges = append(p.Challenges, c)
		}
	}
	if el := o.Get("eligibility"); !el.IsNull() {
		p.Eligibility = el.Raw()
	}
	return p, o.Done()
}

// fromDoc turns a jsondoc error into a *ValidationError naming the path.
func fromDoc(err error) error {
	var de *jsondoc.Error
	if errors.As(err, &de) {
		return &ValidationError{Field: de.Path, Problem: de.Problem}
	}
	return err
}

// Programs returns the built-in programs: Resource Cities, CityLinks
// 2003–2008 and CityLinks 2011–2016.
func Programs() []Program {
	out := make([]Program, len(builtinPrograms))
	for i, p := range builtinPrograms {
		out[i] = p.Clone()
	}
	return out
}

// LookupProgram returns the built-in program with the given id, or an error
// wrapping ErrNotFound.
func LookupProgram(id string) (Program, error) {
	for _, p := range builtinPrograms {
		if p.ID == id {
			return p.Clone(), nil
		}
	}
	return Program{}, fmt.Errorf("citylinks: program %q: %w", id, ErrNotFound)
}

// builtinPrograms are ICMA's programs, each with the sources of its dates
// and funder in Sources.
var builtinPrograms = []Program{
	{
		ID: ProgramResourceCities, Name: "Resource Cities", Funder: "USAID Office of Urban Programs",
		Start: Date{1997, time.May, 1}, End: Date{2003, time.March, 31},
		Description: "ICMA's Resource Cities program paired U.S. local governments with cities in developing and transitional countries, in support of USAID's \"Making Cities Work\" strategy.",
		FocusAreas:  []string{FocusBasicServices, FocusEconomicCompetitiveness, FocusMunicipalManagement, FocusOfficialSkills},
		Sources: []string{
			"ICMA, \"Historical Note\", https://icma.org./historical-note",
			"ICMA, \"Partner Organizations\", https://icma.org/partner-organizations",
		},
		Notes: "Sources give May 1997 as the start (day unknown; 1 May is used). The program ran until the March 2003 award that became CityLinks; the last day is not documented (31 March 2003 is used).",
	},
	{
		ID: ProgramCityLinks2003, Name: "CityLinks (2003–2008)", Funder: "USAID",
		Start: Date{2003, time.March, 1}, End: Date{2008, time.December, 31},
		Description: "The City-to-City Partnerships Project, awarded by USAID in March 2003 and renamed CityLinks: five years, eleven projects in ten countries.",
		FocusAreas:  []string{FocusBasicServices, FocusEconomicCompetitiveness, FocusMunicipalManagement, FocusOfficialSkills},
		Sources: []string{
			"ICMA, \"Historical Note\", https://icma.org./historical-note",
			"ICMA, CityLinks 2003–2008: Global challenges, local solutions, https://docslib.org/doc/1594444/citylinks-inks",
			"Progress report, \"Major Accomplishments This Period\", https://lawinsider.com/clause/major-accomplishments-this-period",
		},
		Notes: "Awarded March 2003 (day unknown; 1 March is used); sources give only the year 2008 as the end.",
	},
	{
		ID: ProgramCityLinks2011, Name: "CityLinks 2011–2016", Funder: "USAID (EGAT Urban Programs Team)",
		Start: Date{2011, time.September, 29}, End: Date{2016, time.December, 31},
		Description: "City-to-City Partnerships Leader with Associates cooperative agreement AID-OAA-L-11-00008; USAID missions buy in through associate awards.",
		FocusAreas:  []string{FocusClimate, FocusFoodSecurity, FocusWaterSanitation, FocusBasicServices},
		Challenges: []Challenge{
			{FocusClimate, "Improve climate-related governance and systems in targeted urban areas."},
			{FocusFoodSecurity, "Increase resilience of vulnerable communities in cities of Feed the Future focus countries."},
			{FocusWaterSanitation, "Improve water supply and sanitation access in Global Health Initiative countries."},
		},
		Sources: []string{
			"ICMA, \"About CityLinks Partnerships\", http://icma.org/en/cl/partnerships/about_citylinks_partnerships",
			"ICMA, \"Information for USAID Missions\", http://icma.org/en/cl/about/how_to_start/info_for_usaid_missions",
			"ICMA, \"How to Start a Partnership\", http://icma.org/en/cl/about/how_to_start",
		},
		Notes:       "Awarded 29 September 2011; sources give only the year 2016 as the end. basic-services covers associate-award work outside the three challenges, such as the Georgia solid-waste award (WMTR).",
		Eligibility: compactJSON(cityLinks2011Eligibility),
	},
}

// cityLinks2011Eligibility is the eligibility of CityLinks 2011–2016 in the
// form package matching reads (see matching.ProgramEligibility):
//
//   - food-security: the host is in a Feed the Future focus country, from
//     the program's purpose "increase resilience of vulnerable communities in
//     cities of Feed the Future focus countries" (ICMA, "Information for USAID
//     Missions", http://icma.org/en/cl/about/how_to_start/info_for_usaid_missions);
//   - water-sanitation: the host is in a Global Health Initiative country,
//     from the purpose "improve water supply and sanitation access in Global
//     Health Initiative countries" (same source). The full list of GHI
//     countries ("more than 80") was not found; the GHI Plus (2010) and
//     second-round (2011) lists are the 29 that are known;
//   - climate: the host is in an economy the World Bank classified low,
//     lower-middle or upper-middle income in the round's fiscal year. The
//     purpose names "targeted urban areas" with no country list; USAID works
//     in developing economies, and CAPP's host cities (Shimla, Portmore,
//     La Ceiba, Semarang) were all in such economies (ICMA/TransformGov, "Six
//     Cities Chosen for the Climate Adaptation Partnership Program",
//     http://www.transformgov.org/articles/six-cities-chosen-climate-adaptation-partnership-program);
//   - every focus area: the resource party is a local government, or a
//     composite party of local governments (Fort Lauderdale with Broward
//     County): ICMA's call went to "U.S. local governments", cities and
//     counties whose governing body must ratify participation (ICMA,
//     "Information for U.S. Local Governments",
//     https://icma.org/information-us-local-governments); and the host is not
//     already the host of an open partnership in the same focus area.
//
// compactJSON returns the built-in JSON s without white space, as
// LoadProgramJSON would store it, so that built-in programs round-trip.
func compactJSON(s string) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		panic(err) // built-in text, checked by the tests
	}
	return b.Bytes()
}

const cityLinks2011Eligibility = `{
  "every_focus_area": {
    "host": {"not_partnered": true},
    "resource": {"local_government": true}
  },
  "focus_areas": {
    "food-security": {"host": {"designation": "ftf-focus-2010"}},
    "water-sanitation": {"host": {"any": [{"designation": "ghi-plus-2010"}, {"designation": "ghi-round2-2011"}]}},
    "climate": {"host": {"income_group": {"in": ["low", "lower-middle", "upper-middle"]}}}
  }
}`
