package report

import (
	"fmt"
	"slices"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Template is a results-framework tier template: the names of a
// framework's tiers, from the top. A level's tier is its depth in the tree:
// roots sit at the first tier, their children at the second, and so on.
type Template struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Tiers []string `json:"tiers"`
}

// The tier templates' ids.
const (
	TemplateUSAID     = "usaid"
	TemplateCityLinks = "citylinks"
)

// USAIDTemplate returns the USAID results-framework template: Strategic
// Objective → Intermediate Result → Sub-Intermediate Result → Output →
// Input (the tiers of the USAID template in Mercy Corps' TolaData).
func USAIDTemplate() Template {
	return Template{ID: TemplateUSAID, Name: "USAID results framework",
		Tiers: []string{"Strategic Objective", "Intermediate Result", "Sub-Intermediate Result", "Output", "Input"}}
}

// CityLinksTemplate returns the CityLinks template, after how the program
// ran: the program's purpose (the three purposes of the 2011–2016
// cooperative agreement, such as improving climate-related governance) →
// a partnership objective of the work plan → a work-plan action item (the
// work plans set objectives and concrete action items for the exchanges).
func CityLinksTemplate() Template {
	return Template{ID: TemplateCityLinks, Name: "CityLinks partnership results",
		Tiers: []string{"Program purpose", "Partnership objective", "Work-plan action"}}
}

// Templates returns the tier templates package report ships.
func Templates() []Template { return []Template{USAIDTemplate(), CityLinksTemplate()} }

// Level is one node of a results framework.
type Level struct {
	ID string `json:"id"`
	// Parent is the id of the level above; empty for a level of the top
	// tier.
	Parent string `json:"parent,omitempty"`
	Title  string `json:"title"`
	// Assumptions are the conditions outside the partnership's control
	// on which reaching the level depends, if any.
	Assumptions string `json:"assumptions,omitempty"`
}

// Placement puts an indicator at a level of a framework.
type Placement struct {
	Indicator string `json:"indicator"` // an indicator code
	Level     string `json:"level"`     // a level id
}

// Framework is a results framework: a tree of levels for a program or for
// one partnership, with tiers from a Template, and the indicators that
// measure each level. Define it with Service.DefineFramework.
type Framework struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Program or Partnership says what the framework is for: a citylinks
	// program id, or a partnership id; exactly one is set.
	Program     string `json:"program,omitempty"`
	Partnership string `json:"partnership,omitempty"`
	// Template is the tier template; its tiers name the levels by depth.
	Template Template    `json:"template"`
	Levels   []Level     `json:"levels"`
	Placed   []Placement `json:"placed,omitempty"`
}

