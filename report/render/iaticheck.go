package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
)

// Severity is how serious an IATI problem is, as the IATI rulesets grade it.
type Severity string

// The severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// IATIProblem is one failed check: the IATI ruleset id (e.g. "2.1.2") or
// "codelist", where it is and what is wrong.
type IATIProblem struct {
	Rule     string
	Severity Severity
	Path     string // e.g. "iati-activity[2]/sector[1]/@code"
	Message  string
}

// String formats p on one line.
func (p IATIProblem) String() string {
	return fmt.Sprintf("%s %s at %s: %s", p.Severity, p.Rule, p.Path, p.Message)
}

// IATIError lists the errors that stopped an IATI document. It wraps
// citylinks.ErrInvalid.
type IATIError struct {
	Problems []IATIProblem
}

// Error implements error.
func (e *IATIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "report: IATI output fails %d check(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-5)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns citylinks.ErrInvalid.
func (e *IATIError) Unwrap() error { return citylinks.ErrInvalid }

// CheckIATI reads an IATI 2.03 activities document and checks what the XSD
// does not (the schema checks element order, cardinality and the lexical
// form of dates and numbers, but every code, identifier and indicator
// value is a plain string to it): codes against the embedded IATI
// codelists (unknown and withdrawn codes are errors), and the rules of the
// IATI Rulesets (standard.json, version 2.03) that a partnership exporter
// must respect: identifier
// prefix and characters, date order and dates in the future (relative to
// now), sector and country percentages, values for numeric measures,
// narratives and languages. It returns every problem found, errors and
// warnings; the error is for a document it cannot read.
func CheckIATI(r io.Reader, now time.Time) ([]IATIProblem, error) {
	var doc iatiActivities
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("report: read IATI: %w: %w", citylinks.ErrInvalid, err)
	}
	if _, err := loadCodelists(); err != nil {
		return nil, err
	}
	c := &checker{today: citylinks.DateOf(now.UTC())}
	if doc.Version != "2.03" {
		c.add("version", SeverityError, "iati-activities/@version", "is %q; this checker knows 2.03", doc.Version)
	}
	for i, a := range doc.Activities {
		c.activity(fmt.Sprintf("iati-activity[%d]", i+1), a, now)
	}
	return c.problems, nil
}

type checker struct {
	today    citylinks.Date
	problems []IATIProblem
}

func (c *checker) add(rule string, sev Severity, path, format string, args ...any) {
	c.problems = append(c.problems, IATIProblem{Rule: rule, Severity: sev, Path: path, Message: fmt.Sprintf(format, args...)})
}

// code checks a code against a codelist; empty codes are the caller's
// concern.
func (c *checker) code(list, path, code string) {
	known, withdrawn := IATICode(list, code)
	switch {
	case !known:
		c.add("codelist", SeverityError, path, "%q is not in the IATI %s codelist", code, list)
	case withdrawn:
		c.add("codelist", SeverityError, path, "%q is withdrawn from the IATI %s codelist", code, list)
	}
}

func (c *checker) narratives(rule, path string, t iatiText, lang bool) {
	if len(t.Narratives) == 0 {
		c.add(rule, SeverityError, path, "needs a narrative")
	}
	for j, n := range t.Narratives {
		if strings.TrimSpace(n.Text) == "" {
			c.add(rule, SeverityError, fmt.Sprintf("%s/narrative[%d]", path, j+1), "narrative is empty")
		}
		if !lang && n.Lang == "" {
			c.add("4.1.1", SeverityError, fmt.Sprintf("%s/narrative[%d]", path, j+1), "no xml:lang on the activity or the narrative")
		}
	}
}

func (c *checker) date(path, s string) (citylinks.Date, bool) {
	d, err := citylinks.ParseDate(s)
	if err != nil || len(s) != 10 {
		c.add("date", SeverityError, path, "%q is not a date of the form YYYY-MM-DD", s)
		return d, false
	}
	return d, true
}

func badIDChars(s string) bool { return strings.ContainsAny(s, "/&|?") }

