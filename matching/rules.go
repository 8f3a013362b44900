package matching

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/citylinks/citylinks"
)

// OnDesignation returns a rule that holds when the subject's country is on
// the designation as of the subject's AsOf date, e.g. a Feed the Future focus
// country. Before the list took effect (or after it ended) no country is on
// it, and the reason says so.
func OnDesignation(d citylinks.Designation) Rule { return designationRule{d} }

type designationRule struct{ d citylinks.Designation }

func (r designationRule) Check(s Subject) Verdict {
	d := r.d
	country := countryName(s.City.Country)
	switch {
	case s.AsOf.Before(d.Effective):
		return fail("as of %s the list of %s was not yet in effect (it dates from %s)", s.AsOf, d.Name, d.Effective)
	case !d.Until.IsZero() && s.AsOf.After(d.Until):
		return fail("as of %s the list of %s no longer applied (it ended on %s)", s.AsOf, d.Name, d.Until)
	case d.Includes(s.City.Country, s.AsOf):
		return pass("%s is on the list of %s", country, d.Name)
	}
	return fail("%s is not on the list of %s", country, d.Name)
}

// IncomeGroupIn returns a rule that holds when the World Bank classified the
// subject's country in one of groups for fiscal year fy, by the shipped
// classifications (citylinks.ShippedIncome, FY1989–FY2026). A zero fy means
// the fiscal year that contains the subject's AsOf date
// (citylinks.FiscalYearOf: from 1 July 2025 to 30 June 2026 it is FY2026). A
// country with no group that year (IncomeNotClassified, or IncomeNoData when
// the World Bank has no data on it) passes only if groups lists that value.
//
// For a fiscal year the table does not hold (from 1 July 2026 on, FY2027),
// the verdict is undecided: Verdict.Missing names the year, and the reason
// says how to supply it. Use IncomeGroupFrom with a table that holds the
// year.
func IncomeGroupIn(fy citylinks.FiscalYear, groups ...citylinks.IncomeGroup) Rule {
	return IncomeGroupFrom(nil, fy, groups...)
}

// IncomeGroupFrom is IncomeGroupIn with the classifications of table t
// (nil: the shipped table), for instance the shipped one with later years
// added. The rule keeps a copy of t as it is now; later changes to t do not
// reach it.
func IncomeGroupFrom(t *citylinks.IncomeTable, fy citylinks.FiscalYear, groups ...citylinks.IncomeGroup) Rule {
	return incomeRule{snapshot(t), fy, slices.Clone(groups)}
}

// snapshot returns a table no one else can change: t itself when it is
// read-only (or nil, meaning the shipped table), else a copy.
func snapshot(t *citylinks.IncomeTable) *citylinks.IncomeTable {
	if t == nil || t.ReadOnly() {
		return t
	}
	return t.Clone()
}

type incomeRule struct {
	table  *citylinks.IncomeTable // nil: the shipped table
	fy     citylinks.FiscalYear
	groups []citylinks.IncomeGroup
}

func (r incomeRule) Check(s Subject) Verdict {
	fy := r.fy
	if fy == 0 {
		fy = citylinks.FiscalYearOf(s.AsOf)
	}
	c, err := citylinks.LookupCountry(s.City.Country)
	if err != nil {
		return fail("%q is not a known country", s.City.Country)
	}
	t := r.table
	if t == nil {
		t = citylinks.ShippedIncome()
	}
	if !t.Holds(fy) {
		return missingIncome(t, fy, c)
	}
	g := t.Group(c.Alpha3, fy)
	ok := slices.Contains(r.groups, g)
	allowed := make([]string, len(r.groups))
	for i, a := range r.groups {
		allowed[i] = incomeLabel(a)
	}
	var text string
	switch g {
	case citylinks.IncomeNoData:
		text = fmt.Sprintf("the World Bank has no income group for %s in %s", c.Name, fy)
	case citylinks.IncomeNotClassified:
		text = fmt.Sprintf("the World Bank did not classify %s by income in %s", c.Name, fy)
	default:
		text = fmt.Sprintf("the World Bank classified %s as %s in %s", c.Name, incomeLabel(g), fy)
	}
	if !ok {
		text += fmt.Sprintf(" (the rule asks for %s)", orList(allowed))
	}
	return Verdict{Eligible: ok, Reasons: []string{text}}
}

// missingIncome is the undecided verdict for a fiscal year t does not hold.
func missingIncome(t *citylinks.IncomeTable, fy citylinks.FiscalYear, c citylinks.Country) Verdict {
	m := MissingData{FiscalYear: fy}
	if years := t.FiscalYears(); len(years) > 0 {
		m.First, m.Last = years[0], years[len(years)-1]
	}
	var fixes []string
	if fy >= citylinks.FirstIncomeFiscalYear {
		fixes = append(fixes, fmt.Sprintf("supply %s with a citylinks.IncomeTable (Set or ReadCSV)", fy))
	}
	switch {
	case m.Last != 0 && fy > m.Last:
		fixes = append(fixes, fmt.Sprintf("judge as of %s or earlier", lastDay(m.Last)))
	case m.First != 0 && fy < m.First:
		fixes = append(fixes, fmt.Sprintf("judge as of %s or later", lastDay(m.First-1).AddDays(1)))
	}
	text := fmt.Sprintf("the income group of %s is not known: %s", c.Name, m)
	if len(fixes) > 0 {
		text += "; " + strings.Join(fixes, ", or ")
	}
	return Verdict{Reasons: []string{text}, Missing: []MissingData{m}}
}

