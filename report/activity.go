package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// ActivityStatus is where a partnership stands, in the terms of the IATI
// ActivityStatus codelist.
type ActivityStatus string

// The activity statuses, with their IATI ActivityStatus codes.
const (
	StatusPipeline       ActivityStatus = "pipeline"       // 1 Pipeline/identification
	StatusImplementation ActivityStatus = "implementation" // 2 Implementation
	StatusFinalisation   ActivityStatus = "finalisation"   // 3 Finalisation
	StatusClosed         ActivityStatus = "closed"         // 4 Closed
	StatusCancelled      ActivityStatus = "cancelled"      // 5 Cancelled
	StatusSuspended      ActivityStatus = "suspended"      // 6 Suspended
)

// ActivityStatuses returns every ActivityStatus, in IATI code order.
func ActivityStatuses() []ActivityStatus {
	return []ActivityStatus{StatusPipeline, StatusImplementation, StatusFinalisation, StatusClosed, StatusCancelled, StatusSuspended}
}

// Valid reports whether s is one of the ActivityStatuses.
func (s ActivityStatus) Valid() bool { return slices.Contains(ActivityStatuses(), s) }

// IATICode returns s's code in the IATI ActivityStatus codelist.
func (s ActivityStatus) IATICode() string {
	if i := slices.Index(ActivityStatuses(), s); i >= 0 {
		return fmt.Sprint(i + 1)
	}
	return ""
}

// OrgRole is the role of a participating organization, in the terms of the
// IATI OrganisationRole codelist.
type OrgRole string

// The organization roles, with their IATI OrganisationRole codes.
const (
	RoleFunding      OrgRole = "funding"      // 1: provides the funds (e.g. USAID)
	RoleAccountable  OrgRole = "accountable"  // 2: oversight of the activity and its outcomes
	RoleExtending    OrgRole = "extending"    // 3: manages the budget for the funder (e.g. ICMA)
	RoleImplementing OrgRole = "implementing" // 4: carries the activity out (the two cities)
)

// OrgRoles returns every OrgRole, in IATI code order.
func OrgRoles() []OrgRole {
	return []OrgRole{RoleFunding, RoleAccountable, RoleExtending, RoleImplementing}
}

// Valid reports whether r is one of the OrgRoles.
func (r OrgRole) Valid() bool { return slices.Contains(OrgRoles(), r) }

// IATICode returns r's code in the IATI OrganisationRole codelist.
func (r OrgRole) IATICode() string {
	if i := slices.Index(OrgRoles(), r); i >= 0 {
		return fmt.Sprint(i + 1)
	}
	return ""
}

// ParticipatingOrg is an organization taking part in an activity (IATI's
// participating-org), as opposed to partnership.Participant, a person on
// an exchange.
type ParticipatingOrg struct {
	// Organization is the citylinks organization id, if any. The permission
	// policy lets a coordinator act on the activities in which their
	// organization participates.
	Organization string `json:"organization,omitempty"`
	// Ref is the organization's IATI organisation identifier, e.g.
	// "US-EIN-123456789"; empty when it has none (IATI allows a name alone).
	Ref  string  `json:"ref,omitempty"`
	Name string  `json:"name"`
	Role OrgRole `json:"role"`
	// Type is the IATI OrganisationType code, e.g. "11" local government,
	// "10" government, "21" international NGO.
	Type string `json:"type,omitempty"`
	// PartyRole is the organization's part in the partnership, in package
	// partnership's terms: "host", "resource", "third-country",
	// "facilitator", "funder" or "supporting"; empty when unknown. The
	// HTML report names the host and resource parties beside each
	// partnership.
	PartyRole string `json:"party_role,omitempty"`
}

