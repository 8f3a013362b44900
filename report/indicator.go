package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Measure says what an indicator's values are. It maps to the IATI
// IndicatorMeasure codelist (1 unit, 2 percentage, 5 qualitative).
type Measure string

// The measures.
const (
	MeasureUnit        Measure = "unit"        // a count or quantity, e.g. people, plans, litres
	MeasurePercentage  Measure = "percentage"  // a share from 0 to 100
	MeasureQualitative Measure = "qualitative" // a narrative, with no number
)

// Measures returns every Measure.
func Measures() []Measure { return []Measure{MeasureUnit, MeasurePercentage, MeasureQualitative} }

// Valid reports whether m is one of the Measures.
func (m Measure) Valid() bool { return slices.Contains(Measures(), m) }

// IATICode returns m's code in the IATI IndicatorMeasure codelist.
func (m Measure) IATICode() string {
	switch m {
	case MeasureUnit:
		return "1"
	case MeasurePercentage:
		return "2"
	case MeasureQualitative:
		return "5"
	}
	return ""
}

// ChangeDirection is the desired direction of change of an indicator.
type ChangeDirection string

// The directions.
const (
	Increase ChangeDirection = "increase" // more is better (households served)
	Decrease ChangeDirection = "decrease" // less is better (non-revenue water)
)

// ChangeDirections returns every ChangeDirection.
func ChangeDirections() []ChangeDirection { return []ChangeDirection{Increase, Decrease} }

// Valid reports whether d is one of the Directions.
func (d ChangeDirection) Valid() bool { return slices.Contains(ChangeDirections(), d) }

// Aggregation says how values of one indicator combine in a roll-up group.
type Aggregation string

// The aggregations.
const (
	// Sum adds the values: people reached, plans adopted in a period.
	Sum Aggregation = "sum"
	// Mean averages the values: a percentage across partnerships.
	Mean Aggregation = "mean"
	// Latest takes the values of the latest period end in the group (summed
	// for unit measures, averaged for percentages): cumulative counts and
	// stocks, such as "plans in force".
	Latest Aggregation = "latest"
)

// Aggregations returns every Aggregation.
func Aggregations() []Aggregation { return []Aggregation{Sum, Mean, Latest} }

// Valid reports whether a is one of the Aggregations.
func (a Aggregation) Valid() bool { return slices.Contains(Aggregations(), a) }

// Reference ties an indicator to a standard indicator list, such as the U.S.
// Foreign Assistance framework (IATI IndicatorVocabulary 3) or the UN SDG
// indicators (vocabulary 9). Package report writes it as the IATI
// indicator/reference.
type Reference struct {
	Vocabulary string `json:"vocabulary"`     // IATI IndicatorVocabulary code, e.g. "3"
	Code       string `json:"code"`           // the code in that vocabulary, e.g. "HL.8.1-1"
	Source     string `json:"source"`         // where the code was read: a document and its date
	URL        string `json:"url,omitempty"`  // optional link to the definition
	Note       string `json:"note,omitempty"` // e.g. how the local indicator relates to it
}

// Indicator is something a partnership measures. Codes are the caller's own;
// the starter catalogue uses the non-standard prefix "CL-" and ties an
// indicator to a standard one only through References.
type Indicator struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	Unit        string  `json:"unit,omitempty"` // e.g. "people", "%", "plans"
	Measure     Measure `json:"measure"`
	// Fractional lets a unit indicator take fractions (litres, tonnes,
	// hours); otherwise its values are whole numbers (people, plans).
	Fractional  bool            `json:"fractional,omitempty"`
	Direction   ChangeDirection `json:"direction"`
	Aggregation Aggregation     `json:"aggregation"`
	// Dimensions are the disaggregation dimensions an observation may carry,
	// such as "sex" or "age-group".
	Dimensions []string    `json:"dimensions,omitempty"`
	FocusArea  string      `json:"focus_area"` // a citylinks focus-area id
	References []Reference `json:"references,omitempty"`
	// Type is the link of the results chain the indicator measures, and
	// its IATI result type. Empty means ResultOutcome (see
	// Indicator.ResultType), as indicators stored before types existed.
	Type ResultType `json:"type,omitempty"`
	// TargetFrequency is how often targets are set, and so whether
	// progress counts cumulative actuals or those of the target's period
	// (see TargetFrequency). Empty means unspecified: each target is met
	// by the actuals within its own period, whatever its span, which is
	// how indicators stored before target frequencies were measured.
	TargetFrequency TargetFrequency `json:"target_frequency,omitempty"`
}

