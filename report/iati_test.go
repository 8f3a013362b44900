package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

func TestCheckIATIIdentifier(t *testing.T) {
	for _, ok := range []string{"US-GOV-1", "XI-IATI-CITYLINKS-QUICKSTART", "US-EIN-123456789", "GB-COH-06368740"} {
		assert.NoError(t, report.CheckIATIIdentifier("ref", ok), ok)
	}
	for _, bad := range []string{"", "US GOV 1", " US-GOV-1", "US-GOV-1\n", "US/GOV-1", "US&GOV", "US|GOV", "US?GOV", "US\tGOV"} {
		var ve *citylinks.ValidationError
		require.ErrorAs(t, report.CheckIATIIdentifier("ref", bad), &ve, "%q", bad)
		assert.Equal(t, "ref", ve.Field)
	}
}

func TestActivityValidatesIATIFields(t *testing.T) {
	base := reporttest.Activities()[0]
	cases := []struct {
		name  string
		edit  func(*report.Activity)
		field string
	}{
		{"latitude out of range", func(a *report.Activity) { a.Locations[0].Lat = 91 }, "locations[0]"},
		{"longitude out of range", func(a *report.Activity) { a.Locations[0].Lon = -181 }, "locations[0]"},
		{"a location without a name", func(a *report.Activity) { a.Locations[0].Name = "" }, "locations[0].name"},
		{"a GeoNames id that is not digits", func(a *report.Activity) { a.Locations[0].GeoNames = "durban" }, "locations[0].geonames"},
		{"an unknown location role", func(a *report.Activity) { a.Locations[1].Role = "peer" }, "locations[1].role"},
		{"a relative URL", func(a *report.Activity) { a.Documents[0].URL = "/fact-sheet.pdf" }, "documents[0].url"},
		{"a javascript URL", func(a *report.Activity) { a.Documents[0].URL = "javascript:alert(1)" }, "documents[0].url"},
		{"a URL with a space", func(a *report.Activity) { a.Documents[0].URL = "https://icma.org/fact sheet" }, "documents[0].url"},
		{"a document without a title", func(a *report.Activity) { a.Documents[0].Title = "" }, "documents[0].title"},
		{"a category that is not a code", func(a *report.Activity) { a.Documents[0].Category = "fact sheet" }, "documents[0].category"},
		{"a format that is not a media type", func(a *report.Activity) { a.Documents[0].Format = "PDF" }, "documents[0].format"},
		{"a language that is not ISO 639-1", func(a *report.Activity) { a.Documents[0].Language = "English" }, "documents[0].language"},
		{"a parent with a slash", func(a *report.Activity) { a.Parent = "US-GOV-1/AID" }, "parent"},
		{"a parent with a space", func(a *report.Activity) { a.Parent = "US-GOV-1 AID" }, "parent"},
	}
	require.NoError(t, base.Validate())
	for _, tc := range cases {
		a := base.Clone()
		tc.edit(&a)
		var ve *citylinks.ValidationError
		require.ErrorAs(t, a.Validate(), &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
}
