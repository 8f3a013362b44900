package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

func TestResultTypeIATICode(t *testing.T) {
	for typ, want := range map[report.ResultType]string{
		report.ResultOutput: "1", report.ResultOutcome: "2", report.ResultImpact: "3",
		"": "2", // indicators stored before types existed are outcomes, as IATI always said
	} {
		assert.Equal(t, want, typ.IATICode(), "type %q", typ)
	}
	assert.Equal(t, report.ResultOutcome, report.Indicator{}.ResultType())
	assert.Equal(t, report.ResultImpact, report.Indicator{Type: report.ResultImpact}.ResultType())
}

func TestTargetFrequencyCheckPeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: day} }
	rng := func(a, b citylinks.Date) report.Period {
		p, err := report.Range(a, b)
		require.NoError(t, err)
		return p
	}
	fiscal := rng(d(2014, 10, 1), d(2015, 9, 30))
	half := rng(d(2015, 10, 1), d(2016, 3, 31))
	cases := []struct {
		f  report.TargetFrequency
		p  report.Period
		ok bool
	}{
		{report.TargetAnnual, report.Year(2015), true},
		{report.TargetAnnual, fiscal, true},
		{report.TargetAnnual, report.Quarter(2015, 1), false},
		{report.TargetAnnual, rng(d(2015, 1, 2), d(2016, 1, 1)), false},
		{report.TargetSemiAnnual, half, true},
		{report.TargetSemiAnnual, report.Year(2015), false},
		{report.TargetQuarterly, report.Quarter(2015, 4), true},
		{report.TargetQuarterly, rng(d(2015, 11, 1), d(2016, 1, 31)), true},
		{report.TargetQuarterly, report.Month(2015, 3), false},
		{report.TargetMonthly, report.Month(2016, 2), true},
		{report.TargetMonthly, rng(d(2016, 2, 1), d(2016, 2, 28)), false}, // 2016 is a leap year
		{report.TargetMonthly, report.Quarter(2016, 1), false},
		{report.TargetLifeOfProject, fiscal, true},
		{report.TargetMilestones, report.Quarter(2015, 1), true},
		{report.TargetEvent, rng(d(2015, 3, 23), d(2015, 3, 24)), true},
		{"", report.Month(2015, 1), true},
	}
	for _, tc := range cases {
		err := tc.f.CheckPeriod(tc.p)
		if tc.ok {
			assert.NoError(t, err, "%s %s", tc.f, tc.p)
		} else {
			assert.ErrorIs(t, err, citylinks.ErrInvalid, "%s %s", tc.f, tc.p)
		}
	}
}

func TestTargetFrequencyCumulative(t *testing.T) {
	for _, f := range report.TargetFrequencies() {
		assert.True(t, f.Valid())
		want := f == report.TargetLifeOfProject || f == report.TargetMilestones
		assert.Equal(t, want, f.Cumulative(), "%s", f)
	}
	assert.False(t, report.TargetFrequency("").Cumulative())
	assert.False(t, report.TargetFrequency("weekly").Valid())
}

func TestIndicatorValidateTypeAndFrequency(t *testing.T) {
	base := report.StarterCatalogue()[0]
	cases := []struct {
		name  string
		edit  func(*report.Indicator)
		field string
	}{
		{"unknown type", func(in *report.Indicator) { in.Type = "activity" }, "type"},
		{"unknown frequency", func(in *report.Indicator) { in.TargetFrequency = "weekly" }, "target_frequency"},
	}
	for _, tc := range cases {
		in := base.Clone()
		tc.edit(&in)
		var ve *citylinks.ValidationError
		require.ErrorAs(t, in.Validate(), &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
	in := base.Clone()
	in.Type, in.TargetFrequency = "", ""
	assert.NoError(t, in.Validate(), "both may be left unset")
	for _, in := range report.StarterCatalogue() {
		assert.True(t, in.Type.Valid() && in.TargetFrequency.Valid(), "starter %s sets its type and target frequency", in.Code)
	}
}

func TestValidateForTargetPeriod(t *testing.T) {
	in := report.Indicator{Code: "X-1", Name: "People trained", Unit: "people", Measure: report.MeasureUnit,
		Direction: report.Increase, Aggregation: report.Sum, FocusArea: "climate", TargetFrequency: report.TargetAnnual}
	o := report.Observation{ID: "o", Partnership: "p", Indicator: "X-1", Kind: report.KindTarget, Period: report.Quarter(2015, 1), Value: 4}
	var ve *citylinks.ValidationError
	require.ErrorAs(t, o.ValidateFor(in), &ve)
	assert.Equal(t, "period", ve.Field)
	assert.Contains(t, ve.Problem, "annual")
	o.Kind = report.KindActual // actuals are recorded per reporting period, whatever the targets
	assert.NoError(t, o.ValidateFor(in))
	o.Kind, o.Period = report.KindTarget, report.Year(2015)
	assert.NoError(t, o.ValidateFor(in))
}
