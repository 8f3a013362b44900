package citylinks

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Level grades a topic in a city's profile: for a need, how deep the help
// wanted goes; for an offer, how deep the expertise goes. Levels run from
// LevelBasic to LevelAdvanced; the zero Level is invalid.
type Level int

// The levels.
const (
	LevelBasic        Level = 1 // awareness, first steps
	LevelIntermediate Level = 2 // working practice
	LevelAdvanced     Level = 3 // mature programme, able to teach others
)

// Valid reports whether l is between LevelBasic and LevelAdvanced.
func (l Level) Valid() bool { return l >= LevelBasic && l <= LevelAdvanced }

// String returns "basic", "intermediate" or "advanced".
func (l Level) String() string {
	switch l {
	case LevelBasic:
		return "basic"
	case LevelIntermediate:
		return "intermediate"
	case LevelAdvanced:
		return "advanced"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// TopicLevel is one entry of a city profile: a topic id (see Topics) and its
// level.
type TopicLevel struct {
	Topic string `json:"topic"`
	Level Level  `json:"level"`
}

// LatLon is a point in WGS 84 degrees.
type LatLon struct {
	Lat float64 `json:"lat"` // -90 to 90
	Lon float64 `json:"lon"` // -180 to 180
}

// City is a place that can host or offer a partnership. ID is the caller's
// own (a GeoNames id, a Census GEOID) or one made by NewID.
//
// Optional facts are pointers or zero values: a nil Location, Elevation or
// Coastal means the source did not give it.
type City struct {
	ID             string
	Name           string
	Country        string  // ISO 3166-1 alpha-2 code (or XK for Kosovo)
	AdminCode      string  // first-level administrative division code, e.g. "FL"
	AdminName      string  // its name, e.g. "Florida"
	Population     int64   // 0 to MaxPopulation
	PopulationYear int     // year of the population figure; 0 if unknown
	Location       *LatLon // nil if unknown
	Elevation      *int    // metres above sea level; nil if unknown
	Coastal        *bool   // on a sea coast; nil if unknown
	TimeZone       string  // IANA name, e.g. "Africa/Dar_es_Salaam"
	Languages      []string
	Needs          []TopicLevel // host side: what the city wants help with
	Offers         []TopicLevel // resource side: what it can teach
	Capacity       int          // concurrent partnerships it can take on as a resource
}

// validTimeZone reports whether s has the shape of an IANA time zone name:
// segments of letters, digits, '_', '+' and '-' separated by '/', the first
// starting with a letter ("America/Argentina/Buenos_Aires", "Etc/GMT+3").
func validTimeZone(s string) bool {
	if len(s) == 0 || len(s) > 64 || !isLetter(s[0]) {
		return false
	}
	segLen := 0
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b == '/':
			if segLen == 0 {
				return false
			}
			segLen = 0
		case isLetter(b) || isDigit(b) || b == '_' || b == '+' || b == '-':
			segLen++
		default:
			return false
		}
	}
	return segLen > 0
}

