package report

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Kind says what an observation's value is.
type Kind string

// The kinds of observation.
const (
	KindBaseline Kind = "baseline" // the value before the partnership's work
	KindTarget   Kind = "target"   // the value planned for the period
	KindActual   Kind = "actual"   // the value achieved in the period
)

// Kinds returns every Kind.
func Kinds() []Kind { return []Kind{KindBaseline, KindTarget, KindActual} }

// Valid reports whether k is one of the Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// Disaggregation maps a dimension ("sex") to a category ("female"). An
// observation with an empty Disaggregation is a total.
//
// Roll-ups never mix totals and breakdowns: a roll-up grouped by no
// dimension uses totals only, and one grouped by the dimensions D uses only
// observations disaggregated by exactly D. So a partnership that reports
// a total and a breakdown by sex is not counted twice.
type Disaggregation map[string]string

// Keys returns the dimensions in sorted order.
func (d Disaggregation) Keys() []string { return slices.Sorted(maps.Keys(d)) }

// String returns the canonical text form "age-group=15-24;sex=female", with
// dimensions sorted; "" for a total.
func (d Disaggregation) String() string {
	var b strings.Builder
	for i, k := range d.Keys() {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(d[k])
	}
	return b.String()
}

// ParseDisaggregation parses the text form written by String. Spaces around
// names and categories are trimmed.
func ParseDisaggregation(s string) (Disaggregation, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	d := Disaggregation{}
	for part := range strings.SplitSeq(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			return nil, invalid("disaggregation", "%q is not of the form dimension=category", errtext.Clip(part))
		}
		if _, dup := d[k]; dup {
			return nil, invalid("disaggregation", "dimension %q is given twice", errtext.Clip(k))
		}
		d[k] = v
	}
	return d, d.Validate()
}

// Validate checks dimension names (kebab-case) and categories (1 to 100
// bytes, no ';', '=', control characters or surrounding space).
func (d Disaggregation) Validate() error {
	for _, k := range d.Keys() {
		if err := checkSlug("disaggregation", k); err != nil {
			return err
		}
		v := d[k]
		if v == "" || len(v) > 100 || strings.TrimSpace(v) != v || strings.ContainsAny(v, ";=") ||
			strings.IndexFunc(v, unicode.IsControl) >= 0 || strings.IndexFunc(v, func(r rune) bool { return r == unicode.ReplacementChar }) >= 0 {
			return invalid("disaggregation."+k, "%q must be 1 to 100 bytes without ';', '=', control characters or surrounding space", errtext.Clip(v))
		}
	}
	return nil
}

// Clone returns a copy of d (nil for a total).
func (d Disaggregation) Clone() Disaggregation {
	if len(d) == 0 {
		return nil
	}
	return maps.Clone(d)
}

// Observation is one baseline, target or actual value of an indicator for a
// partnership and period, with its disaggregation, source and reporter.
//
// Numeric measures carry Value; a qualitative observation carries its
// narrative in Comment and a zero Value.
//
// # Identity
//
// An observation's cell is its partnership, indicator, kind, period and
// disaggregation (Cell). Its ID is the caller's, or, when the caller gives
// none, derived from the cell (CellID), so recording the same row twice
// writes one observation, not two: the second is a no-op when nothing
// changed and a correction when the value did. Several actuals in one
// cell (two workshops in a quarter) need ids of their own; they add up. A
// cell holds at most one baseline and one target: a second one with
// another id is refused as a conflict, never added to the first.
//
// An id belongs to its partnership, and to the organization that first
// recorded it (Owner), for ever: a write that would give a stored id to
// another partnership or organization is refused.
type Observation struct {
	ID             string         `json:"id"`
	Partnership    string         `json:"partnership"`
	Indicator      string         `json:"indicator"`
	Kind           Kind           `json:"kind"`
	Period         Period         `json:"period"`
	Value          float64        `json:"value"`
	Disaggregation Disaggregation `json:"disaggregation,omitempty"`
	Comment        string         `json:"comment,omitempty"`
	Source         string         `json:"source,omitempty"`   // where the value comes from: a survey, a register
	Reporter       string         `json:"reporter,omitempty"` // who reported it (an actor id)
	// RecordedAt is when the value was recorded, in UTC. Service.Record
	// sets it.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
	// Owner is the organization of the actor who first recorded the
	// observation; a coordinator may revise only its own organization's
	// observations. Service.Record sets it.
	Owner string `json:"owner,omitempty"`
}