func (c *checker) activity(at string, a iatiActivity, now time.Time) {
	lang := a.Lang != ""
	id, org := a.Identifier, a.ReportingOrg.Ref
	switch {
	case strings.TrimSpace(id) == "":
		c.add("1.1.3", SeverityError, at+"/iati-identifier", "is empty")
	case id == org:
		c.add("1.1.3", SeverityError, at+"/iati-identifier", "must differ from the reporting-org ref")
	case !strings.HasPrefix(id, org+"-"):
		c.add("1.1.21", SeverityWarning, at+"/iati-identifier", "%q should start with the reporting-org ref %q and '-'", id, org)
	}
	if strings.TrimSpace(id) != id {
		c.add("1.3.1", SeverityWarning, at+"/iati-identifier", "has leading or trailing white space")
	}
	if badIDChars(id) {
		c.add("1.3.13", SeverityWarning, at+"/iati-identifier", "%q contains / & | or ?", id)
	}
	if org == "" {
		c.add("1.14.8", SeverityError, at+"/reporting-org/@ref", "is required")
	} else {
		prefix := org
		if parts := strings.SplitN(org, "-", 3); len(parts) >= 2 {
			prefix = parts[0] + "-" + parts[1]
		}
		if known, withdrawn := IATICode("OrganisationRegistrationAgency", prefix); !known || withdrawn {
			c.add("1.14.8", SeverityWarning, at+"/reporting-org/@ref", "%q does not start with an approved registration-agency prefix", org)
		}
		if badIDChars(org) {
			c.add("1.14.13", SeverityWarning, at+"/reporting-org/@ref", "%q contains / & | or ?", org)
		}
		if strings.TrimSpace(org) != org {
			c.add("1.14.1", SeverityWarning, at+"/reporting-org/@ref", "has leading or trailing white space")
		}
	}
	c.code("OrganisationType", at+"/reporting-org/@type", a.ReportingOrg.Type)
	c.narratives("4.3.1", at+"/reporting-org", iatiText{a.ReportingOrg.Narratives}, lang)
	if a.Currency != "" {
		c.code("Currency", at+"/@default-currency", a.Currency)
	}
	if a.LastUpdated != "" {
		if t, err := time.Parse(time.RFC3339, a.LastUpdated); err == nil && t.After(now.Add(time.Minute)) {
			c.add("11.1.1", SeverityError, at+"/@last-updated-datetime", "%s is in the future", a.LastUpdated)
		}
	}
	c.narratives("4.3.1", at+"/title", a.Title, lang)
	if len(a.Descriptions) == 0 {
		c.add("4.4.1", SeverityError, at+"/description", "an activity needs a description")
	}
	for i, d := range a.Descriptions {
		p := fmt.Sprintf("%s/description[%d]", at, i+1)
		if d.Type != "" {
			c.code("DescriptionType", p+"/@type", d.Type)
		}
		c.narratives("4.4.1", p, iatiText{d.Narratives}, lang)
	}
	if len(a.Participating) == 0 {
		c.add("6.10.1", SeverityError, at+"/participating-org", "an activity needs a participating organisation")
	}
	for i, p := range a.Participating {
		path := fmt.Sprintf("%s/participating-org[%d]", at, i+1)
		c.code("OrganisationRole", path+"/@role", p.Role)
		if p.Type != "" {
			c.code("OrganisationType", path+"/@type", p.Type)
		}
		if p.Ref == "" && len(p.Narratives) == 0 {
			c.add("6.10.1", SeverityError, path, "needs @ref or a narrative")
		}
		if p.Ref != "" && badIDChars(p.Ref) {
			c.add("1.8.13", SeverityWarning, path+"/@ref", "%q contains / & | or ?", p.Ref)
		}
		if p.Ref != strings.TrimSpace(p.Ref) {
			c.add("1.8.1", SeverityWarning, path+"/@ref", "has leading or trailing white space")
		}
		if len(p.Narratives) > 0 {
			c.narratives("4.3.1", path, iatiText{p.Narratives}, lang)
		}
	}
	c.code("ActivityStatus", at+"/activity-status/@code", a.Status.Code)
	dates := map[string]citylinks.Date{}
	for i, d := range a.Dates {
		p := fmt.Sprintf("%s/activity-date[%d]", at, i+1)
		c.code("ActivityDateType", p+"/@type", d.Type)
		if v, ok := c.date(p+"/@iso-date", d.ISODate); ok {
			dates[d.Type] = v
		}
	}
	if _, ok := dates["1"]; !ok {
		if _, ok := dates["2"]; !ok {
			c.add("6.11.1", SeverityError, at+"/activity-date", "needs a planned start (type 1) or actual start (type 2)")
		}
	}
	order := func(rule, less, more, what string) {
		l, ok1 := dates[less]
		m, ok2 := dates[more]
		if ok1 && ok2 && l.After(m) {
			c.add(rule, SeverityError, at+"/activity-date", "%s: %s is after %s", what, l, m)
		}
	}
	order("11.1.2", "1", "3", "planned start after planned end")
	order("11.1.3", "2", "4", "actual start after actual end")
	for t, rule := range map[string]string{"2": "11.1.4", "4": "11.1.5"} {
		if d, ok := dates[t]; ok && d.After(c.today) {
			c.add(rule, SeverityError, at+"/activity-date", "actual date %s is in the future", d)
		}
	}
	// Recipient countries (3.1.x, 12.1.1).
	sum := 0.0
	for i, rc := range a.Countries {
		p := fmt.Sprintf("%s/recipient-country[%d]", at, i+1)
		c.code("Country", p+"/@code", rc.Code)
		if rc.Percentage == "" {
			if len(a.Countries) > 1 {
				c.add("3.1.1", SeverityError, p, "several recipient countries: each needs a percentage")
			}
			continue
		}
		v, err := strconv.ParseFloat(rc.Percentage, 64)
		if err != nil || v < 0 || v > 100 {
			c.add("12.1.1", SeverityError, p+"/@percentage", "%q is not from 0 to 100", rc.Percentage)
			continue
		}
		if len(a.Countries) == 1 && v != 100 {
			c.add("3.1.4", SeverityError, p+"/@percentage", "a single recipient country has no percentage or 100")
		}
		sum += v
	}
	if len(a.Countries) > 1 && math.Abs(sum-100) > 1e-6 {
		c.add("3.1.2", SeverityError, at+"/recipient-country", "percentages add up to %v, not 100", sum)
	}
	// Sectors (6.2.2, 2.1.x, 12.3.1), per vocabulary.
	if len(a.Sectors) == 0 {
		c.add("6.2.2", SeverityError, at+"/sector", "an activity needs a sector")
	}
	byVocab := map[string][]int{}
	for i, s := range a.Sectors {
		v := s.Vocabulary
		if v == "" {
			v = "1"
		}
		byVocab[v] = append(byVocab[v], i)
		p := fmt.Sprintf("%s/sector[%d]", at, i+1)
		c.code("SectorVocabulary", p+"/@vocabulary", v)
		if v == "1" {
			c.code("Sector", p+"/@code", s.Code)
		}
	}
	for v, idx := range byVocab {
		if v != "1" {
			c.add("102.1.1", SeverityWarning, at+"/sector", "vocabulary %s is used: also give OECD DAC (vocabulary 1) sectors", v)
		}
		sum := 0.0
		for _, i := range idx {
			s := a.Sectors[i]
			p := fmt.Sprintf("%s/sector[%d]/@percentage", at, i+1)
			if s.Percentage == "" {
				if len(idx) > 1 {
					c.add("2.1.1", SeverityError, p, "several sectors in vocabulary %s: each needs a percentage", v)
				}
				continue
			}
			pc, err := strconv.ParseFloat(s.Percentage, 64)
			if err != nil || pc < 0 || pc > 100 {
				c.add("12.3.1", SeverityError, p, "%q is not from 0 to 100", s.Percentage)
				continue
			}
			if len(idx) == 1 && pc != 100 {
				c.add("2.1.4", SeverityError, p, "a single sector in a vocabulary has no percentage or 100")
			}
			sum += pc
		}
		if len(idx) > 1 && math.Abs(sum-100) > 1e-6 {
			c.add("2.1.2", SeverityError, at+"/sector", "vocabulary %s percentages add up to %v, not 100", v, sum)
		}
	}
	for i, m := range a.PolicyMarkers {
		p := fmt.Sprintf("%s/policy-marker[%d]", at, i+1)
		if m.Vocabulary == "" || m.Vocabulary == "1" {
			c.code("PolicyMarker", p+"/@code", m.Code)
			if m.Significance == "" {
				c.add("6.14.1", SeverityError, p, "a DAC policy marker needs a significance")
			}
		}
		if m.Significance != "" {
			c.code("PolicySignificance", p+"/@significance", m.Significance)
		}
	}
	if a.Collaboration != nil {
		c.code("CollaborationType", at+"/collaboration-type/@code", a.Collaboration.Code)
	}
	if a.FlowType != nil {
		c.code("FlowType", at+"/default-flow-type/@code", a.FlowType.Code)
	}
	if a.FinanceType != nil {
		c.code("FinanceType", at+"/default-finance-type/@code", a.FinanceType.Code)
	}
	dac := 0
	for i, t := range a.AidTypes {
		p := fmt.Sprintf("%s/default-aid-type[%d]", at, i+1)
		v := t.Vocabulary
		if v == "" {
			v = "1"
		}
		c.code("AidTypeVocabulary", p+"/@vocabulary", v)
		if v == "1" {
			dac++
			c.code("AidType", p+"/@code", t.Code)
		}
	}
	if dac == 0 {
		c.add("107.1.1", SeverityWarning, at+"/default-aid-type", "include a DAC (vocabulary 1) default aid type")
	} else if dac > 1 {
		c.add("107.1.2", SeverityWarning, at+"/default-aid-type", "at most one default aid type per vocabulary")
	}
	if a.TiedStatus != nil {
		c.code("TiedStatus", at+"/default-tied-status/@code", a.TiedStatus.Code)
	}
	for i, l := range a.Locations {
		c.location(fmt.Sprintf("%s/location[%d]", at, i+1), l, lang)
	}
	for i, d := range a.Documents {
		p := fmt.Sprintf("%s/document-link[%d]", at, i+1)
		if u, err := url.Parse(d.URL); err != nil || u.Scheme == "" || u.Host == "" {
			c.add("document-link", SeverityError, p+"/@url", "%q is not an absolute URL", d.URL)
		}
		if strings.TrimSpace(d.Format) == "" {
			c.add("document-link", SeverityError, p+"/@format", "is empty")
		}
		c.narratives("4.3.1", p+"/title", d.Title, lang)
		if len(d.Categories) == 0 {
			c.add("document-link", SeverityError, p, "needs a category")
		}
		for j, cat := range d.Categories {
			c.code("DocumentCategory", fmt.Sprintf("%s/category[%d]/@code", p, j+1), cat.Code)
		}
		if d.Date != nil {
			c.date(p+"/document-date/@iso-date", d.Date.ISODate)
		}
	}
	for i, r := range a.Related {
		p := fmt.Sprintf("%s/related-activity[%d]", at, i+1)
		c.code("RelatedActivityType", p+"/@type", r.Type)
		switch {
		case strings.TrimSpace(r.Ref) == "":
			c.add("related-activity", SeverityError, p+"/@ref", "is empty")
		case r.Ref == id:
			c.add("related-activity", SeverityError, p+"/@ref", "an activity is not related to itself")
		case badIDChars(r.Ref) || strings.TrimSpace(r.Ref) != r.Ref:
			c.add("1.3.13", SeverityWarning, p+"/@ref", "%q contains white space or / & | ?", r.Ref)
		}
		if r.Type == "1" && a.Hierarchy == "1" {
			c.add("related-activity", SeverityWarning, p, "an activity with a parent is usually reported at hierarchy 2, not 1")
		}
	}
	for i, r := range a.Results {
		c.result(fmt.Sprintf("%s/result[%d]", at, i+1), r, lang)
	}
}