// validLanguage reports whether s has the shape of a BCP 47 language tag
// with a lower-case primary subtag: "en", "sw", "pt-BR", "zh-Hant-TW".
func validLanguage(s string) bool {
	primary, rest, _ := strings.Cut(s, "-")
	if len(primary) < 2 || len(primary) > 3 {
		return false
	}
	for i := 0; i < len(primary); i++ {
		if primary[i] < 'a' || primary[i] > 'z' {
			return false
		}
	}
	if s == primary {
		return true
	}
	for _, sub := range strings.Split(rest, "-") {
		if len(sub) < 2 || len(sub) > 8 {
			return false
		}
		for i := 0; i < len(sub); i++ {
			if !isLetter(sub[i]) && !isDigit(sub[i]) {
				return false
			}
		}
	}
	return true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isDigit(b byte) bool  { return b >= '0' && b <= '9' }

// Validate reports the first problem with c as a *ValidationError, or nil.
func (c City) Validate() error {
	if err := CheckID("id", c.ID); err != nil {
		return err
	}
	if err := CheckText("name", c.Name, true, 0); err != nil {
		return err
	}
	if _, ok := countryByAlpha2(c.Country); !ok {
		return invalid("country", "%q is not a known ISO 3166-1 alpha-2 code", errtext.Clip(c.Country))
	}
	if err := CheckText("admin_code", c.AdminCode, false, 0); err != nil {
		return err
	}
	if err := CheckText("admin_name", c.AdminName, false, 0); err != nil {
		return err
	}
	if c.Population < 0 || c.Population > MaxPopulation {
		return invalid("population", "%d is outside 0..%d", c.Population, int64(MaxPopulation))
	}
	if c.PopulationYear != 0 && (c.PopulationYear < 1800 || c.PopulationYear > 2200) {
		return invalid("population_year", "%d is outside 1800..2200", c.PopulationYear)
	}
	if c.Location != nil {
		if err := c.Location.validate("location"); err != nil {
			return err
		}
	}
	if c.Elevation != nil && (*c.Elevation < -1000 || *c.Elevation > 9000) {
		return invalid("elevation", "%d m is outside -1000..9000", *c.Elevation)
	}
	if c.TimeZone != "" && !validTimeZone(c.TimeZone) {
		return invalid("time_zone", "%q is not an IANA time zone name", errtext.Clip(c.TimeZone))
	}
	for i, l := range c.Languages {
		if !validLanguage(l) {
			return invalid(fmt.Sprintf("languages[%d]", i), "%q is not a language tag such as \"en\" or \"pt-BR\"", errtext.Clip(l))
		}
	}
	if err := validateProfile("needs", c.Needs); err != nil {
		return err
	}
	if err := validateProfile("offers", c.Offers); err != nil {
		return err
	}
	if c.Capacity < 0 || c.Capacity > MaxCapacity {
		return invalid("capacity", "%d is outside 0..%d", c.Capacity, MaxCapacity)
	}
	return nil
}

func (p LatLon) validate(field string) error {
	if math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90 {
		return invalid(field+".lat", "%v is outside -90..90", p.Lat)
	}
	if math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180 {
		return invalid(field+".lon", "%v is outside -180..180", p.Lon)
	}
	return nil
}

func validateProfile(field string, tl []TopicLevel) error {
	seen := make(map[string]bool, len(tl))
	for i, t := range tl {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := validateSlug(f+".topic", t.Topic); err != nil {
			return err
		}
		if !t.Level.Valid() {
			return invalid(f+".level", "%d is outside %d..%d", int(t.Level), int(LevelBasic), int(LevelAdvanced))
		}
		if seen[t.Topic] {
			return invalid(f+".topic", "%q is listed twice", t.Topic)
		}
		seen[t.Topic] = true
	}
	return nil
}

// Need returns the level at which c needs the topic, or 0 if it does not.
func (c City) Need(topic string) Level { return levelOf(c.Needs, topic) }

// Offer returns the level at which c offers the topic, or 0 if it does not.
func (c City) Offer(topic string) Level { return levelOf(c.Offers, topic) }

func levelOf(tl []TopicLevel, topic string) Level {
	for _, t := range tl {
		if t.Topic == topic {
			return t.Level
		}
	}
	return 0
}

// ParseProfile parses a profile written as topics separated by semicolons,
// each optionally followed by ":level" (1–3, or basic, intermediate,
// advanced), e.g. "climate-adaptation:3;stormwater". A topic without a level
// gets LevelIntermediate. The result is validated.
func ParseProfile(s string) ([]TopicLevel, error) {
	var out []TopicLevel
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for i, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		topic, lvl, hasLevel := strings.Cut(part, ":")
		tl := TopicLevel{Topic: strings.TrimSpace(topic), Level: LevelIntermediate}
		if hasLevel {
			l, err := ParseLevel(strings.TrimSpace(lvl))
			if err != nil {
				return nil, prefixField(fmt.Sprintf("[%d]", i), err)
			}
			tl.Level = l
		}
		out = append(out, tl)
	}
	if err := validateProfile("", out); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseLevel parses "1", "2", "3", "basic", "intermediate" or "advanced".
func ParseLevel(s string) (Level, error) {
	for l := LevelBasic; l <= LevelAdvanced; l++ {
		if s == l.String() || s == fmt.Sprint(int(l)) {
			return l, nil
		}
	}
	return 0, invalid("level", "%q is not 1, 2, 3, basic, intermediate or advanced", errtext.Clip(s))
}

// FormatProfile writes a profile in the form ParseProfile reads.
func FormatProfile(tl []TopicLevel) string {
	parts := make([]string, len(tl))
	for i, t := range tl {
		parts[i] = fmt.Sprintf("%s:%d", t.Topic, int(t.Level))
	}
	return strings.Join(parts, ";")
}

// Clone returns a deep copy of c, so that changes to its slices and pointers
// do not reach the original.
func (c City) Clone() City {
	c.Languages = slices.Clone(c.Languages)
	c.Needs = slices.Clone(c.Needs)
	c.Offers = slices.Clone(c.Offers)
	if c.Location != nil {
		l := *c.Location
		c.Location = &l
	}
	if c.Elevation != nil {
		e := *c.Elevation
		c.Elevation = &e
	}
	if c.Coastal != nil {
		b := *c.Coastal
		c.Coastal = &b
	}
	return c
}