// Cell returns o's cell: partnership, indicator, kind, period key and
// canonical disaggregation, joined by NUL bytes (which no field holds).
func (o Observation) Cell() string {
	return o.Partnership + "\x00" + o.Indicator + "\x00" + string(o.Kind) + "\x00" + o.Period.String() + "\x00" + o.Disaggregation.String()
}

// CellID returns the id an observation recorded without one gets: "cell-"
// and the first 32 hex digits of the SHA-256 of its Cell, the same on every
// backend and in every run.
func (o Observation) CellID() string {
	sum := sha256.Sum256([]byte(o.Cell()))
	return "cell-" + hex.EncodeToString(sum[:16])
}

// IsPlan reports whether o is a baseline or a target: a plan value, of
// which a cell holds at most one, and which approval does not cover.
func (o Observation) IsPlan() bool { return o.Kind == KindBaseline || o.Kind == KindTarget }

// SameContent reports whether o and p record the same thing: every field
// but RecordedAt, Reporter and Owner is equal. Recording p over a stored o
// with the same content changes nothing.
func (o Observation) SameContent(p Observation) bool {
	return o.ID == p.ID && o.Partnership == p.Partnership && o.Indicator == p.Indicator && o.Kind == p.Kind &&
		o.Period == p.Period && o.Value == p.Value && maps.Equal(o.Disaggregation, p.Disaggregation) &&
		o.Comment == p.Comment && o.Source == p.Source
}

// Validate checks o's own fields; ValidateFor also checks it against its
// indicator.
func (o Observation) Validate() error {
	if err := checkID("id", o.ID); err != nil {
		return err
	}
	if err := checkID("partnership", o.Partnership); err != nil {
		return err
	}
	if err := checkCode("indicator", o.Indicator); err != nil {
		return err
	}
	if !o.Kind.Valid() {
		return invalid("kind", "%q is not one of baseline, target, actual", errtext.Clip(string(o.Kind)))
	}
	if err := o.Period.Validate(); err != nil {
		return err
	}
	if !finite(o.Value) || o.Value > MaxValue || o.Value < -MaxValue {
		return invalid("value", "%v is not a number from -1e12 to 1e12", o.Value)
	}
	if err := o.Disaggregation.Validate(); err != nil {
		return err
	}
	if err := checkText("comment", o.Comment, false); err != nil {
		return err
	}
	if err := checkText("source", o.Source, false); err != nil {
		return err
	}
	if o.Reporter != "" {
		if err := checkID("reporter", o.Reporter); err != nil {
			return err
		}
	}
	if o.Owner != "" {
		if err := checkID("owner", o.Owner); err != nil {
			return err
		}
	}
	return nil
}

// ValidateFor checks o and its fit with the indicator: the code matches;
// unit values are whole numbers from 0 (fractions only for a Fractional
// indicator); percentages lie in 0..100; qualitative observations carry a
// comment and no value; a target's period fits the indicator's
// TargetFrequency (TargetFrequency.CheckPeriod); and every disaggregation dimension is one of the
// indicator's.
func (o Observation) ValidateFor(in Indicator) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Indicator != in.Code {
		return invalid("indicator", "is %q, not %q", errtext.Clip(o.Indicator), in.Code)
	}
	switch in.Measure {
	case MeasureUnit:
		if o.Value < 0 {
			return invalid("value", "%v is negative: indicator %s counts %s from 0", o.Value, in.Code, unitName(in))
		}
		if !in.Fractional && o.Value != math.Trunc(o.Value) {
			return invalid("value", "%v is not a whole number: indicator %s counts whole %s (mark the indicator Fractional to record fractions)", o.Value, in.Code, unitName(in))
		}
	case MeasurePercentage:
		if o.Value < 0 || o.Value > 100 {
			return invalid("value", "%v is not a percentage from 0 to 100", o.Value)
		}
	case MeasureQualitative:
		if o.Value != 0 {
			return invalid("value", "indicator %s is qualitative: give the narrative as the comment, not a value", in.Code)
		}
		if strings.TrimSpace(o.Comment) == "" {
			return invalid("comment", "indicator %s is qualitative: the comment is required", in.Code)
		}
	}
	if o.Kind == KindTarget {
		if n := in.TargetFrequency.months(); n > 0 && in.TargetFrequency.CheckPeriod(o.Period) != nil {
			return invalid("period", "%s does not fit indicator %s, whose targets are %s: a target spans %d whole month%s, from the first day of a month",
				o.Period, in.Code, in.TargetFrequency, n, plural(n))
		}
	}
	for _, k := range o.Disaggregation.Keys() {
		if !in.HasDimension(k) {
			return invalid("disaggregation", "indicator %s has no dimension %q (it has %s)", in.Code, errtext.Clip(k), dimList(in.Dimensions))
		}
	}
	return nil
}

