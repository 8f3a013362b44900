package matching

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/jsondoc"
)

// Eligibility binds eligibility rules to a program's focus areas, separately
// for hosts and resources. The zero value makes everyone eligible in every
// focus area.
type Eligibility struct {
	// Every holds rules that apply in every focus area.
	Every SideRules
	// FocusAreas holds the rules of each focus area, which apply on top of
	// Every.
	FocusAreas map[string]SideRules
	// Covered lists the focus areas the program covers. Nil means any.
	Covered []string
}

// SideRules holds the rule for each side. A nil rule makes every city on that
// side eligible.
type SideRules struct {
	Host     Rule
	Resource Rule
}

func (r SideRules) of(side Side) Rule {
	if side == SideResource {
		return r.Resource
	}
	return r.Host
}

// Covers reports whether the program covers the focus area.
func (e *Eligibility) Covers(focus string) bool {
	return e == nil || e.Covered == nil || slices.Contains(e.Covered, focus)
}

// Rule returns the rule for one side in one focus area: Every's rule and the
// focus area's, both of which must hold.
func (e *Eligibility) Rule(focus string, side Side) Rule {
	if e == nil {
		return All()
	}
	return All(e.Every.of(side), e.FocusAreas[focus].of(side))
}

// Check judges a subject by the rule of its focus area and side. A focus
// area the program does not cover makes it ineligible.
func (e *Eligibility) Check(s Subject) Verdict {
	if !e.Covers(s.FocusArea) {
		return fail("the program does not cover %s", focusLabel(s.FocusArea))
	}
	v := e.Rule(s.FocusArea, s.Side).Check(s)
	if v.Undecided() {
		v.Eligible = false // a rule of your own may have set both
	}
	return v
}

// EligibilityOptions control how eligibility rules are read. The zero value
// (or nil) knows the built-in designations only.
type EligibilityOptions struct {
	// Designations are country lists that rules may name by id, besides the
	// built-in ones (citylinks.Designations) and those the document defines.
	Designations []citylinks.Designation
	// Income is the table income_group rules read, such as the shipped one
	// with later fiscal years added. Defaults to citylinks.ShippedIncome
	// (FY1989–FY2026). The rules keep a copy of it as it is when they are
	// read.
	Income *citylinks.IncomeTable
}

// ProgramEligibility reads the eligibility rules of a program from its
// Eligibility JSON, which has this form (every key optional):
//
//	{
//	  "designations": [                        // country lists of your own
//	    {"id": "capp-2015-hosts", "name": "CAPP 2015 host countries",
//	     "countries": ["IN", "JM"], "effective": "2015-01-06",
//	     "until": "2015-12-31", "sources": ["…"], "note": "…"}
//	  ],
//	  "every_focus_area": {"host": RULE, "resource": RULE},
//	  "focus_areas": {
//	    "food-security": {"host": RULE, "resource": RULE}
//	  }
//	}
//
// Where a RULE is expected, an array of rules means that all must hold. A
// rule is an object with one key:
//
//	{"designation": "ftf-focus-2010"}                     // OnDesignation
//	{"income_group": {"in": ["low", "lower-middle"],      // IncomeGroupIn;
//	                  "fiscal_year": 2014}}               // default: FY of the as-of date
//	{"population": {"min": 50000, "max": 5000000}}        // PopulationBetween; either bound optional
//	{"organization_kind": ["city", "county"]}             // OrganizationKindIn
//	{"local_government": true}                            // LocalGovernment
//	{"m49_region": ["002", "Latin America and the Caribbean"]} // InRegion, by code or name
//	{"not_partnered": true}                               // NotPartnered
//	{"all": [RULE, …]}  {"any": [RULE, …]}  {"not": RULE} // All, Any, Not
//
// Focus areas named under focus_areas must be among the program's. An
// invalid document returns a *citylinks.ValidationError whose Field is the
// JSON path of the problem, such as
// "$.eligibility.focus_areas.climate.host.any[1].designation".
func ProgramEligibility(p citylinks.Program, opts *EligibilityOptions) (*Eligibility, error) {
	e := &Eligibility{Covered: slices.Clone(p.FocusAreas)}
	if len(bytes.TrimSpace(p.Eligibility)) == 0 {
		return e, nil
	}
	root, err := jsondoc.Parse(bytes.NewReader(p.Eligibility))
	if err != nil {
		return nil, docError(prefixDoc("$.eligibility", err))
	}
	root = root.WithPath("$.eligibility")
	if err := newRuleParser(opts).eligibility(root, e); err != nil {
		return nil, docError(err)
	}
	for f := range e.FocusAreas {
		if !p.Covers(f) {
			return nil, &citylinks.ValidationError{Field: "$.eligibility.focus_areas." + f, Problem: fmt.Sprintf("%q is not one of the program's focus areas (%s)", f, strings.Join(p.FocusAreas, ", "))}
		}
	}
	return e, nil
}