// UnmarshalJSON decodes a participating organization, reading too the name
// PartyRole had before report schema 2 ("party"), so that activities stored
// then still load.
func (p *ParticipatingOrg) UnmarshalJSON(b []byte) error {
	type plain ParticipatingOrg
	var v struct {
		plain
		Party string `json:"party"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = ParticipatingOrg(v.plain)
	p.PartyRole = cmp.Or(p.PartyRole, v.Party)
	return nil
}

// parties are the values ParticipatingOrg.PartyRole may take.
var parties = []string{"host", "resource", "third-country", "facilitator", "funder", "supporting"}

// Sector is an OECD DAC CRS 5-digit purpose code with its share of the
// activity (IATI sector vocabulary 1).
type Sector struct {
	Code       string  `json:"code"`       // e.g. "14032" basic sanitation
	Percentage float64 `json:"percentage"` // 0 to 100; all of an activity's add up to 100
}

// PolicyMarker is an IATI (OECD DAC) policy marker with its significance,
// e.g. code "7" climate change adaptation, significance "1" significant
// objective.
type PolicyMarker struct {
	Code         string `json:"code"`
	Significance string `json:"significance"`
}

// Objective is one objective of a partnership's work plan and the indicators
// that measure it: the results framework, objective → indicator. Its
// fields are those of partnership.Objective, which it is made from.
type Objective struct {
	Code       string   `json:"code"` // e.g. "O1"
	Text       string   `json:"text"`
	Indicators []string `json:"indicators"` // indicator codes
}

// UnmarshalJSON decodes an objective, reading too the names it had before
// report schema 2 ("id" for Code, "title" for Text), so that activities
// stored then still load.
func (o *Objective) UnmarshalJSON(b []byte) error {
	type plain Objective
	var v struct {
		plain
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Objective(v.plain)
	o.Code, o.Text = cmp.Or(o.Code, v.ID), cmp.Or(o.Text, v.Title)
	return nil
}

// LocationRole says what a place is to a partnership.
type LocationRole string

// The location roles.
const (
	// LocationHost is where the partnership works and its beneficiaries
	// live: the host city. The zero LocationRole means host.
	LocationHost LocationRole = "host"
	// LocationResource is the peer city or county that shares its
	// expertise: drawn on maps, not published to IATI, whose locations
	// are where an activity takes place.
	LocationResource LocationRole = "resource"
)

// Location is a place of a partnership: the host city, or the resource
// city (Role). IATI writes each host location as location, with the
// coordinates as a WGS 84 point (EPSG:4326) and, when GeoNames is set, the
// GeoNames id (IATI GeographicVocabulary G1).
type Location struct {
	Name     string       `json:"name"`
	Role     LocationRole `json:"role,omitempty"`     // empty means LocationHost
	GeoNames string       `json:"geonames,omitempty"` // GeoNames id, e.g. "1007311" (Durban)
	Lat      float64      `json:"lat"`                // degrees north, -90 to 90
	Lon      float64      `json:"lon"`                // degrees east, -180 to 180
}

// IsHost reports whether l is a host location.
func (l Location) IsHost() bool { return l.Role == "" || l.Role == LocationHost }

// Document is a public document about an activity — a fact sheet, a case
// study, a project page — that IATI links to as document-link.
type Document struct {
	URL   string `json:"url"` // an absolute http or https URL
	Title string `json:"title"`
	// Category is the IATI DocumentCategory code, e.g. "A08" results,
	// outcomes and outputs (a fact sheet), "A07" review and evaluation (a
	// case study), "A12" activity web page.
	Category string `json:"category"`
	// Format is the document's media type (IATI FileFormat), e.g.
	// "text/html" or "application/pdf".
	Format string `json:"format"`
	// Language is the ISO 639-1 code of the document's language, if known.
	Language string `json:"language,omitempty"`
	// Date is the document's date, if known.
	Date citylinks.Date `json:"date,omitzero"`
}

// The IATI DocumentCategory codes a partnership's documents usually take.
const (
	DocumentEvaluation = "A07" // review and evaluation: a case study
	DocumentResults    = "A08" // results, outcomes and outputs: a fact sheet
	DocumentWebPage    = "A12" // activity web page
)

// Activity is what package report reports on: one partnership, with what
// IATI needs to describe it. Package handoff (or the caller) registers one
// Activity per partnership with Service.RegisterActivity and updates it
// when the partnership changes; report never reads partnership state itself.
type Activity struct {
	ID    string `json:"id"` // the partnership id
	Title string `json:"title"`
	// Description holds internal notes about the partnership, such as
	// the sources and provenance of its data (package handoff copies the
	// partnership's notes). IATI never publishes it: see Summary.
	Description string `json:"description,omitempty"`
	// Summary is the description written for the public, which IATI
	// publishes as the activity's general description. When it is empty,
	// IATI writes one from the activity's participants, program, focus
	// area and country.
	Summary string `json:"summary,omitempty"`
	// Parent is the IATI identifier of the activity this one is part of —
	// the award under which the partnership runs, such as a USAID
	// cooperative agreement — or empty when it stands alone. IATI writes a
	// child activity (hierarchy 2) with a related-activity of type 1
	// (parent), or a top-level one (hierarchy 1).
	Parent string `json:"parent,omitempty"`
	// Locations are the partnership's places, with their coordinates: the
	// host city where it works (published to IATI) and the resource city
	// that shares its expertise (for maps).
	Locations []Location `json:"locations,omitempty"`
	// Documents are public documents about the partnership: fact sheets,
	// case studies, project pages.
	Documents []Document `json:"documents,omitempty"`
	Program   string     `json:"program"`    // citylinks program id
	FocusArea string     `json:"focus_area"` // citylinks focus-area id
	Country   string     `json:"country"`    // host country, ISO 3166-1 alpha-2

	PlannedStart citylinks.Date `json:"planned_start"`
	PlannedEnd   citylinks.Date `json:"planned_end,omitzero"`
	ActualStart  citylinks.Date `json:"actual_start,omitzero"`
	ActualEnd    citylinks.Date `json:"actual_end,omitzero"`

	// Status is where the partnership stands in the terms of the IATI
	// ActivityStatus codelist; the IATI renderer publishes it.
	Status ActivityStatus `json:"status"`
	// State is where the partnership stands in its lifecycle, in package
	// partnership's words (proposed, agreed, active, closing, completed,
	// suspended, declined or terminated), as package handoff registers it.
	// The HTML and Markdown renderers show it, so a report names states as
	// the library and its programs do; they fall back to Status when it is
	// empty.
	State         string             `json:"state,omitempty"`
	Participants  []ParticipatingOrg `json:"participants"`
	Sectors       []Sector           `json:"sectors,omitempty"`
	PolicyMarkers []PolicyMarker     `json:"policy_markers,omitempty"`
	Objectives    []Objective        `json:"objectives,omitempty"`
	// Schedule is how often the partnership reports. Defaults to Quarterly.
	Schedule Frequency `json:"schedule,omitempty"`
}

// StateName returns the partnership's lifecycle state if known, else its
// IATI activity status: what a report shows as where the partnership
// stands.
func (a Activity) StateName() string {
	if a.State != "" {
		return a.State
	}
	return string(a.Status)
}

// End returns the activity's end: the actual end if known, else the planned
// end (zero if neither).
func (a Activity) End() citylinks.Date {
	if !a.ActualEnd.IsZero() {
		return a.ActualEnd
	}
	return a.PlannedEnd
}

// Start returns the actual start if known, else the planned start.
func (a Activity) Start() citylinks.Date {
	if !a.ActualStart.IsZero() {
		return a.ActualStart
	}
	return a.PlannedStart
}

// Frequency returns the reporting schedule, Quarterly when unset.
func (a Activity) Frequency() Frequency {
	if a.Schedule == "" {
		return Quarterly
	}
	return a.Schedule
}

// FinalPeriod returns the reporting period that contains the activity's end,
// or false when the activity has no end date.
func (a Activity) FinalPeriod() (Period, bool) {
	end := a.End()
	if end.IsZero() {
		return Period{}, false
	}
	return a.Frequency().PeriodOf(end), true
}

// Indicators returns the codes of the indicators linked to the activity's
// objectives, in order of first appearance.
func (a Activity) Indicators() []string {
	var out []string
	for _, o := range a.Objectives {
		for _, c := range o.Indicators {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Participates reports whether the citylinks organization org takes part.
func (a Activity) Participates(org string) bool {
	if org == "" {
		return false
	}
	for _, p := range a.Participants {
		if p.Organization == org {
			return true
		}
	}
	return false
}

// Validate reports the first problem with a as a *citylinks.ValidationError.
// It checks shapes and dates; codelist membership is checked when IATI is
// written (see CheckIATI).
func (a Activity) Validate() error {
	if err := checkID("id", a.ID); err != nil {
		return err
	}
	if err := checkText("title", a.Title, true); err != nil {
		return err
	}
	if err := checkText("description", a.Description, false); err != nil {
		return err
	}
	if err := checkText("summary", a.Summary, false); err != nil {
		return err
	}
	if a.Parent != "" {
		if err := CheckIATIIdentifier("parent", a.Parent); err != nil {
			return err
		}
	}
	for i, l := range a.Locations {
		f := fmt.Sprintf("locations[%d]", i)
		if err := checkText(f+".name", l.Name, true); err != nil {
			return err
		}
		if l.Role != "" && l.Role != LocationHost && l.Role != LocationResource {
			return invalid(f+".role", "%q is not one of host, resource", errtext.Clip(string(l.Role)))
		}
		if l.GeoNames != "" && !isDigits(l.GeoNames) {
			return invalid(f+".geonames", "%q is not a GeoNames id (digits)", errtext.Clip(l.GeoNames))
		}
		if !finite(l.Lat) || l.Lat < -90 || l.Lat > 90 || !finite(l.Lon) || l.Lon < -180 || l.Lon > 180 {
			return invalid(f, "%v, %v is not a latitude from -90 to 90 and a longitude from -180 to 180", l.Lat, l.Lon)
		}
	}
	for i, d := range a.Documents {
		if err := d.validate(fmt.Sprintf("documents[%d]", i)); err != nil {
			return err
		}
	}
	if err := checkSlug("program", a.Program); err != nil {
		return err
	}
	if err := checkSlug("focus_area", a.FocusArea); err != nil {
		return err
	}
	if err := checkCountry("country", a.Country); err != nil {
		return err
	}
	for _, d := range []struct {
		f string
		d citylinks.Date
	}{{"planned_start", a.PlannedStart}, {"planned_end", a.PlannedEnd}, {"actual_start", a.ActualStart}, {"actual_end", a.ActualEnd}} {
		if !d.d.IsZero() && !d.d.Valid() {
			return invalid(d.f, "is not a calendar date")
		}
	}
	if a.PlannedStart.IsZero() && a.ActualStart.IsZero() {
		return invalid("planned_start", "a planned or actual start is required")
	}
	if !a.PlannedStart.IsZero() && !a.PlannedEnd.IsZero() && a.PlannedEnd.Before(a.PlannedStart) {
		return invalid("planned_end", "%s is before the planned start %s", a.PlannedEnd, a.PlannedStart)
	}
	if !a.ActualEnd.IsZero() && (a.ActualStart.IsZero() || a.ActualEnd.Before(a.ActualStart)) {
		return invalid("actual_end", "needs an actual start on or before it")
	}
	if !a.Status.Valid() {
		return invalid("status", "%q is not an activity status", errtext.Clip(string(a.Status)))
	}
	if err := checkText("state", a.State, false); err != nil {
		return err
	}
	if a.Schedule != "" && !a.Schedule.Valid() {
		return invalid("schedule", "%q is not one of monthly, quarterly, annual", errtext.Clip(string(a.Schedule)))
	}
	if len(a.Participants) == 0 {
		return invalid("participants", "an activity needs at least one participating organization")
	}
	for i, p := range a.Participants {
		f := fmt.Sprintf("participants[%d]", i)
		if p.Organization != "" {
			if err := checkID(f+".organization", p.Organization); err != nil {
				return err
			}
		}
		if p.Ref != "" {
			if err := checkID(f+".ref", p.Ref); err != nil {
				return err
			}
		}
		if err := checkText(f+".name", p.Name, true); err != nil {
			return err
		}
		if !p.Role.Valid() {
			return invalid(f+".role", "%q is not one of funding, accountable, extending, implementing", errtext.Clip(string(p.Role)))
		}
		if err := checkText(f+".type", p.Type, false); err != nil {
			return err
		}
		if p.PartyRole != "" && !slices.Contains(parties, p.PartyRole) {
			return invalid(f+".party_role", "%q is not one of %s", errtext.Clip(p.PartyRole), strings.Join(parties, ", "))
		}
	}
	total := 0.0
	for i, s := range a.Sectors {
		f := fmt.Sprintf("sectors[%d]", i)
		if len(s.Code) != 5 || !isDigits(s.Code) {
			return invalid(f+".code", "%q is not a 5-digit OECD DAC purpose code", errtext.Clip(s.Code))
		}
		if !finite(s.Percentage) || s.Percentage < 0 || s.Percentage > 100 {
			return invalid(f+".percentage", "%v is not between 0 and 100", s.Percentage)
		}
		for _, t := range a.Sectors[:i] {
			if t.Code == s.Code {
				return invalid(f+".code", "%q is listed twice", s.Code)
			}
		}
		total += s.Percentage
	}
	if len(a.Sectors) > 0 && math.Abs(total-100) > 1e-6 {
		return invalid("sectors", "percentages add up to %v, not 100", total)
	}
	for i, m := range a.PolicyMarkers {
		f := fmt.Sprintf("policy_markers[%d]", i)
		if m.Code == "" || !isDigits(m.Code) || m.Significance == "" || !isDigits(m.Significance) {
			return invalid(f, "needs a numeric code and significance")
		}
	}
	for i, o := range a.Objectives {
		f := fmt.Sprintf("objectives[%d]", i)
		if err := checkID(f+".code", o.Code); err != nil {
			return err
		}
		if err := checkText(f+".text", o.Text, true); err != nil {
			return err
		}
		for j, c := range o.Indicators {
			if err := checkCode(fmt.Sprintf("%s.indicators[%d]", f, j), c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d Document) validate(f string) error {
	u, err := url.Parse(d.URL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || strings.ContainsAny(d.URL, " \t\r\n") {
		return invalid(f+".url", "%q is not an absolute http or https URL", errtext.Clip(d.URL))
	}
	if len(d.URL) > MaxTextLen {
		return invalid(f+".url", "is %d bytes long; the limit is %d", len(d.URL), MaxTextLen)
	}
	if err := checkText(f+".title", d.Title, true); err != nil {
		return err
	}
	if len(d.Category) != 3 || d.Category[0] != 'A' && d.Category[0] != 'B' || !isDigits(d.Category[1:]) {
		return invalid(f+".category", "%q is not an IATI DocumentCategory code such as A08", errtext.Clip(d.Category))
	}
	if typ, sub, ok := strings.Cut(d.Format, "/"); !ok || typ == "" || sub == "" || strings.ContainsAny(d.Format, " \t\r\n") || len(d.Format) > MaxCodeLen {
		return invalid(f+".format", "%q is not a media type such as text/html or application/pdf", errtext.Clip(d.Format))
	}
	if d.Language != "" && !isLanguage(d.Language) {
		return invalid(f+".language", "%q is not an ISO 639-1 code such as en", errtext.Clip(d.Language))
	}
	if !d.Date.IsZero() && !d.Date.Valid() {
		return invalid(f+".date", "is not a calendar date")
	}
	return nil
}

// isLanguage reports whether s is an ISO 639-1 code: two lower-case
// letters.
func isLanguage(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

// CheckIATIIdentifier reports, as a *citylinks.ValidationError naming
// field, whether s cannot be an IATI organisation or activity identifier:
// it is empty, or holds white space or one of / & | ? (IATI rules 1.3.1,
// 1.3.13, 1.14.1 and 1.14.13). Examples that take a publisher identifier
// check it with this before they write anything.
func CheckIATIIdentifier(field, s string) error {
	switch {
	case s == "":
		return invalid(field, "must not be empty")
	case len(s) > MaxIDLen:
		return invalid(field, "is %d bytes long; the limit is %d", len(s), MaxIDLen)
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return invalid(field, "%q holds white space: an IATI identifier may not", errtext.Clip(s))
	case strings.ContainsAny(s, "/&|?"):
		return invalid(field, "%q holds one of / & | ?: an IATI identifier may not", errtext.Clip(s))
	case !utf8.ValidString(s):
		return invalid(field, "is not UTF-8")
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Clone returns a deep copy of a.
func (a Activity) Clone() Activity {
	a.Participants = slices.Clone(a.Participants)
	a.Sectors = slices.Clone(a.Sectors)
	a.PolicyMarkers = slices.Clone(a.PolicyMarkers)
	a.Locations = slices.Clone(a.Locations)
	a.Documents = slices.Clone(a.Documents)
	a.Objectives = slices.Clone(a.Objectives)
	for i := range a.Objectives {
		a.Objectives[i].Indicators = slices.Clone(a.Objectives[i].Indicators)
	}
	return a
}