// lastDay returns the last day of fiscal year fy, 30 June.
func lastDay(fy citylinks.FiscalYear) citylinks.Date {
	return citylinks.Date{Year: int(fy), Month: time.June, Day: 30}
}

func incomeLabel(g citylinks.IncomeGroup) string {
	switch g {
	case citylinks.IncomeNoData:
		return "no data"
	case citylinks.IncomeNotClassified:
		return "not classified"
	}
	return string(g) + " income"
}

// PopulationBetween returns a rule that holds when the subject city's
// population is at least min and, if max > 0, at most max. A population of
// 0 is taken as unknown and fails whenever min > 0.
func PopulationBetween(min, max int64) Rule { return populationRule{min, max} }

type populationRule struct{ min, max int64 }

func (r populationRule) Check(s Subject) Verdict {
	p, name := s.City.Population, cityLabel(s.City)
	if p <= 0 && r.min > 0 {
		return fail("the population of %s is not known (the rule asks for at least %s)", name, groupDigits(r.min))
	}
	switch {
	case p < r.min:
		return fail("%s has %s people, fewer than the minimum of %s", name, groupDigits(p), groupDigits(r.min))
	case r.max > 0 && p > r.max:
		return fail("%s has %s people, more than the maximum of %s", name, groupDigits(p), groupDigits(r.max))
	case r.max > 0 && r.min > 0:
		return pass("%s has %s people, within %s–%s", name, groupDigits(p), groupDigits(r.min), groupDigits(r.max))
	case r.max > 0:
		return pass("%s has %s people, at most %s", name, groupDigits(p), groupDigits(r.max))
	}
	return pass("%s has %s people, at least %s", name, groupDigits(p), groupDigits(r.min))
}

// OrganizationKindIn returns a rule that holds when the party that would sign
// for the subject (Subject.Party) is of one of kinds. A composite party is
// judged by its own Kind (usually KindConsortium); use LocalGovernment to
// look at its members.
func OrganizationKindIn(kinds ...citylinks.OrgKind) Rule { return kindRule(slices.Clone(kinds)) }

type kindRule []citylinks.OrgKind

func (r kindRule) Check(s Subject) Verdict {
	o := s.Party()
	text := fmt.Sprintf("%s is %s", partyLabel(s), withArticle(kindLabel(o.Kind)))
	if slices.Contains(r, o.Kind) {
		return pass("%s", text)
	}
	allowed := make([]string, len(r))
	for i, k := range r {
		allowed[i] = withArticle(kindLabel(k))
	}
	return fail("%s (the rule asks for %s)", text, orList(allowed))
}

// LocalGovernment returns a rule that holds when the party that would sign
// for the subject is a local government (a city, county, consortium of local
// governments or special district), or a composite party all of whose
// members are, like Fort Lauderdale with Broward County.
func LocalGovernment() Rule { return localGovRule{} }

type localGovRule struct{}

func (localGovRule) Check(s Subject) Verdict {
	o, name := s.Party(), partyLabel(s)
	if !o.Composite() {
		if o.Kind.LocalGovernment() {
			return pass("%s is a local government (%s)", name, kindLabel(o.Kind))
		}
		return fail("%s is %s, not a local government", name, withArticle(kindLabel(o.Kind)))
	}
	var kinds, others []string
	for _, m := range o.Members {
		if m.Kind.LocalGovernment() {
			kinds = append(kinds, kindLabel(m.Kind))
		} else {
			others = append(others, fmt.Sprintf("%s (%s)", m.Name, kindLabel(m.Kind)))
		}
	}
	if others != nil {
		return fail("%s is a composite party whose members include %s, not a local government", name, andList(others))
	}
	return pass("%s is a composite party of local governments (%s)", name, andList(slices.Compact(kinds)))
}

// InRegion returns a rule that holds when the subject's country lies in one
// of the given UN M49 areas (regions, sub-regions or intermediate regions),
// given by their three-digit codes, e.g. "002" (Africa) or "419" (Latin
// America and the Caribbean). Use ParseM49Area to turn a name into a code.
func InRegion(codes ...string) Rule { return regionRule(slices.Clone(codes)) }

type regionRule []string