// ParseEligibility reads eligibility rules in the form ProgramEligibility
// documents, from a document of their own; error paths start at "$". The
// result covers any focus area.
func ParseEligibility(r io.Reader, opts *EligibilityOptions) (*Eligibility, error) {
	root, err := jsondoc.Parse(r)
	if err != nil {
		return nil, docError(err)
	}
	e := &Eligibility{}
	if err := newRuleParser(opts).eligibility(root, e); err != nil {
		return nil, docError(err)
	}
	return e, nil
}

// LoadProgram reads a program definition (see citylinks.LoadProgramJSON)
// together with its eligibility rules (see ProgramEligibility). Errors name
// the JSON path of the problem.
func LoadProgram(r io.Reader, opts *EligibilityOptions) (citylinks.Program, *Eligibility, error) {
	p, err := citylinks.LoadProgramJSON(r)
	if err != nil {
		return citylinks.Program{}, nil, err
	}
	e, err := ProgramEligibility(p, opts)
	if err != nil {
		return citylinks.Program{}, nil, err
	}
	return p, e, nil
}

// docError turns a jsondoc error into a *citylinks.ValidationError.
func docError(err error) error {
	var de *jsondoc.Error
	if errors.As(err, &de) {
		return &citylinks.ValidationError{Field: de.Path, Problem: de.Problem}
	}
	return err
}

// prefixDoc moves a root-level jsondoc error under path.
func prefixDoc(path string, err error) error {
	var de *jsondoc.Error
	if errors.As(err, &de) {
		return &jsondoc.Error{Path: path + strings.TrimPrefix(de.Path, "$"), Problem: de.Problem}
	}
	return err
}

func docErrorf(path, format string, args ...any) error {
	return &jsondoc.Error{Path: path, Problem: fmt.Sprintf(format, args...)}
}

type ruleParser struct {
	designations map[string]citylinks.Designation
	builtin      map[string]bool
	income       *citylinks.IncomeTable // nil: the shipped table
}

func newRuleParser(opts *EligibilityOptions) *ruleParser {
	ps := &ruleParser{designations: map[string]citylinks.Designation{}, builtin: map[string]bool{}}
	if opts != nil && opts.Income != nil {
		ps.income = snapshot(opts.Income)
	}
	for _, d := range citylinks.Designations() {
		ps.designations[d.ID] = d
		ps.builtin[d.ID] = true
	}
	if opts != nil {
		for _, d := range opts.Designations {
			ps.designations[d.ID] = d
		}
	}
	return ps
}

func (ps *ruleParser) eligibility(n jsondoc.Node, e *Eligibility) error {
	o, err := n.Object()
	if err != nil {
		return err
	}
	if ds := o.Get("designations"); !ds.IsNull() {
		if err := ps.customDesignations(ds); err != nil {
			return err
		}
	}
	if ev := o.Get("every_focus_area"); !ev.IsNull() {
		if e.Every, err = ps.sides(ev); err != nil {
			return err
		}
	}
	if fa := o.Get("focus_areas"); !fa.IsNull() {
		fo, err := fa.Object()
		if err != nil {
			return err
		}
		e.FocusAreas = map[string]SideRules{}
		for _, k := range fo.Keys() {
			if !citylinks.ValidSlug(k) {
				return docErrorf(fo.Path()+"."+k, "%q is not a kebab-case focus-area id", k)
			}
			if e.FocusAreas[k], err = ps.sides(fo.Get(k)); err != nil {
				return err
			}
		}
	}
	return o.Done()
}

