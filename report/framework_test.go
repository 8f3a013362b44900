package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

func climateFramework() report.Framework { return reporttest.Frameworks()[0] }

func TestFrameworkValidate(t *testing.T) {
	require.NoError(t, climateFramework().Validate())
	cases := []struct {
		name  string
		edit  func(*report.Framework)
		field string
	}{
		{"neither program nor partnership", func(f *report.Framework) { f.Program = "" }, "program"},
		{"both program and partnership", func(f *report.Framework) { f.Partnership = reporttest.Durban }, "program"},
		{"no tiers", func(f *report.Framework) { f.Template.Tiers = nil }, "template.tiers"},
		{"two levels with one id", func(f *report.Framework) { f.Levels[3].ID = "ir1" }, "levels[3].id"},
		{"a parent that is not a level", func(f *report.Framework) { f.Levels[2].Parent = "ir9" }, "levels[2].parent"},
		{"a cycle", func(f *report.Framework) { f.Levels[1].Parent = "ir1.1" }, "levels[1].parent"},
		{"a level that is its own parent", func(f *report.Framework) { f.Levels[3].Parent = "ir2" }, "levels[3].parent"},
		{"deeper than the tiers", func(f *report.Framework) {
			f.Template = report.CityLinksTemplate()
			f.Levels[2].Parent = "ir1"
			f.Levels = append(f.Levels, report.Level{ID: "x", Parent: "ir1.1", Title: "too deep"})
		}, "levels[4].parent"},
		{"an indicator at a level that does not exist", func(f *report.Framework) { f.Placed[0].Level = "ir7" }, "placed[0].level"},
		{"an indicator placed twice", func(f *report.Framework) { f.Placed[2].Indicator = "CL-CLIM-02" }, "placed[2].indicator"},
		{"a bad indicator code", func(f *report.Framework) { f.Placed[0].Indicator = "-x" }, "placed[0].indicator"},
		{"no title", func(f *report.Framework) { f.Title = "" }, "title"},
	}
	for _, tc := range cases {
		f := climateFramework()
		tc.edit(&f)
		var ve *citylinks.ValidationError
		require.ErrorAs(t, f.Validate(), &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
}

func TestFrameworkTree(t *testing.T) {
	f := climateFramework()
	for id, want := range map[string]string{"so": "Strategic Objective", "ir1": "Intermediate Result", "ir1.1": "Sub-Intermediate Result", "ir2": "Intermediate Result"} {
		got, ok := f.Tier(id)
		assert.True(t, ok, id)
		assert.Equal(t, want, got, id)
	}
	_, ok := f.Tier("nope")
	assert.False(t, ok)
	var kids []string
	for _, l := range f.Children("so") {
		kids = append(kids, l.ID)
	}
	assert.Equal(t, []string{"ir1", "ir2"}, kids)
	assert.Equal(t, []string{"so"}, []string{f.Children("")[0].ID})
	assert.Equal(t, []string{"CL-CLIM-02"}, f.IndicatorsAt("ir1.1"))
	l, ok := f.LevelOf("CL-CLIM-04")
	assert.True(t, ok)
	assert.Equal(t, "ir2", l.ID)
	_, ok = f.LevelOf("CL-WASH-01")
	assert.False(t, ok)
	assert.Equal(t, []string{"Program purpose", "Partnership objective", "Work-plan action"}, report.CityLinksTemplate().Tiers)
	assert.Len(t, report.Templates(), 2)
}

func TestDefineFramework(t *testing.T) {
	svc := newService(t)
	ctx := t.Context()
	require.ErrorIs(t, svc.DefineFramework(ctx, reporttest.Coordinator, climateFramework()), citylinks.ErrForbidden)
	undefined := climateFramework()
	undefined.Placed = append(undefined.Placed, report.Placement{Indicator: "CL-NONE", Level: "so"})
	require.ErrorIs(t, svc.DefineFramework(ctx, reporttest.Facilitator, undefined), citylinks.ErrInvalid)
	orphan := climateFramework()
	orphan.ID, orphan.Program, orphan.Partnership = "orphan", "", "CL11-NOWHERE"
	require.ErrorIs(t, svc.DefineFramework(ctx, reporttest.Facilitator, orphan), citylinks.ErrInvalid)

	require.NoError(t, svc.DefineFramework(ctx, reporttest.Facilitator, climateFramework()))
	own := reporttest.Frameworks()[1]
	require.NoError(t, svc.DefineFramework(ctx, reporttest.Facilitator, own))
	r, err := svc.BuildReport(ctx, reporttest.Coordinator, nil) // Fort Lauderdale: Durban and Legazpi, not Telavi
	require.NoError(t, err)
	require.Len(t, r.Frameworks, 1)
	assert.Equal(t, climateFramework(), r.Frameworks[0])
	r, err = svc.BuildReport(ctx, reporttest.Viewer, nil)
	require.NoError(t, err)
	require.Len(t, r.Frameworks, 2)
	assert.Equal(t, "tel", r.Frameworks[1].ID)
}

func TestStarterFramework(t *testing.T) {
	f := report.StarterFramework()
	require.NoError(t, f.Validate())
	for _, in := range report.StarterCatalogue() {
		l, ok := f.LevelOf(in.Code)
		if assert.True(t, ok, "%s is placed", in.Code) {
			tier, _ := f.Tier(l.ID)
			assert.Contains(t, []string{"Intermediate Result", "Sub-Intermediate Result"}, tier, in.Code)
		}
	}
	assert.Len(t, f.Placed, len(report.StarterCatalogue()))
}