// Validate reports the first problem with in as a *citylinks.ValidationError.
func (in Indicator) Validate() error {
	if err := checkCode("code", in.Code); err != nil {
		return err
	}
	if err := checkText("name", in.Name, true); err != nil {
		return err
	}
	if err := checkText("description", in.Description, false); err != nil {
		return err
	}
	if err := checkText("unit", in.Unit, false); err != nil {
		return err
	}
	if !in.Measure.Valid() {
		return invalid("measure", "%q is not one of unit, percentage, qualitative", errtext.Clip(string(in.Measure)))
	}
	if !in.Direction.Valid() {
		return invalid("direction", "%q is not one of increase, decrease", errtext.Clip(string(in.Direction)))
	}
	if !in.Aggregation.Valid() {
		return invalid("aggregation", "%q is not one of sum, mean, latest", errtext.Clip(string(in.Aggregation)))
	}
	if in.Fractional && in.Measure != MeasureUnit {
		return invalid("fractional", "only unit indicators may be fractional; %s values are not counts", in.Measure)
	}
	if in.Measure == MeasurePercentage && in.Aggregation == Sum {
		return invalid("aggregation", "percentages cannot be summed: use mean or latest")
	}
	if in.Type != "" && !in.Type.Valid() {
		return invalid("type", "%q is not one of output, outcome, impact", errtext.Clip(string(in.Type)))
	}
	if in.TargetFrequency != "" && !in.TargetFrequency.Valid() {
		return invalid("target_frequency", "%q is not one of life-of-project, baseline-midline-endline, annual, semi-annual, quarterly, monthly, event",
			errtext.Clip(string(in.TargetFrequency)))
	}
	for i, d := range in.Dimensions {
		f := fmt.Sprintf("dimensions[%d]", i)
		if err := checkSlug(f, d); err != nil {
			return err
		}
		if slices.Index(in.Dimensions, d) != i {
			return invalid(f, "%q is listed twice", d)
		}
	}
	if err := checkSlug("focus_area", in.FocusArea); err != nil {
		return err
	}
	for i, r := range in.References {
		f := fmt.Sprintf("references[%d]", i)
		if err := checkCode(f+".vocabulary", r.Vocabulary); err != nil {
			return err
		}
		if err := checkID(f+".code", r.Code); err != nil {
			return err
		}
		if err := checkText(f+".source", r.Source, true); err != nil {
			return err
		}
		if err := checkText(f+".url", r.URL, false); err != nil {
			return err
		}
		if err := checkText(f+".note", r.Note, false); err != nil {
			return err
		}
	}
	return nil
}

// HasDimension reports whether in may be disaggregated by dim.
func (in Indicator) HasDimension(dim string) bool { return slices.Contains(in.Dimensions, dim) }

// Clone returns a deep copy of in.
func (in Indicator) Clone() Indicator {
	in.Dimensions = slices.Clone(in.Dimensions)
	in.References = slices.Clone(in.References)
	return in
}

// ResultType is the link of the results chain an indicator measures: what
// the partnership delivers (output), the change it brings about (outcome),
// or the lasting change it contributes to (impact). It maps to the IATI
// ResultType codelist (1 output, 2 outcome, 3 impact), which IATI writes as
// result/@type.
type ResultType string

// The result types.
const (
	ResultOutput  ResultType = "output"  // delivered by the partnership: people trained, plans drafted
	ResultOutcome ResultType = "outcome" // the change the outputs bring: households served, plans adopted
	ResultImpact  ResultType = "impact"  // the lasting change: food insecurity, health
)

// ResultTypes returns every ResultType, in IATI code order.
func ResultTypes() []ResultType { return []ResultType{ResultOutput, ResultOutcome, ResultImpact} }

// Valid reports whether t is one of the ResultTypes.
func (t ResultType) Valid() bool { return slices.Contains(ResultTypes(), t) }