func (ps *ruleParser) customDesignations(n jsondoc.Node) error {
	elems, err := n.Array()
	if err != nil {
		return err
	}
	local := map[string]bool{}
	for _, el := range elems {
		o, err := el.Object()
		if err != nil {
			return err
		}
		var d citylinks.Designation
		str := func(dst *string, key string, required bool) {
			if err == nil {
				*dst, err = o.String(key, required)
			}
		}
		var effective, until string
		str(&d.ID, "id", true)
		str(&d.Name, "name", true)
		str(&d.Note, "note", false)
		str(&effective, "effective", true)
		str(&until, "until", false)
		if err != nil {
			return err
		}
		if d.Countries, err = o.Strings("countries"); err != nil {
			return err
		}
		if d.Sources, err = o.Strings("sources"); err != nil {
			return err
		}
		if err := o.Done(); err != nil {
			return err
		}
		if d.Effective, err = citylinks.ParseDate(effective); err != nil {
			return docErrorf(o.Path()+".effective", "%q is not a date of the form YYYY-MM-DD", effective)
		}
		if until != "" {
			if d.Until, err = citylinks.ParseDate(until); err != nil {
				return docErrorf(o.Path()+".until", "%q is not a date of the form YYYY-MM-DD", until)
			}
		}
		if ps.builtin[d.ID] {
			return docErrorf(o.Path()+".id", "%q is the id of a built-in designation", d.ID)
		}
		if local[d.ID] {
			return docErrorf(o.Path()+".id", "%q is defined twice", d.ID)
		}
		if d, err = citylinks.NewDesignation(d); err != nil {
			var ve *citylinks.ValidationError
			if errors.As(err, &ve) {
				return docErrorf(o.Path()+"."+ve.Field, "%s", ve.Problem)
			}
			return err
		}
		local[d.ID] = true
		ps.designations[d.ID] = d
	}
	return nil
}

func (ps *ruleParser) sides(n jsondoc.Node) (SideRules, error) {
	var s SideRules
	o, err := n.Object()
	if err != nil {
		return s, err
	}
	if h := o.Get("host"); !h.IsNull() {
		if s.Host, err = ps.rule(h); err != nil {
			return s, err
		}
	}
	if r := o.Get("resource"); !r.IsNull() {
		if s.Resource, err = ps.rule(r); err != nil {
			return s, err
		}
	}
	return s, o.Done()
}

// ruleKinds are the keys that name a rule, in the order they are documented.
var ruleKinds = []string{"designation", "income_group", "population", "organization_kind", "local_government", "m49_region", "not_partnered", "all", "any", "not"}

// rule reads a RULE: an object with one rule key, or an array of RULEs that
// must all hold.
func (ps *ruleParser) rule(n jsondoc.Node) (Rule, error) {
	if _, err := n.Array(); err == nil {
		rules, err := ps.rules(n)
		if err != nil {
			return nil, err
		}
		return All(rules...), nil
	}
	o, err := n.Object()
	if err != nil {
		return nil, docErrorf(n.Path(), "must be a rule object or an array of rules")
	}
	var kind string
	for _, k := range o.Keys() {
		if !slices.Contains(ruleKinds, k) {
			return nil, docErrorf(o.Path()+"."+k, "unknown rule; a rule is one of %s", strings.Join(ruleKinds, ", "))
		}
		if kind != "" {
			return nil, docErrorf(o.Path()+"."+k, "a rule object holds one rule, but it also has %q; combine rules with \"all\" or \"any\"", kind)
		}
		kind = k
	}
	if kind == "" {
		return nil, docErrorf(o.Path(), "names no rule; a rule is one of %s", strings.Join(ruleKinds, ", "))
	}
	v := o.Get(kind)
	switch kind {
	case "designation":
		id, err := v.String()
		if err != nil {
			return nil, err
		}
		d, ok := ps.designations[id]
		if !ok {
			return nil, docErrorf(v.Path(), "%q is not a known designation (built in: %s)", id, strings.Join(builtinDesignationIDs(), ", "))
		}
		return OnDesignation(d), nil
	case "income_group":
		return ps.incomeRule(v)
	case "population":
		return ps.populationRule(v)
	case "organization_kind":
		names, err := nonEmptyStrings(v)
		if err != nil {
			return nil, err
		}
		kinds := make([]citylinks.OrgKind, len(names))
		for i, s := range names {
			kinds[i] = citylinks.OrgKind(s)
			if !kinds[i].Valid() {
				return nil, docErrorf(fmt.Sprintf("%s[%d]", v.Path(), i), "%q is not an organization kind (%s)", s, joinKinds())
			}
		}
		return OrganizationKindIn(kinds...), nil
	case "local_government", "not_partnered":
		if b, err := v.Bool(); err != nil || !b {
			return nil, docErrorf(v.Path(), "must be true (to drop the rule, leave it out)")
		}
		if kind == "local_government" {
			return LocalGovernment(), nil
		}
		return NotPartnered(), nil
	case "m49_region":
		names, err := nonEmptyStrings(v)
		if err != nil {
			return nil, err
		}
		codes := make([]string, len(names))
		for i, s := range names {
			if codes[i], err = ParseM49Area(s); err != nil {
				return nil, docErrorf(fmt.Sprintf("%s[%d]", v.Path(), i), "%q is not a UN M49 region, sub-region or intermediate region code or name", s)
			}
		}
		return InRegion(codes...), nil
	case "all", "any":
		rules, err := ps.rules(v)
		if err != nil {
			return nil, err
		}
		if len(rules) == 0 {
			return nil, docErrorf(v.Path(), "needs at least one rule")
		}
		if kind == "all" {
			return All(rules...), nil
		}
		return Any(rules...), nil
	default: // "not"
		r, err := ps.rule(v)
		if err != nil {
			return nil, err
		}
		return Not(r), nil
	}
}