func (r regionRule) Check(s Subject) Verdict {
	c, err := citylinks.LookupCountry(s.City.Country)
	if err != nil {
		return fail("%q is not a known country", s.City.Country)
	}
	areas := []citylinks.M49Area{c.Region, c.SubRegion, c.IntermediateRegion}
	for _, a := range areas {
		if a.Code != "" && slices.Contains(r, a.Code) {
			return pass("%s is in %s (UN M49 %s)", c.Name, a.Name, a.Code)
		}
	}
	wanted := make([]string, len(r))
	for i, code := range r {
		wanted[i] = fmt.Sprintf("%s (%s)", m49Names()[code], code)
	}
	if c.Region.Code == "" {
		return fail("%s has no UN M49 region (the rule asks for %s)", c.Name, orList(wanted))
	}
	where := c.Region
	if c.SubRegion.Code != "" {
		where = c.SubRegion
	}
	return fail("%s is in %s (UN M49 %s), not in %s", c.Name, where.Name, where.Code, orList(wanted))
}

// m49Names maps every M49 area code used by a country to its name.
var m49Names = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range citylinks.Countries() {
		for _, a := range []citylinks.M49Area{c.Region, c.SubRegion, c.IntermediateRegion} {
			if a.Code != "" {
				m[a.Code] = a.Name
			}
		}
	}
	return m
})

// ParseM49Area returns the three-digit code of a UN M49 area given by its
// code or its English name (case-insensitive), as the shipped country table
// has them, or an error wrapping citylinks.ErrNotFound.
func ParseM49Area(area string) (string, error) {
	key := strings.TrimSpace(area)
	for code, name := range m49Names() {
		if code == key || strings.EqualFold(name, key) {
			return code, nil
		}
	}
	return "", fmt.Errorf("matching: M49 area %q: %w", area, citylinks.ErrNotFound)
}

// NotPartnered returns a rule that holds when the subject city is not
// already on the same side of a partnership in the same focus area that is
// open on the AsOf date. Only the subject's side counts: Durban could be a
// resource for Dar es Salaam while it was itself the host of a climate
// partnership with Fort Lauderdale.
func NotPartnered() Rule { return notPartneredRule{} }

type notPartneredRule struct{}

func (notPartneredRule) Check(s Subject) Verdict {
	name := cityLabel(s.City)
	for _, p := range s.Partnerships {
		id := p.HostID
		if s.Side == SideResource {
			id = p.ResourceID
		}
		if id != s.City.ID || p.FocusArea != s.FocusArea || !p.OpenOn(s.AsOf) {
			continue
		}
		what := "an open partnership"
		if p.ID != "" {
			what = fmt.Sprintf("open partnership %s", p.ID)
		}
		since := ""
		if !p.Start.IsZero() {
			since = fmt.Sprintf(" since %s", p.Start)
		}
		return fail("%s is already the %s of %s in %s%s", name, s.Side, what, focusLabel(s.FocusArea), since)
	}
	return pass("%s has no open partnership in %s as a %s on %s", name, focusLabel(s.FocusArea), s.Side, s.AsOf)
}

func pass(format string, args ...any) Verdict {
	return Verdict{Eligible: true, Reasons: []string{fmt.Sprintf(format, args...)}}
}

func fail(format string, args ...any) Verdict {
	return Verdict{Reasons: []string{fmt.Sprintf(format, args...)}}
}

// countryName returns the English short name of a country code, or the code.
func countryName(code string) string {
	if c, err := citylinks.LookupCountry(code); err == nil && code != "" {
		return c.Name
	}
	return strconv.Quote(code)
}

// cityLabel names a city for a program officer: "Lima (Peru)".
func cityLabel(c citylinks.City) string {
	name := c.Name
	if name == "" {
		name = c.ID
	}
	if c.Country == "" {
		return name
	}
	return name + " (" + countryName(c.Country) + ")"
}

// partyLabel names the party that would sign for a subject.
func partyLabel(s Subject) string {
	if s.Organization == nil {
		return "the government of " + cityLabel(s.City)
	}
	return s.Organization.Name
}

// focusLabel names a focus area: its built-in name in lower case, or its id.
func focusLabel(id string) string {
	f, err := citylinks.LookupFocusArea(id)
	if err != nil {
		return strconv.Quote(id)
	}
	return strings.ToLower(f.Name[:1]) + f.Name[1:]
}

func kindLabel(k citylinks.OrgKind) string {
	switch k {
	case citylinks.KindConsortium:
		return "consortium of local governments"
	case citylinks.KindSpecialDistrict:
		return "special district"
	case citylinks.KindNGO:
		return "NGO"
	case citylinks.KindPrivateFirm:
		return "private firm"
	case "":
		return "organization of unknown kind"
	}
	return string(k)
}

func withArticle(s string) string {
	if strings.HasPrefix(s, "NGO") || s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) && !strings.HasPrefix(s, "uni") {
		return "an " + s
	}
	return "a " + s
}

func orList(items []string) string  { return joinList(items, "or") }
func andList(items []string) string { return joinList(items, "and") }

func joinList(items []string, conj string) string {
	switch len(items) {
	case 0:
		return "nothing"
	case 1:
		return items[0]
	case 2:
		return items[0] + " " + conj + " " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// groupDigits writes n with thousands separators: 1234567 → "1,234,567".
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