// IATICode returns t's code in the IATI ResultType codelist: "1" output, "2"
// outcome, "3" impact. The zero ResultType is an outcome ("2"), as every
// indicator was before indicators had a type.
func (t ResultType) IATICode() string {
	switch t {
	case ResultOutput:
		return "1"
	case ResultImpact:
		return "3"
	}
	return "2"
}

// TargetFrequency is how often an indicator's targets are set, and with it
// how progress to target is measured (see Indicator.TargetFrequency):
//
//   - cumulative frequencies (life of project; baseline, midline and
//     endline) set a target for the state reached by a date: the actuals
//     count from the start of the partnership up to the target's end;
//   - per-period frequencies (annual, semi-annual, quarterly, monthly, and
//     event) set a target for what happens within one period: only the
//     actuals within that period count toward it.
type TargetFrequency string

// The target frequencies.
const (
	// TargetLifeOfProject is one target for the whole partnership, met
	// by the cumulative actuals to date, whatever period it is recorded on.
	TargetLifeOfProject TargetFrequency = "life-of-project"
	// TargetMilestones sets targets at a midline and an endline against a
	// baseline (typical of survey indicators); each is met by the
	// cumulative actuals up to its period's end.
	TargetMilestones TargetFrequency = "baseline-midline-endline"
	// TargetAnnual is a target per year: a calendar year, or twelve whole
	// months such as a fiscal year.
	TargetAnnual TargetFrequency = "annual"
	// TargetSemiAnnual is a target per half year: six whole months.
	TargetSemiAnnual TargetFrequency = "semi-annual"
	// TargetQuarterly is a target per quarter: a calendar quarter or three
	// whole months.
	TargetQuarterly TargetFrequency = "quarterly"
	// TargetMonthly is a target per month.
	TargetMonthly TargetFrequency = "monthly"
	// TargetEvent is a target per event (a workshop, a campaign), recorded
	// on the event's own period.
	TargetEvent TargetFrequency = "event"
)

// TargetFrequencies returns every TargetFrequency.
func TargetFrequencies() []TargetFrequency {
	return []TargetFrequency{TargetLifeOfProject, TargetMilestones, TargetAnnual, TargetSemiAnnual, TargetQuarterly, TargetMonthly, TargetEvent}
}

// Valid reports whether f is one of the TargetFrequencies.
func (f TargetFrequency) Valid() bool { return slices.Contains(TargetFrequencies(), f) }

// Cumulative reports whether targets of frequency f are met by the
// cumulative actuals from the start (life of project; baseline, midline
// and endline) rather than by the actuals within the target's period.
func (f TargetFrequency) Cumulative() bool { return f == TargetLifeOfProject || f == TargetMilestones }

// months returns the number of whole months a target period of frequency f
// spans, or 0 when f allows any period.
func (f TargetFrequency) months() int {
	switch f {
	case TargetAnnual:
		return 12
	case TargetSemiAnnual:
		return 6
	case TargetQuarterly:
		return 3
	case TargetMonthly:
		return 1
	}
	return 0
}

// CheckPeriod reports, as a *citylinks.ValidationError, whether p cannot be
// the period of a target of frequency f. Annual, semi-annual, quarterly and
// monthly targets span 12, 6, 3 or 1 whole months (a calendar year, quarter
// or month, or a range from the first day of a month to the last day of
// the last month, such as a fiscal year); the other frequencies, and the
// zero TargetFrequency, take any period.
func (f TargetFrequency) CheckPeriod(p Period) error {
	n := f.months()
	if n == 0 {
		return nil
	}
	if p.Start.Day == 1 {
		end := time.Date(p.Start.Year, p.Start.Month+time.Month(n), 0, 0, 0, 0, 0, time.UTC)
		if p.End.Year == end.Year() && p.End.Month == end.Month() && p.End.Day == end.Day() {
			return nil
		}
	}
	return invalid("period", "%s does not fit a %s target: it must span %d whole month%s, from the first day of a month", p, f, n, plural(n))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ResultType returns in's result type, ResultOutcome when unset.
func (in Indicator) ResultType() ResultType {
	if in.Type == "" {
		return ResultOutcome
	}
	return in.Type
}