func (ps *ruleParser) rules(n jsondoc.Node) ([]Rule, error) {
	elems, err := n.Array()
	if err != nil {
		return nil, err
	}
	rules := make([]Rule, len(elems))
	for i, el := range elems {
		if rules[i], err = ps.rule(el); err != nil {
			return nil, err
		}
	}
	return rules, nil
}

func (ps *ruleParser) incomeRule(n jsondoc.Node) (Rule, error) {
	o, err := n.Object()
	if err != nil {
		return nil, err
	}
	in, err := o.Require("in")
	if err != nil {
		return nil, err
	}
	names, err := nonEmptyStrings(in)
	if err != nil {
		return nil, err
	}
	groups := make([]citylinks.IncomeGroup, len(names))
	for i, s := range names {
		groups[i] = citylinks.IncomeGroup(s)
		if !groups[i].Valid() {
			all := make([]string, 0, 6)
			for _, g := range citylinks.IncomeGroups() {
				all = append(all, string(g))
			}
			return nil, docErrorf(fmt.Sprintf("%s[%d]", in.Path(), i), "%q is not an income group (%s)", s, strings.Join(all, ", "))
		}
	}
	var fy citylinks.FiscalYear
	if f := o.Get("fiscal_year"); !f.IsNull() {
		y, err := f.Int()
		if err != nil {
			return nil, err
		}
		if y < int64(citylinks.FirstIncomeFiscalYear) || y > 9999 {
			return nil, docErrorf(f.Path(), "%d is not a fiscal year such as 2014 (FY14) from %d on, when the World Bank's income classification begins", y, int(citylinks.FirstIncomeFiscalYear))
		}
		fy = citylinks.FiscalYear(y)
	}
	return incomeRule{ps.income, fy, groups}, o.Done()
}

func (ps *ruleParser) populationRule(n jsondoc.Node) (Rule, error) {
	o, err := n.Object()
	if err != nil {
		return nil, err
	}
	var bounds [2]int64
	for i, key := range []string{"min", "max"} {
		v := o.Get(key)
		if v.IsNull() {
			continue
		}
		if bounds[i], err = v.Int(); err != nil {
			return nil, err
		}
		if bounds[i] < 0 || bounds[i] > citylinks.MaxPopulation {
			return nil, docErrorf(v.Path(), "%d is outside 0..%d", bounds[i], int64(citylinks.MaxPopulation))
		}
	}
	if err := o.Done(); err != nil {
		return nil, err
	}
	if !o.Has("min") && !o.Has("max") {
		return nil, docErrorf(o.Path(), "needs \"min\", \"max\" or both")
	}
	if o.Has("max") && bounds[1] < bounds[0] {
		return nil, docErrorf(o.Path()+".max", "%d is below min %d", bounds[1], bounds[0])
	}
	if o.Has("max") && bounds[1] == 0 {
		return nil, docErrorf(o.Path()+".max", "must be above 0")
	}
	return PopulationBetween(bounds[0], bounds[1]), nil
}

func nonEmptyStrings(n jsondoc.Node) ([]string, error) {
	s, err := n.Strings()
	if err != nil {
		return nil, err
	}
	if len(s) == 0 {
		return nil, docErrorf(n.Path(), "must list at least one value")
	}
	return s, nil
}

func builtinDesignationIDs() []string {
	var ids []string
	for _, d := range citylinks.Designations() {
		ids = append(ids, d.ID)
	}
	return ids
}

func joinKinds() string {
	var ks []string
	for _, k := range citylinks.OrgKinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}
