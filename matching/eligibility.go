package matching

import (
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

// Partnership is an existing partnership, as matching needs to know it: who
// is in it, in which focus area, and when it runs. Callers convert their own
// records (for example those of package partnership) into this value.
type Partnership struct {
	ID         string         // the caller's id, quoted in reasons
	HostID     string         // city id of the host
	ResourceID string         // city id of the resource
	FocusArea  string         // focus-area id
	Start      citylinks.Date // first day; zero if unknown (taken as started)
	End        citylinks.Date // last day; zero while open-ended
}

// OpenOn reports whether p is running on day d: it has started (or its start
// is unknown) and has not ended.
func (p Partnership) OpenOn(d citylinks.Date) bool {
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
	Partnerships []Partnership
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
type Verdict struct {
	Eligible bool
	Reasons  []string
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
	pass, fail, failed := split(a, s)
	if failed > 0 {
		return Verdict{Reasons: fail}
	}
	return Verdict{Eligible: true, Reasons: pass}
}

type anyRule []Rule

func (a anyRule) Check(s Subject) Verdict {
	if len(a) == 0 {
		return Verdict{Reasons: []string{"no alternative is allowed"}}
	}
	if len(a) == 1 {
		return a[0].Check(s)
	}
	pass, fail, failed := split(a, s)
	if failed < len(a) {
		return Verdict{Eligible: true, Reasons: pass}
	}
	return Verdict{Reasons: fail}
}

type notRule struct{ r Rule }

func (n notRule) Check(s Subject) Verdict {
	if n.r == nil {
		return Verdict{Reasons: []string{"no one is eligible"}}
	}
	v := n.r.Check(s)
	return Verdict{Eligible: !v.Eligible, Reasons: v.Reasons}
}

// split checks every rule and gathers the reasons of those that held and of
// those that failed, and counts the failures.
func split(rules []Rule, s Subject) (pass, fail []string, failed int) {
	for _, r := range rules {
		v := r.Check(s)
		if v.Eligible {
			pass = append(pass, v.Reasons...)
		} else {
			failed++
			fail = append(fail, v.Reasons...)
		}
	}
	return pass, fail, failed
}
