package report

import (
	"fmt"
	"slices"
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

// Direction is the desired direction of change of an indicator.
type Direction string

// The directions.
const (
	Increase Direction = "increase" // more is better (households served)
	Decrease Direction = "decrease" // less is better (non-revenue water)
)

// Directions returns every Direction.
func Directions() []Direction { return []Direction{Increase, Decrease} }

// Valid reports whether d is one of the Directions.
func (d Direction) Valid() bool { return slices.Contains(Directions(), d) }

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
	Fractional  bool        `json:"fractional,omitempty"`
	Direction   Direction   `json:"direction"`
	Aggregation Aggregation `json:"aggregation"`
	// Dimensions are the disaggregation dimensions an observation may carry,
	// such as "sex" or "age-group".
	Dimensions []string    `json:"dimensions,omitempty"`
	FocusArea  string      `json:"focus_area"` // a citylinks focus-area id
	References []Reference `json:"references,omitempty"`
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
		return invalid("measure", "%q is not one of unit, percentage, qualitative", short(string(in.Measure)))
	}
	if !in.Direction.Valid() {
		return invalid("direction", "%q is not one of increase, decrease", short(string(in.Direction)))
	}
	if !in.Aggregation.Valid() {
		return invalid("aggregation", "%q is not one of sum, mean, latest", short(string(in.Aggregation)))
	}
	if in.Fractional && in.Measure != MeasureUnit {
		return invalid("fractional", "only unit indicators may be fractional; %s values are not counts", in.Measure)
	}
	if in.Measure == MeasurePercentage && in.Aggregation == Sum {
		return invalid("aggregation", "percentages cannot be summed: use mean or latest")
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