func unitName(in Indicator) string {
	if in.Unit == "" {
		return "units"
	}
	return in.Unit
}

func dimList(d []string) string {
	if len(d) == 0 {
		return "none"
	}
	return strings.Join(d, ", ")
}

// Clone returns a deep copy of o.
func (o Observation) Clone() Observation {
	o.Disaggregation = o.Disaggregation.Clone()
	return o
}

// Contribution is volunteer time or an in-kind (pro bono) contribution a
// party made to a partnership, as package partnership records them. The
// caller passes them to Service.RecordContributions; roll-ups then total
// hours and in-kind value next to the indicators.
type Contribution struct {
	ID           string          `json:"id"`
	Partnership  string          `json:"partnership"`
	Organization string          `json:"organization"` // the contributing party
	Date         citylinks.Date  `json:"date"`
	Hours        float64         `json:"hours"`            // volunteer hours, 0 or more
	InKind       citylinks.Money `json:"in_kind,omitzero"` // in-kind value; zero when none
	Description  string          `json:"description,omitempty"`
	// Owner is the organization of the actor who first recorded the
	// contribution; like an observation's, a contribution's id belongs to
	// its partnership and owner for ever. Service.RecordContributions sets
	// it.
	Owner string `json:"owner,omitempty"`
}

// Validate reports the first problem with c.
func (c Contribution) Validate() error {
	if err := checkID("id", c.ID); err != nil {
		return err
	}
	if err := checkID("partnership", c.Partnership); err != nil {
		return err
	}
	if err := checkID("organization", c.Organization); err != nil {
		return err
	}
	if !c.Date.Valid() {
		return invalid("date", "is required and must be a calendar date")
	}
	if !finite(c.Hours) || c.Hours < 0 || c.Hours > 1e9 {
		return invalid("hours", "%v is not a number of hours from 0 to 1e9", c.Hours)
	}
	if !c.InKind.IsZero() {
		if err := c.InKind.Validate(); err != nil {
			var ve *citylinks.ValidationError
			if ok := asValidation(err, &ve); ok {
				return invalid("in_kind."+ve.Field, "%s", ve.Problem)
			}
			return err
		}
	}
	if c.Hours == 0 && c.InKind.Amount == 0 {
		return invalid("hours", "a contribution needs hours or an in-kind value")
	}
	if c.Owner != "" {
		if err := checkID("owner", c.Owner); err != nil {
			return err
		}
	}
	return checkText("description", c.Description, false)
}

func asValidation(err error, ve **citylinks.ValidationError) bool {
	v, ok := err.(*citylinks.ValidationError)
	if ok {
		*ve = v
	}
	return ok
}

// String describes o briefly for error messages.
func (o Observation) String() string {
	var parts []string
	for _, f := range []string{o.Partnership, o.Indicator, string(o.Kind), o.Period.String()} {
		if f != "" {
			parts = append(parts, f)
		}
	}
	s := strings.Join(parts, " ")
	if len(o.Disaggregation) > 0 {
		s += " [" + o.Disaggregation.String() + "]"
	}
	return s
}
