package matching

import (
	"fmt"
	"slices"

	"github.com/citylinks/citylinks"
)

// Side is the role a city would take in a partnership: the host, which asks
// for help, or the resource (peer), which gives it.
type Side string

// The sides.
const (
	SideHost     Side = "host"
	SideResource Side = "resource"
)

// AllSides returns every Side.
func AllSides() []Side { return []Side{SideHost, SideResource} }

// Valid reports whether s is SideHost or SideResource.
func (s Side) Valid() bool { return s == SideHost || s == SideResource }

// Existing is an existing partnership, as matching needs to know it: who
// is in it, in which focus area, and when it runs. Callers convert their own
// records (for example those of package partnership) into this value.
type Existing struct {
	ID         string         // the caller's id, quoted in reasons
	HostID     string         // city id of the host
	ResourceID string         // city id of the resource
	FocusArea  string         // focus-area id
	Start      citylinks.Date // first day; zero if unknown (taken as started)
	End        citylinks.Date // last day; zero while open-ended
}

// OpenOn reports whether p is running on day d: it has started (or its start
// is unknown) and has not ended.
func (p Existing) OpenOn(d citylinks.Date) bool {
	if !p.Start.IsZero() && d.Before(p.Start) {
		return false
	}
	return p.End.IsZero() || !d.After(p.End)
}

// Subject is what a Rule judges: a city that would take one side of a
// partnership in a focus area, as of a date.
type Subject struct {
	Side Side
	City citylinks.City
	// Organization is the party that would sign for the city, such as a
	// county or a composite party of a city and a county. Nil means the
	// city's own government.
	Organization *citylinks.Organization
	FocusArea    string
	AsOf         citylinks.Date
	// Partnerships holds the existing partnerships the city takes part in;
	// rules ignore those of other cities.
	Partnerships []Existing
}

// Party returns the organization that would sign for the subject: its
// Organization, or else the city's own government (a KindCity organization
// named after the city).
func (s Subject) Party() citylinks.Organization {
	if s.Organization != nil {
		return *s.Organization
	}
	return citylinks.Organization{ID: s.City.ID, Name: s.City.Name, Kind: citylinks.KindCity, Country: s.City.Country, CityID: s.City.ID}
}

// Verdict is the outcome of a Rule with the reasons for it, written for a
// program officer ("Peru is not on the list of Feed the Future focus
// countries (2010)"). Reasons state facts, so they read correctly whichever
// way the verdict went, also under Not.
//
// A rule that lacks the data to decide says so in Missing, such as the
// World Bank income classification of a fiscal year the income table does
// not hold yet. Such a verdict is undecided: not Eligible, and not a
// finding that the subject is ineligible either; its Reasons say what is
// missing. All, Any and Not keep it undecided unless the other rules decide
// without it (a rule of All that fails, or one of Any that holds).
type Verdict struct {
	Eligible bool
	Reasons  []string
	// Missing lists the data the rules needed and did not have; empty when
	// the verdict is decided. Never set together with Eligible.
	Missing []MissingData
}

// Undecided reports whether v could not be decided for lack of data.
func (v Verdict) Undecided() bool { return len(v.Missing) > 0 }

// MissingData is data a rule needed to decide and did not have: the World
// Bank income classification of a fiscal year that the rule's income table
// does not hold (see citylinks.IncomeTable.Holds). Supply the year (an
// IncomeTable with it, through EligibilityOptions.Income or IncomeGroupFrom),
// or judge as of a date in a year the table holds.
type MissingData struct {
	// FiscalYear is the fiscal year with no classification.
	FiscalYear citylinks.FiscalYear
	// First and Last are the first and last fiscal years the table holds,
	// both zero for an empty table.
	First, Last citylinks.FiscalYear
}

