package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

// TestLabelKeysUsedExist: every label key the renderers' code names
// literally is in the English catalogue, so no page shows a raw key.
func TestLabelKeysUsedExist(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`(?:Label|labelf)\("([^"]*[^".])"|index \$?\.T "([^"]+)"`) // not prefixes ("status." + s)
	used := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			used++
			_, ok := labels[English][key]
			assert.True(t, ok, "%s uses label %q, which the English catalogue lacks", f, key)
		}
	}
	assert.Greater(t, used, 50)
}

// TestCataloguesComplete: every language has every English key, with as
// many "{}" to fill, and English has a word for every status, state and
// built-in focus area the renderers name by prefix.
func TestCataloguesComplete(t *testing.T) {
	var keys []string
	for _, s := range []report.ProgressStatus{report.ProgressOnTrack, report.ProgressBehind, report.ProgressAhead, report.ProgressNoTarget, report.ProgressNoActual, report.ProgressCheckTarget, report.ProgressQualitative} {
		keys = append(keys, "status."+string(s))
	}
	for _, s := range report.ActivityStatuses() {
		keys = append(keys, "activity."+string(s))
	}
	for _, s := range []report.ApprovalState{report.StateDraft, report.StateSubmitted, report.StateApproved, report.StateReturned} {
		keys = append(keys, "approval."+string(s))
	}
	for _, f := range citylinks.FocusAreas() {
		keys = append(keys, "focus."+f.ID)
	}
	for _, d := range []report.Dim{report.DimProgram, report.DimFocusArea, report.DimCountry, report.DimPartnership, report.DimPeriod, report.DimYear} {
		keys = append(keys, "col."+string(d))
	}
	for _, k := range keys {
		_, ok := labels[English][k]
		assert.True(t, ok, "English lacks %q", k)
	}
	for _, l := range Languages() {
		for k, en := range labels[English] {
			s, ok := labels[l][k]
			if assert.True(t, ok, "%s lacks %q", l, k) {
				assert.Equal(t, strings.Count(en, "{}"), strings.Count(s, "{}"), "%s %q: %q against English %q", l, k, s, en)
			}
		}
		for k := range labels[l] {
			_, ok := labels[English][k]
			assert.True(t, ok, "%s has %q, which English lacks", l, k)
		}
	}
}

// TestLabelFallsBackToEnglish: a key missing from a catalogue, and every
// key of a language with none, is given in English; a key no catalogue
// has is given as it is.
func TestLabelFallsBackToEnglish(t *testing.T) {
	saved := labels[French]["map.title"]
	delete(labels[French], "map.title")
	t.Cleanup(func() { labels[French]["map.title"] = saved })
	assert.Equal(t, "Host cities and their resource partners", French.Label("map.title"))
	assert.Equal(t, "Partenariats", French.Label("partnerships"))
	assert.Equal(t, "Partnerships", Language("de").Label("partnerships"))
	assert.Equal(t, "Partnerships", Language("").Label("partnerships"))
	assert.Equal(t, "no.such.key", Spanish.Label("no.such.key"))
}

func TestParseLanguage(t *testing.T) {
	for in, want := range map[string]Language{"": English, "en": English, "FR": French, "pt-BR": Portuguese, "es_MX": Spanish, " es ": Spanish} {
		got, err := ParseLanguage(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"de", "english", "x-klingon"} {
		_, err := ParseLanguage(bad)
		assert.ErrorIs(t, err, citylinks.ErrInvalid, bad)
	}
}

func TestNumberAndMoney(t *testing.T) {
	for _, tc := range []struct {
		l    Language
		v    float64
		want string
	}{
		{English, 0, "0"}, {English, 47.5, "47.5"}, {English, 1234567.891, "1,234,567.89"}, {English, -2500, "−2,500"}, {English, 999, "999"},
		{French, 1234.5, "1\u202f234,5"}, {Spanish, 1234567, "1.234.567"}, {Portuguese, 0.25, "0,25"}, {English, 1e21, "1,000,000,000,000,000,000,000"},
		{English, 2.0 / 3, "0.67"},
	} {
		assert.Equal(t, tc.want, tc.l.Number(tc.v), "%s %v", tc.l, tc.v)
	}
	m := citylinks.Money{Amount: 4800050, Currency: "USD"}
	assert.Equal(t, "48,000.50\u00a0USD", English.Money(m))
	assert.Equal(t, "48\u202f000,50\u00a0USD", French.Money(m))
}

func TestCategories(t *testing.T) {
	d := report.Disaggregation{"sex": "female", "age-group": "15-34"}
	assert.Equal(t, "Female, aged 15-34", English.categories(d, []string{"sex", "age-group"}))
	assert.Equal(t, "Femmes, 15-34 ans", French.categories(d, []string{"sex", "age-group"}))
	assert.Equal(t, "Mujeres", Spanish.categories(report.Disaggregation{"sex": "female"}, nil))
	assert.Equal(t, "Disability: yes", English.categories(report.Disaggregation{"disability": "yes"}, nil), "an unknown dimension is named")
	assert.Equal(t, "Location type: urban", English.categories(report.Disaggregation{"location-type": "urban"}, nil))
}

// TestCSVHeadersInLanguage: the CSV header stays the column identifiers by
// default, and is the catalogue's words when a language is asked for.
func TestCSVHeadersInLanguage(t *testing.T) {
	r := &report.Report{Rollup: &report.Rollup{GroupBy: []report.Dim{report.DimPartnership}}}
	var buf strings.Builder
	require.NoError(t, CSV{}.Render(&buf, r))
	assert.Equal(t, "partnership,indicator,indicator_name,unit,baseline,target,actual,progress,status,observations,unapproved,unapproved_observations\r\n", buf.String())
	buf.Reset()
	require.NoError(t, CSV{Lang: French}.Render(&buf, r))
	assert.Equal(t, "Partenariat,Code de l'indicateur,Indicateur,Unité,Référence,Cible,Réalisé,Progression,Statut,Observations,Non encore approuvé,Observations non encore approuvées\r\n", buf.String())
	for _, h := range csvHeads {
		_, ok := labels[English][h]
		assert.True(t, ok, h)
	}
}

// TestCountWords: a count takes the singular where the language does —
// "1 partnership", and in French and Portuguese "0 partenariat" too —
// and the plural otherwise.
func TestCountWords(t *testing.T) {
	for _, tc := range []struct {
		lang Language
		n    int
		want string
	}{
		{English, 0, "0 partnerships"}, {English, 1, "1 partnership"}, {English, 2, "2 partnerships"},
		{French, 0, "0 partenariat"}, {French, 1, "1 partenariat"}, {French, 2, "2 partenariats"},
		{Spanish, 0, "0 alianzas"}, {Spanish, 1, "1 alianza"}, {Spanish, 21, "21 alianzas"},
		{Portuguese, 1, "1 parceria"}, {Portuguese, 3, "3 parcerias"},
		{"", 1, "1 partnership"},
	} {
		assert.Equal(t, tc.want, tc.lang.count(tc.n, "glance.partnerships"), "%s %d", tc.lang, tc.n)
	}
	assert.Equal(t, "1 indicateur", French.count(1, "glance.indicators"))
	assert.Equal(t, "2 indicators", English.count(2, "glance.indicators"))
}