// Validate reports the first problem with f as a *citylinks.ValidationError:
// the ids and text, one of Program and Partnership, 1 to MaxTiers tiers,
// and a tree — level ids unique, every parent a level of f, no cycle, no
// level deeper than the tiers — with each indicator placed once, at a
// level of f. Whether the indicators are defined is the service's check.
func (f Framework) Validate() error {
	if err := checkID("id", f.ID); err != nil {
		return err
	}
	if err := checkText("title", f.Title, true); err != nil {
		return err
	}
	switch {
	case (f.Program == "") == (f.Partnership == ""):
		return invalid("program", "a framework is for one program or one partnership: set exactly one of program and partnership")
	case f.Program != "":
		if err := checkSlug("program", f.Program); err != nil {
			return err
		}
	default:
		if err := checkID("partnership", f.Partnership); err != nil {
			return err
		}
	}
	if err := checkText("template.id", f.Template.ID, true); err != nil {
		return err
	}
	if err := checkText("template.name", f.Template.Name, false); err != nil {
		return err
	}
	if len(f.Template.Tiers) == 0 || len(f.Template.Tiers) > MaxTiers {
		return invalid("template.tiers", "has %d tiers; a template has 1 to %d", len(f.Template.Tiers), MaxTiers)
	}
	for i, t := range f.Template.Tiers {
		if err := checkText(fmt.Sprintf("template.tiers[%d]", i), t, true); err != nil {
			return err
		}
	}
	index := make(map[string]int, len(f.Levels))
	for i, l := range f.Levels {
		at := fmt.Sprintf("levels[%d]", i)
		if err := checkID(at+".id", l.ID); err != nil {
			return err
		}
		if j, dup := index[l.ID]; dup {
			return invalid(at+".id", "%q is also the id of levels[%d]", errtext.Clip(l.ID), j)
		}
		index[l.ID] = i
		if err := checkText(at+".title", l.Title, true); err != nil {
			return err
		}
		if err := checkText(at+".assumptions", l.Assumptions, false); err != nil {
			return err
		}
	}
	for i, l := range f.Levels {
		if _, ok := index[l.Parent]; l.Parent != "" && !ok {
			return invalid(fmt.Sprintf("levels[%d].parent", i), "%q is not a level of the framework", errtext.Clip(l.Parent))
		}
	}
	for i, l := range f.Levels {
		at := fmt.Sprintf("levels[%d]", i)
		if l.Parent == "" {
			continue
		}
		// Walk up: a tree reaches a root within len(Levels) steps.
		depth, p := 0, l.Parent
		for p != "" {
			if p == l.ID || depth > len(f.Levels) {
				return invalid(at+".parent", "level %q is its own ancestor: the levels must form a tree", errtext.Clip(l.ID))
			}
			depth++
			p = f.Levels[index[p]].Parent
		}
		if depth >= len(f.Template.Tiers) {
			return invalid(at+".parent", "level %q sits at depth %d, below the last of the %d tiers of template %q",
				errtext.Clip(l.ID), depth+1, len(f.Template.Tiers), errtext.Clip(f.Template.ID))
		}
	}
	placed := map[string]int{}
	for i, p := range f.Placed {
		at := fmt.Sprintf("placed[%d]", i)
		if err := checkCode(at+".indicator", p.Indicator); err != nil {
			return err
		}
		if j, dup := placed[p.Indicator]; dup {
			return invalid(at+".indicator", "indicator %s is also placed by placed[%d]: an indicator sits at one level", p.Indicator, j)
		}
		placed[p.Indicator] = i
		if _, ok := index[p.Level]; !ok {
			return invalid(at+".level", "%q is not a level of the framework", errtext.Clip(p.Level))
		}
	}
	return nil
}

// Children returns the levels whose parent is id ("" for the top tier), in
// the framework's order.
func (f Framework) Children(id string) []Level {
	var out []Level
	for _, l := range f.Levels {
		if l.Parent == id {
			out = append(out, l)
		}
	}
	return out
}

// Tier returns the name of the tier of the level with the id (the template
// tier at its depth), and false when f has no such level or f is not a
// valid tree.
func (f Framework) Tier(id string) (string, bool) {
	depth := -1
	for p := id; p != ""; depth++ {
		i := slices.IndexFunc(f.Levels, func(l Level) bool { return l.ID == p })
		if i < 0 || depth >= len(f.Levels) {
			return "", false
		}
		p = f.Levels[i].Parent
	}
	if depth < 0 || depth >= len(f.Template.Tiers) {
		return "", false
	}
	return f.Template.Tiers[depth], true
}

// IndicatorsAt returns the codes of the indicators placed at the level,
// in the framework's order.
func (f Framework) IndicatorsAt(level string) []string {
	var out []string
	for _, p := range f.Placed {
		if p.Level == level {
			out = append(out, p.Indicator)
		}
	}
	return out
}

// LevelOf returns the level at which the indicator is placed, and false
// when it is not placed.
func (f Framework) LevelOf(indicator string) (Level, bool) {
	i := slices.IndexFunc(f.Placed, func(p Placement) bool { return p.Indicator == indicator })
	if i < 0 {
		return Level{}, false
	}
	j := slices.IndexFunc(f.Levels, func(l Level) bool { return l.ID == f.Placed[i].Level })
	if j < 0 {
		return Level{}, false
	}
	return f.Levels[j], true
}

// Clone returns a deep copy of f.
func (f Framework) Clone() Framework {
	f.Template.Tiers = slices.Clone(f.Template.Tiers)
	f.Levels = slices.Clone(f.Levels)
	f.Placed = slices.Clone(f.Placed)
	return f
}