// String describes what is missing, e.g. "no World Bank income
// classification for FY27 (the income table ends at FY26)".
func (m MissingData) String() string {
	var held string
	switch {
	case m.Last == 0:
		held = "the income table is empty"
	case m.FiscalYear > m.Last:
		held = "the income table ends at " + m.Last.String()
	case m.FiscalYear < m.First:
		held = "the income table begins at " + m.First.String()
	default:
		held = fmt.Sprintf("the income table holds %s–%s but not this year", m.First, m.Last)
	}
	return fmt.Sprintf("no World Bank income classification for %s (%s)", m.FiscalYear, held)
}

// Rule decides whether a subject is eligible. Implementations must be safe
// for concurrent use and must not keep or change the subject.
type Rule interface {
	Check(s Subject) Verdict
}

// RuleFunc adapts a function to the Rule interface.
type RuleFunc func(s Subject) Verdict

// Check calls f(s).
func (f RuleFunc) Check(s Subject) Verdict { return f(s) }

// All returns a rule that holds when every one of rules holds. When it holds,
// the reasons of all rules are given; when it fails, only those of the rules
// that failed. Nil rules are skipped; with no rules, everyone is eligible.
func All(rules ...Rule) Rule { return allRule(compact(rules)) }

// Any returns a rule that holds when at least one of rules holds. When it
// holds, the reasons of the rules that held are given; when it fails, those
// of all rules. Nil rules are skipped; with no rules, no one is eligible.
func Any(rules ...Rule) Rule { return anyRule(compact(rules)) }

// Not returns a rule that holds when r fails, with r's reasons. Not(nil)
// makes no one eligible.
func Not(r Rule) Rule { return notRule{r} }

func compact(rules []Rule) []Rule {
	return slices.DeleteFunc(slices.Clone(rules), func(r Rule) bool { return r == nil })
}

type allRule []Rule

func (a allRule) Check(s Subject) Verdict {
	if len(a) == 0 {
		return Verdict{Eligible: true, Reasons: []string{"no eligibility rule applies"}}
	}
	if len(a) == 1 {
		return a[0].Check(s)
	}
	o := split(a, s)
	switch {
	case o.failed > 0:
		return Verdict{Reasons: o.fail}
	case len(o.missing) > 0:
		return Verdict{Reasons: o.undecided, Missing: o.missing}
	}
	return Verdict{Eligible: true, Reasons: o.pass}
}

type anyRule []Rule

func (a anyRule) Check(s Subject) Verdict {
	if len(a) == 0 {
		return Verdict{Reasons: []string{"no alternative is allowed"}}
	}
	if len(a) == 1 {
		return a[0].Check(s)
	}
	o := split(a, s)
	switch {
	case o.passed > 0:
		return Verdict{Eligible: true, Reasons: o.pass}
	case len(o.missing) > 0:
		return Verdict{Reasons: append(o.fail, o.undecided...), Missing: o.missing}
	}
	return Verdict{Reasons: o.fail}
}

type notRule struct{ r Rule }

// Check inverts a decided verdict; an undecided one stays undecided, since
// what is not known does not become true by negation.
func (n notRule) Check(s Subject) Verdict {
	if n.r == nil {
		return Verdict{Reasons: []string{"no one is eligible"}}
	}
	v := n.r.Check(s)
	if v.Undecided() {
		return v
	}
	return Verdict{Eligible: !v.Eligible, Reasons: v.Reasons}
}

// outcomes are the verdicts of several rules on one subject, by kind.
type outcomes struct {
	pass, fail, undecided []string // reasons of the rules that held, failed, could not decide
	passed, failed        int      // rules that held, and that failed (decided)
	missing               []MissingData
}

// split checks every rule and gathers the reasons of those that held, those
// that failed and those that could not decide, with what they missed.
func split(rules []Rule, s Subject) outcomes {
	var o outcomes
	for _, r := range rules {
		v := r.Check(s)
		switch {
		case v.Undecided():
			o.undecided = append(o.undecided, v.Reasons...)
			for _, m := range v.Missing {
				if !slices.Contains(o.missing, m) {
					o.missing = append(o.missing, m)
				}
			}
		case v.Eligible:
			o.passed++
			o.pass = append(o.pass, v.Reasons...)
		default:
			o.failed++
			o.fail = append(o.fail, v.Reasons...)
		}
	}
	return o
}
