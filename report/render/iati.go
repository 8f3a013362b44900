package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/report"
)

// IATIOrg is the organization that publishes the IATI file (reporting-org).
type IATIOrg struct {
	// Ref is its IATI organisation identifier: a registration-agency prefix
	// from the OrganisationRegistrationAgency codelist, "-", and the number
	// the agency issued, e.g. "US-EIN-123456789". Activity identifiers are
	// Ref + "-" + the partnership id.
	Ref string
	// Type is its IATI OrganisationType code, e.g. "21" international NGO.
	Type string
	Name string
}

// IATI renders IATI 2.03 activities XML: one iati-activity per partnership
// with its participating organizations and roles, status, dates, recipient
// country, DAC sectors, policy markers, and one outcome result per work-plan
// objective holding the objective's indicators with their baselines and
// periods (targets and actuals, and breakdowns as dimension elements).
//
// Only approved figures reach the donor: by default an actual is published
// only when its period lies within an approved period of its partnership
// (see Report.ActualState; Report.Approvals holds the approvals). An actual
// that is a draft, submitted or returned is left out, its breakdowns too; a
// period that has a target keeps the target, and a period left with
// neither is not written. Baselines and targets are plan values, not
// subject to approval, and are always published. IncludeUnapproved
// publishes every actual instead. Contributions (volunteer hours and
// in-kind value) are not published at all: IATI 2.03 has no element for
// volunteer time, and in-kind value is not a financial transaction of the
// reporting organisation.
//
// Before writing anything it checks the document with CheckIATI; a problem
// of severity error makes Render return an *IATIError and write nothing.
// The output validates against the IATI 2.03 XSD.
//
// Text is written as XML character data, escaped; a carriage return is
// written as &#xD; so that it reads back. The C0 control characters other
// than tab, line feed and carriage return, which XML 1.0 cannot carry
// (package citylinks and the report Service accept them in free text), are
// written as U+FFFD REPLACEMENT CHARACTER: the file stays well-formed and
// the rest of the text is unchanged.
type IATI struct {
	ReportingOrg IATIOrg
	// Lang is the language of the activities' own text (titles,
	// objectives, comments, names), as an ISO 639-1 code such as "en" or
	// "fr": the activity's xml:lang and the xml:lang of each narrative
	// holding such text. Text the renderer writes itself (a description
	// composed from the activity, "Not approved" notes) is English and
	// says so (xml:lang "en"). Defaults to "en".
	Lang string
	// Currency is the default currency. Defaults to "USD".
	Currency string
	// CollaborationType, FlowType, FinanceType, AidType and TiedStatus are
	// the activities' defaults, as codes. They default to the values of a
	// USAID-funded technical-assistance grant: collaboration 1 (bilateral),
	// flow 10 (ODA), finance 110 (standard grant), aid type D02 (other
	// technical assistance), tied status 5 (untied).
	CollaborationType, FlowType, FinanceType, AidType, TiedStatus string
	// OnWarning, if set, receives the checks' warnings (which do not stop
	// the output).
	OnWarning func(IATIProblem)
	// IncludeUnapproved publishes the actuals that are not approved too
	// (draft, submitted or returned), each with a comment saying so, e.g.
	// "Not approved (returned)." IATI has no element for an approval
	// state. Defaults to false: approved actuals only.
	IncludeUnapproved bool
}

func (x IATI) defaults() IATI {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&x.Lang, "en")
	def(&x.Currency, "USD")
	def(&x.CollaborationType, "1")
	def(&x.FlowType, "10")
	def(&x.FinanceType, "110")
	def(&x.AidType, "D02")
	def(&x.TiedStatus, "5")
	return x
}

// The IATI 2.03 document, as Go structs. encoding/xml writes fields in
// declaration order, which here is the XSD's sequence order.
type iatiActivities struct {
	XMLName    xml.Name       `xml:"iati-activities"`
	Version    string         `xml:"version,attr"`
	Generated  string         `xml:"generated-datetime,attr,omitempty"`
	Activities []iatiActivity `xml:"iati-activity"`
}

