package render_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
)

func TestIATIRefusesBadPublisherAndLanguage(t *testing.T) {
	r := fixtureReport(t)
	cases := []struct {
		name  string
		edit  func(*render.IATI)
		field string
	}{
		{"a space in the publisher", func(x *render.IATI) { x.ReportingOrg.Ref = "US EIN 000000000" }, "reporting_org.ref"},
		{"a slash in the publisher", func(x *render.IATI) { x.ReportingOrg.Ref = "US-EIN/000000000" }, "reporting_org.ref"},
		{"an ampersand in the publisher", func(x *render.IATI) { x.ReportingOrg.Ref = "A&B" }, "reporting_org.ref"},
		{"no publisher", func(x *render.IATI) { x.ReportingOrg.Ref = "" }, "reporting_org.ref"},
		{"a language that is not ISO 639-1", func(x *render.IATI) { x.Lang = "French" }, "lang"},
		{"a region in the language", func(x *render.IATI) { x.Lang = "fr-FR" }, "lang"},
	}
	for _, tc := range cases {
		x := fixtureIATI
		tc.edit(&x)
		var buf bytes.Buffer
		var ve *citylinks.ValidationError
		require.ErrorAs(t, x.Render(&buf, r), &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Zero(t, buf.Len(), "%s: nothing is written", tc.name)
	}
}

// iatiDoc is what the IATI tests read back.
type iatiDoc struct {
	Activities []struct {
		Lang         string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Hierarchy    string `xml:"hierarchy,attr"`
		Identifier   string `xml:"iati-identifier"`
		Descriptions []struct {
			Type      string `xml:"type,attr"`
			Narrative struct {
				Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
				Text string `xml:",chardata"`
			} `xml:"narrative"`
		} `xml:"description"`
		Locations []struct {
			Pos string `xml:"point>pos"`
			ID  struct {
				Code string `xml:"code,attr"`
			} `xml:"location-id"`
		} `xml:"location"`
		Documents []struct {
			URL      string `xml:"url,attr"`
			Category struct {
				Code string `xml:"code,attr"`
			} `xml:"category"`
		} `xml:"document-link"`
		Related []struct {
			Ref  string `xml:"ref,attr"`
			Type string `xml:"type,attr"`
		} `xml:"related-activity"`
		Results []struct {
			Type       string `xml:"type,attr"`
			Indicators []struct {
				Title string `xml:"title>narrative"`
			} `xml:"indicator"`
		} `xml:"result"`
	} `xml:"iati-activity"`
}

func TestIATIActivityFields(t *testing.T) {
	r := fixtureReport(t)
	var buf bytes.Buffer
	require.NoError(t, fixtureIATI.Render(&buf, r))
	var doc iatiDoc
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Activities, 3)
	dur, leg := doc.Activities[0], doc.Activities[1]

	// A real hierarchy: Durban runs under the cooperative agreement.
	assert.Equal(t, "2", dur.Hierarchy)
	require.Len(t, dur.Related, 1)
	assert.Equal(t, reporttest.LWA, dur.Related[0].Ref)
	assert.Equal(t, "1", dur.Related[0].Type, "RelatedActivityType 1: parent")
	// None: Legazpi stands alone.
	assert.Equal(t, "1", leg.Hierarchy)
	assert.Empty(t, leg.Related)

	// The host city, with its coordinates and GeoNames id; not the
	// resource city, where the activity does not take place.
	require.Len(t, r.Activities[0].Locations, 2)
	require.Len(t, dur.Locations, 1)
	assert.Equal(t, "-29.8579 31.0292", dur.Locations[0].Pos)
	assert.Equal(t, "1007311", dur.Locations[0].ID.Code)
	require.Len(t, dur.Documents, 1)
	assert.Equal(t, report.DocumentWebPage, dur.Documents[0].Category.Code)

	// The public description: the Summary, else one composed from the
	// fields — never the internal notes.
	assert.Equal(t, r.Activities[0].Summary, dur.Descriptions[0].Narrative.Text)
	for _, a := range doc.Activities {
		assert.NotContains(t, a.Descriptions[0].Narrative.Text, "Fixture notes")
	}
	assert.Equal(t, "A city-to-city partnership between City of Fort Lauderdale, FL and City Government of Legazpi, in Philippines, under CityLinks 2011–2016, on climate-related governance, from 16 June 2014 to 30 September 2015.",
		leg.Descriptions[0].Narrative.Text)

	// Result types follow the indicators' types: staff trained is an
	// output, the strategy in force an outcome.
	types := map[string]string{}
	for _, res := range leg.Results {
		for _, in := range res.Indicators {
			types[in.Title] = res.Type
		}
	}
	assert.Equal(t, map[string]string{
		"Municipal staff trained in climate adaptation (people)":                   "1",
		"Local disaster risk reduction strategy adopted and in force (strategies)": "2",
	}, types)
}

// TestIATILanguage: with Lang "fr", the activity and every narrative of its
// own text say fr, the description the renderer writes says en, and the
// file still validates and passes the rule checks.
func TestIATILanguage(t *testing.T) {
	r := fixtureReport(t)
	x := fixtureIATI
	x.Lang = "fr"
	var buf bytes.Buffer
	require.NoError(t, x.Render(&buf, r))
	var doc iatiDoc
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "fr", doc.Activities[0].Lang)
	assert.Equal(t, "fr", doc.Activities[0].Descriptions[0].Narrative.Lang, "Durban's summary is its own text")
	assert.Equal(t, "en", doc.Activities[1].Descriptions[0].Narrative.Lang, "Legazpi's description is written by the renderer")
	// Every narrative carries xml:lang.
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	narratives := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "narrative" {
			narratives++
			lang := ""
			for _, a := range se.Attr {
				if a.Name.Local == "lang" {
					lang = a.Value
				}
			}
			assert.Contains(t, []string{"fr", "en"}, lang, "narrative %d", narratives)
		}
	}
	assert.Positive(t, narratives)
	assert.Equal(t, strings.Count(buf.String(), "<narrative "), strings.Count(buf.String(), "<narrative"), "no narrative without attributes")
	problems, err := render.CheckIATI(bytes.NewReader(buf.Bytes()), reporttest.Now)
	require.NoError(t, err)
	for _, p := range problems {
		assert.NotEqual(t, render.SeverityError, p.Severity, "%s", p)
	}
	f := filepath.Join(t.TempDir(), "fr.xml")
	require.NoError(t, os.WriteFile(f, buf.Bytes(), 0o644))
	xmllint(t, f)
}