// location checks a location's name and its point: "latitude longitude"
// in WGS 84 (srsName EPSG:4326), each a decimal within range.
func (c *checker) location(at string, l iatiLocation, lang bool) {
	if l.Name != nil {
		c.narratives("4.3.1", at+"/name", *l.Name, lang)
	}
	if l.Point == nil {
		return
	}
	if !strings.HasSuffix(l.Point.SRS, "/EPSG/0/4326") {
		c.add("location", SeverityWarning, at+"/point/@srsName", "%q is not WGS 84 (http://www.opengis.net/def/crs/EPSG/0/4326)", l.Point.SRS)
	}
	f := strings.Fields(l.Point.Pos)
	if len(f) != 2 {
		c.add("location", SeverityError, at+"/point/pos", "%q is not a latitude and a longitude", l.Point.Pos)
		return
	}
	lat, err1 := strconv.ParseFloat(f[0], 64)
	lon, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil || !finite(lat) || !finite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		c.add("location", SeverityError, at+"/point/pos", "%q is not a latitude from -90 to 90 and a longitude from -180 to 180", l.Point.Pos)
	}
}

func (c *checker) result(at string, r iatiResult, lang bool) {
	c.code("ResultType", at+"/@type", r.Type)
	c.narratives("4.3.1", at+"/title", r.Title, lang)
	if len(r.Indicators) == 0 {
		c.add("result", SeverityError, at, "a result needs an indicator")
	}
	for i, in := range r.Indicators {
		p := fmt.Sprintf("%s/indicator[%d]", at, i+1)
		c.code("IndicatorMeasure", p+"/@measure", in.Measure)
		c.narratives("4.3.1", p+"/title", in.Title, lang)
		for j, ref := range in.References {
			c.code("IndicatorVocabulary", fmt.Sprintf("%s/reference[%d]/@vocabulary", p, j+1), ref.Vocabulary)
		}
		numeric := in.Measure == "1" || in.Measure == "2" || in.Measure == "3" || in.Measure == "4"
		value := func(rule string, path string, v *string) {
			rules := map[string][3]string{"baseline": {"8.8.1", "8.8.2", "8.8.3"}, "target": {"8.9.1", "8.9.2", "8.9.3"}, "actual": {"8.10.1", "8.10.2", "8.10.3"}}[rule]
			switch {
			case numeric && v == nil:
				c.add(rules[0], SeverityError, path, "a %s of a numeric indicator needs @value", rule)
			case numeric:
				f, err := strconv.ParseFloat(*v, 64)
				if err != nil || strings.ContainsAny(*v, "eEInfa") || math.IsNaN(f) {
					c.add(rules[1], SeverityWarning, path+"/@value", "%q should be a number", *v)
				}
			case in.Measure == "5" && v != nil:
				c.add(rules[2], SeverityWarning, path+"/@value", "a qualitative indicator gives no @value: use a comment")
			}
		}
		for j, b := range in.Baselines {
			bp := fmt.Sprintf("%s/baseline[%d]", p, j+1)
			if y, err := strconv.Atoi(b.Year); err != nil || y < 1 {
				c.add("baseline", SeverityError, bp+"/@year", "%q is not a year", b.Year)
			}
			if b.ISODate != "" {
				c.date(bp+"/@iso-date", b.ISODate)
			}
			value("baseline", bp, b.Value)
		}
		for j, pr := range in.Periods {
			pp := fmt.Sprintf("%s/period[%d]", p, j+1)
			s, ok1 := c.date(pp+"/period-start/@iso-date", pr.Start.ISODate)
			e, ok2 := c.date(pp+"/period-end/@iso-date", pr.End.ISODate)
			if ok1 && ok2 && s.After(e) {
				c.add("8.6.1", SeverityError, pp, "period starts %s, after it ends %s", s, e)
			}
			for k, t := range pr.Targets {
				value("target", fmt.Sprintf("%s/target[%d]", pp, k+1), t.Value)
			}
			for k, a := range pr.Actuals {
				value("actual", fmt.Sprintf("%s/actual[%d]", pp, k+1), a.Value)
			}
		}
	}
}