type iatiActivity struct {
	LastUpdated   string              `xml:"last-updated-datetime,attr,omitempty"`
	Lang          string              `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Currency      string              `xml:"default-currency,attr,omitempty"`
	Hierarchy     string              `xml:"hierarchy,attr,omitempty"`
	Identifier    string              `xml:"iati-identifier"`
	ReportingOrg  iatiOrg             `xml:"reporting-org"`
	Title         iatiText            `xml:"title"`
	Descriptions  []iatiDescription   `xml:"description"`
	Participating []iatiParticipating `xml:"participating-org"`
	Status        iatiCode            `xml:"activity-status"`
	Dates         []iatiActivityDate  `xml:"activity-date"`
	Countries     []iatiCountry       `xml:"recipient-country"`
	Locations     []iatiLocation      `xml:"location"`
	Sectors       []iatiSector        `xml:"sector"`
	PolicyMarkers []iatiPolicyMarker  `xml:"policy-marker"`
	Collaboration *iatiCode           `xml:"collaboration-type"`
	FlowType      *iatiCode           `xml:"default-flow-type"`
	FinanceType   *iatiCode           `xml:"default-finance-type"`
	AidTypes      []iatiAidType       `xml:"default-aid-type"`
	TiedStatus    *iatiCode           `xml:"default-tied-status"`
	Documents     []iatiDocumentLink  `xml:"document-link"`
	Related       []iatiRelated       `xml:"related-activity"`
	Results       []iatiResult        `xml:"result"`
}

type iatiLocation struct {
	Reach     *iatiCode        `xml:"location-reach"`
	IDs       []iatiLocationID `xml:"location-id"`
	Name      *iatiText        `xml:"name"`
	Point     *iatiPoint       `xml:"point"`
	Exactness *iatiCode        `xml:"exactness"`
	Class     *iatiCode        `xml:"location-class"`
}

type iatiLocationID struct {
	Vocabulary string `xml:"vocabulary,attr"`
	Code       string `xml:"code,attr"`
}

type iatiPoint struct {
	SRS string `xml:"srsName,attr"`
	Pos string `xml:"pos"`
}

type iatiDocumentLink struct {
	URL        string     `xml:"url,attr"`
	Format     string     `xml:"format,attr"`
	Title      iatiText   `xml:"title"`
	Categories []iatiCode `xml:"category"`
	Languages  []iatiCode `xml:"language"`
	Date       *iatiDate  `xml:"document-date"`
}

type iatiRelated struct {
	Ref  string `xml:"ref,attr"`
	Type string `xml:"type,attr"`
}

type iatiNarrative struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type iatiText struct {
	Narratives []iatiNarrative `xml:"narrative"`
}

// text is one narrative in language lang.
func text(lang, s string) iatiText {
	return iatiText{Narratives: []iatiNarrative{{Lang: lang, Text: s}}}
}

// generatedLang is the language of the text the renderer writes itself.
const generatedLang = "en"

type iatiOrg struct {
	Ref        string          `xml:"ref,attr"`
	Type       string          `xml:"type,attr"`
	Narratives []iatiNarrative `xml:"narrative"`
}

type iatiDescription struct {
	Type       string          `xml:"type,attr,omitempty"`
	Narratives []iatiNarrative `xml:"narrative"`
}

type iatiParticipating struct {
	Ref        string          `xml:"ref,attr,omitempty"`
	Type       string          `xml:"type,attr,omitempty"`
	Role       string          `xml:"role,attr"`
	Narratives []iatiNarrative `xml:"narrative"`
}

type iatiCode struct {
	Code string `xml:"code,attr"`
}

type iatiActivityDate struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
}

type iatiCountry struct {
	Code       string `xml:"code,attr"`
	Percentage string `xml:"percentage,attr,omitempty"`
}

type iatiSector struct {
	Vocabulary string `xml:"vocabulary,attr,omitempty"`
	Code       string `xml:"code,attr"`
	Percentage string `xml:"percentage,attr,omitempty"`
}

type iatiPolicyMarker struct {
	Vocabulary   string `xml:"vocabulary,attr,omitempty"`
	Code         string `xml:"code,attr"`
	Significance string `xml:"significance,attr,omitempty"`
}

type iatiAidType struct {
	Vocabulary string `xml:"vocabulary,attr,omitempty"`
	Code       string `xml:"code,attr"`
}

type iatiResult struct {
	Type        string          `xml:"type,attr"`
	Aggregation string          `xml:"aggregation-status,attr,omitempty"`
	Title       iatiText        `xml:"title"`
	Description *iatiText       `xml:"description"`
	Indicators  []iatiIndicator `xml:"indicator"`
}

type iatiIndicator struct {
	Measure     string          `xml:"measure,attr"`
	Ascending   string          `xml:"ascending,attr,omitempty"`
	Title       iatiText        `xml:"title"`
	Description *iatiText       `xml:"description"`
	References  []iatiReference `xml:"reference"`
	Baselines   []iatiBaseline  `xml:"baseline"`
	Periods     []iatiPeriod    `xml:"period"`
}

type iatiReference struct {
	Vocabulary string `xml:"vocabulary,attr"`
	Code       string `xml:"code,attr"`
	URI        string `xml:"indicator-uri,attr,omitempty"`
}

type iatiBaseline struct {
	Year       string          `xml:"year,attr"`
	ISODate    string          `xml:"iso-date,attr,omitempty"`
	Value      *string         `xml:"value,attr"`
	Dimensions []iatiDimension `xml:"dimension"`
	Comment    *iatiText       `xml:"comment"`
}

type iatiPeriod struct {
	Start   iatiDate    `xml:"period-start"`
	End     iatiDate    `xml:"period-end"`
	Targets []iatiValue `xml:"target"`
	Actuals []iatiValue `xml:"actual"`
}

type iatiDate struct {
	ISODate string `xml:"iso-date,attr"`
}

type iatiValue struct {
	Value      *string         `xml:"value,attr"`
	Dimensions []iatiDimension `xml:"dimension"`
	Comment    *iatiText       `xml:"comment"`
}

type iatiDimension struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// iatiDecimal formats v as an xs:decimal that XPath number() reads back:
// no exponent.
func iatiDecimal(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func ptr(s string) *string { return &s }

// Render implements Renderer. A number that is not finite, which an
// xs:decimal cannot carry, is a *citylinks.ValidationError, and nothing is
// written.
func (x IATI) Render(w io.Writer, r *report.Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	x = x.defaults()
	if err := x.check(); err != nil {
		return err
	}
	doc := iatiActivities{Version: "2.03", Generated: r.Generated.UTC().Format(time.RFC3339)}
	for _, a := range r.Activities {
		doc.Activities = append(doc.Activities, x.activity(r, a))
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: write IATI: %w", err)
	}
	buf.WriteByte('\n')
	problems, err := CheckIATI(bytes.NewReader(buf.Bytes()), r.Generated)
	if err != nil {
		return err
	}
	var errs []IATIProblem
	for _, p := range problems {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		} else if x.OnWarning != nil {
			x.OnWarning(p)
		}
	}
	if len(errs) > 0 {
		return &IATIError{Problems: errs}
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// check refuses, before anything is written, a publisher identifier
// with white space or one of / & | ? (CheckIATIIdentifier), and a language
// that is not an ISO 639-1 code. Activity identifiers made of such
// partnership ids are CheckIATI's warnings, so that one odd id does not
// stop the whole file.
func (x IATI) check() error {
	if err := report.CheckIATIIdentifier("reporting_org.ref", x.ReportingOrg.Ref); err != nil {
		return err
	}
	if !isLanguage(x.Lang) {
		return invalid("lang", "%q is not an ISO 639-1 language code such as en, fr, es or pt", errtext.Clip(x.Lang))
	}
	return nil
}

func (x IATI) activity(r *report.Report, a report.Activity) iatiActivity {
	own := func(s string) iatiText { return text(x.Lang, s) }
	out := iatiActivity{
		LastUpdated: r.Generated.UTC().Format(time.RFC3339), Lang: x.Lang, Currency: x.Currency, Hierarchy: "1",
		Identifier:   x.ReportingOrg.Ref + "-" + a.ID,
		ReportingOrg: iatiOrg{Ref: x.ReportingOrg.Ref, Type: x.ReportingOrg.Type, Narratives: own(x.ReportingOrg.Name).Narratives},
		Title:        own(a.Title),
		Status:       iatiCode{Code: a.Status.IATICode()},
	}
	if a.Parent != "" {
		out.Hierarchy = "2"
		out.Related = []iatiRelated{{Ref: a.Parent, Type: "1"}} // RelatedActivityType 1: parent
	}
	desc := own(a.Summary)
	if strings.TrimSpace(a.Summary) == "" {
		desc = text(generatedLang, PublicDescription(a))
	}
	out.Descriptions = append(out.Descriptions, iatiDescription{Type: "1", Narratives: desc.Narratives})
	if len(a.Objectives) > 0 {
		var titles []string
		for _, o := range a.Objectives {
			titles = append(titles, o.Text)
		}
		out.Descriptions = append(out.Descriptions, iatiDescription{Type: "2", Narratives: own(strings.Join(titles, "; ")).Narratives})
	}
	for _, p := range a.Participants {
		out.Participating = append(out.Participating, iatiParticipating{Ref: p.Ref, Type: p.Type, Role: p.Role.IATICode(), Narratives: own(p.Name).Narratives})
	}
	for _, d := range []struct {
		t string
		d citylinks.Date
	}{{"1", a.PlannedStart}, {"2", a.ActualStart}, {"3", a.PlannedEnd}, {"4", a.ActualEnd}} {
		if !d.d.IsZero() {
			out.Dates = append(out.Dates, iatiActivityDate{Type: d.t, ISODate: d.d.String()})
		}
	}
	out.Countries = []iatiCountry{{Code: a.Country}}
	for _, l := range a.Locations {
		if !l.IsHost() {
			continue // the peer city shares expertise; the activity takes place in the host city
		}
		name := own(l.Name)
		loc := iatiLocation{
			Reach: &iatiCode{"1"}, // GeographicLocationReach 1: where the activity takes place
			Name:  &name,
			// WGS 84 latitude and longitude, as IATI's location/point asks.
			Point:     &iatiPoint{SRS: "http://www.opengis.net/def/crs/EPSG/0/4326", Pos: iatiDecimal(l.Lat) + " " + iatiDecimal(l.Lon)},
			Exactness: &iatiCode{"2"}, // GeographicExactness 2: approximate (a city's centre)
			Class:     &iatiCode{"2"}, // GeographicLocationClass 2: populated place
		}
		if l.GeoNames != "" {
			loc.IDs = []iatiLocationID{{Vocabulary: "G1", Code: l.GeoNames}} // GeographicVocabulary G1: GeoNames
		}
		out.Locations = append(out.Locations, loc)
	}
	for _, s := range a.Sectors {
		sec := iatiSector{Vocabulary: "1", Code: s.Code}
		if len(a.Sectors) > 1 {
			sec.Percentage = iatiDecimal(s.Percentage)
		}
		out.Sectors = append(out.Sectors, sec)
	}
	for _, m := range a.PolicyMarkers {
		out.PolicyMarkers = append(out.PolicyMarkers, iatiPolicyMarker{Vocabulary: "1", Code: m.Code, Significance: m.Significance})
	}
	out.Collaboration = &iatiCode{x.CollaborationType}
	out.FlowType = &iatiCode{x.FlowType}
	out.FinanceType = &iatiCode{x.FinanceType}
	out.AidTypes = []iatiAidType{{Vocabulary: "1", Code: x.AidType}}
	out.TiedStatus = &iatiCode{x.TiedStatus}
	for _, d := range a.Documents {
		link := iatiDocumentLink{URL: d.URL, Format: d.Format, Title: own(d.Title), Categories: []iatiCode{{d.Category}}}
		if d.Language != "" {
			link.Languages = []iatiCode{{d.Language}}
		}
		if !d.Date.IsZero() {
			link.Date = &iatiDate{d.Date.String()}
		}
		out.Documents = append(out.Documents, link)
	}
	// One result per objective and result type (output, outcome, impact),
	// holding the objective's indicators of that type.
	for _, o := range a.Objectives {
		for _, typ := range report.ResultTypes() {
			res := iatiResult{Type: typ.IATICode(), Aggregation: "false", Title: own(o.Text)}
			for _, code := range o.Indicators {
				in, ok := r.Indicator(code)
				if !ok || in.ResultType() != typ {
					continue
				}
				res.Indicators = append(res.Indicators, iatiIndicatorOf(in, seriesOf(r, a.ID, code), x.Lang, x.IncludeUnapproved))
			}
			if len(res.Indicators) > 0 {
				out.Results = append(out.Results, res)
			}
		}
	}
	return out
}

// PublicDescription returns the description IATI publishes for an activity
// that has no Summary: who works together, under which program, on what,
// where and since when, in English, from the activity's fields alone —
// never its internal Description notes. For example: "A city-to-city
// partnership between eThekwini Municipality (Durban) and the City of Fort
// Lauderdale, FL, in South Africa, under CityLinks 2011–2016, on
// climate-related governance, from 1 July 2013 to 31 December 2015."
func PublicDescription(a report.Activity) string {
	var names []string
	for _, p := range a.Participants {
		if p.Role == report.RoleImplementing {
			names = append(names, p.Name)
		}
	}
	var b strings.Builder
	b.WriteString("A city-to-city partnership")
	switch len(names) {
	case 0:
	case 1:
		b.WriteString(" of " + names[0])
	default:
		b.WriteString(" between " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1])
	}
	if c, err := citylinks.LookupCountry(a.Country); err == nil {
		b.WriteString(", in " + c.Name)
	}
	if p, err := citylinks.LookupProgram(a.Program); err == nil {
		b.WriteString(", under " + p.Name)
	}
	if f, err := citylinks.LookupFocusArea(a.FocusArea); err == nil {
		b.WriteString(", on " + strings.ToLower(f.Name[:1]) + f.Name[1:])
	}
	day := func(d citylinks.Date) string { return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year) }
	if start := a.Start(); !start.IsZero() {
		b.WriteString(", from " + day(start))
		if end := a.End(); !end.IsZero() {
			b.WriteString(" to " + day(end))
		}
	}
	b.WriteString(".")
	return b.String()
}

func seriesOf(r *report.Report, partnership, code string) report.Series {
	for _, s := range r.Series {
		if s.Partnership == partnership && s.Indicator == code {
			return s
		}
	}
	return report.Series{}
}

// iatiIndicatorOf writes one indicator's series: its actuals only when
// approved, unless all is set.
func iatiIndicatorOf(in report.Indicator, s report.Series, lang string, all bool) iatiIndicator {
	own := func(s string) iatiText { return text(lang, s) }
	qual := in.Measure == report.MeasureQualitative
	title := in.Name
	if in.Unit != "" {
		title += " (" + in.Unit + ")"
	}
	out := iatiIndicator{Measure: in.Measure.IATICode(), Title: own(title)}
	if !qual {
		out.Ascending = strconv.FormatBool(in.Direction == report.Increase)
	}
	if in.Description != "" {
		d := own(in.Description)
		out.Description = &d
	}
	for _, ref := range in.References {
		out.References = append(out.References, iatiReference{Vocabulary: ref.Vocabulary, Code: ref.Code, URI: ref.URL})
	}
	commentIn := func(l, c string) *iatiText {
		if strings.TrimSpace(c) == "" {
			return nil
		}
		t := text(l, c)
		return &t
	}
	comment := func(c string) *iatiText { return commentIn(lang, c) }
	value := func(v *float64) *string {
		if qual || v == nil {
			return nil
		}
		return ptr(iatiDecimal(*v))
	}
	for _, b := range s.Baselines {
		bl := iatiBaseline{Year: strconv.Itoa(b.Period.Year()), ISODate: b.Period.End.String(), Value: value(b.Value), Comment: comment(b.Comment)}
		if qual && bl.Comment == nil {
			continue
		}
		out.Baselines = append(out.Baselines, bl)
	}
	for _, p := range s.Periods {
		ip := iatiPeriod{Start: iatiDate{p.Period.Start.String()}, End: iatiDate{p.Period.End.String()}}
		if p.Target != nil {
			ip.Targets = append(ip.Targets, iatiValue{Value: value(p.Target.Value), Comment: comment(p.Target.Comment)})
		}
		// The total and the breakdowns of a period share its approval state.
		var state report.ApprovalState
		if p.Actual != nil {
			state = p.Actual.State
		}
		for _, b := range p.Breakdown {
			if state == "" {
				state = b.State
			}
		}
		publish := all || state == report.StateApproved
		note := ""
		if state != report.StateApproved {
			note = "Not approved (" + string(state) + ")."
		}
		if p.Actual != nil && publish {
			c := comment(p.Actual.Comment)
			switch {
			case note != "" && c == nil:
				c = commentIn(generatedLang, note)
			case note != "":
				c = comment(note + " " + strings.TrimSpace(p.Actual.Comment))
			}
			ip.Actuals = append(ip.Actuals, iatiValue{Value: value(p.Actual.Value), Comment: c})
		}
		for _, b := range p.Breakdown {
			var dims []iatiDimension
			for _, k := range b.Disaggregation.Keys() {
				dims = append(dims, iatiDimension{Name: k, Value: b.Disaggregation[k]})
			}
			if b.Target != nil && !qual {
				ip.Targets = append(ip.Targets, iatiValue{Value: value(b.Target), Dimensions: dims})
			}
			if b.Actual != nil && !qual && publish {
				ip.Actuals = append(ip.Actuals, iatiValue{Value: value(b.Actual), Dimensions: dims, Comment: commentIn(generatedLang, note)})
			}
		}
		if len(ip.Targets)+len(ip.Actuals) > 0 {
			out.Periods = append(out.Periods, ip)
		}
	}
	slices.SortStableFunc(out.Periods, func(a, b iatiPeriod) int { return strings.Compare(a.Start.ISODate, b.Start.ISODate) })
	return out
}
