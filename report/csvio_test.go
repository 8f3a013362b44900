package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

const csvHeader = "partnership,indicator,kind,period,value,disaggregation,comment,source\n"

func TestReadObservationsCSV(t *testing.T) {
	in := csvHeader +
		"CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,training log\n" +
		"CL11-TEL-CAT,CL-MGMT-01,actual,2016,-0.5,,\"a comment\nover two lines\",x\n" +
		"CL11-TEL-CAT,CL-BASIC-01,target,2016-07-01/2017-06-30,60,,'=not a formula,\n"
	rows, err := report.ReadObservationsCSV(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, []int{2, 3, 5}, []int{rows[0].Line, rows[1].Line, rows[2].Line})
	assert.Equal(t, report.Disaggregation{"sex": "female"}, rows[0].Observation.Disaggregation)
	assert.Equal(t, -0.5, rows[1].Observation.Value)
	assert.Equal(t, "=not a formula", rows[2].Observation.Comment, "the neutralising apostrophe is removed")
	assert.Equal(t, report.PeriodRange, rows[2].Observation.Period.Kind)
}

func TestReadObservationsCSVErrors(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		lines []int
		field string
	}{
		{"empty", "", []int{1}, "header"},
		{"unknown column", "partnership,indicator,kind,period,value,colour\n", []int{1}, "header"},
		{"missing column", "partnership,indicator,kind,value\n", []int{1}, "header"},
		{"bad rows", csvHeader +
			"P,CL-X,actual,2016,1,,,\n" +
			"P,CL-X,forecast,2016,1,,,\n" +
			"P,CL-X,actual,2016-Q5,1,,,\n" +
			"P,CL-X,actual,2016,NaN,,,\n" +
			"P,CL-X,actual,2016,1,sex,,\n" +
			"P,CL-X,actual,2016,1\n", []int{3, 4, 5, 6, 7}, ""},
		{"bare quote", csvHeader + "P,CL-X,actual,2016,1,,a \"quoted\" word,\n", []int{2}, "row"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := report.ReadObservationsCSV(strings.NewReader(tc.in))
			var ie *citylinks.ImportError
			require.ErrorAs(t, err, &ie)
			require.ErrorIs(t, err, citylinks.ErrInvalid)
			var lines []int
			for _, r := range ie.Rows {
				lines = append(lines, r.Line)
			}
			assert.Equal(t, tc.lines, lines)
			if tc.field != "" {
				var ve *citylinks.ValidationError
				require.ErrorAs(t, ie.Rows[0], &ve)
				assert.Equal(t, tc.field, ve.Field)
			}
			assert.Contains(t, err.Error(), "line ")
		})
	}
}

func TestImportCSV(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	count := func() int {
		p, err := svc.Store().ListObservations(ctx, report.ObservationFilter{Partnership: reporttest.Telavi, Limit: 1000})
		require.NoError(t, err)
		return len(p.Items)
	}
	before := count()
	good := csvHeader + "CL11-TEL-CAT,CL-MGMT-01,actual,2015-Q3,7,sex=female,,training log\n"

	n, err := svc.ImportCSV(ctx, reporttest.Facilitator, strings.NewReader(good+
		"CL11-TEL-CAT,CL-NOPE,actual,2015,1,,,\n"+
		"CL11-TEL-CAT,CL-BASIC-01,actual,2015,140,,,\n"+
		"CL11-TEL-CAT,CL-MGMT-01,actual,2015,1,colour=red,,\n"))
	var ie *citylinks.ImportError
	require.ErrorAs(t, err, &ie)
	assert.Zero(t, n, "a refused import reports nothing stored")
	require.Len(t, ie.Rows, 3)
	assert.Equal(t, []int{3, 4, 5}, []int{ie.Rows[0].Line, ie.Rows[1].Line, ie.Rows[2].Line})
	assert.ErrorIs(t, ie.Rows[0], citylinks.ErrNotFound)
	assert.Equal(t, before, count(), "a bad row stores nothing")

	// A coordinator of another partnership may not import into Telavi.
	_, err = svc.ImportCSV(ctx, reporttest.Coordinator, strings.NewReader(good))
	require.ErrorIs(t, err, citylinks.ErrForbidden)

	// A locked period is reported with its line.
	_, err = svc.Submit(ctx, reporttest.Facilitator, reporttest.Telavi, report.Quarter(2015, 3))
	require.NoError(t, err)
	_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Telavi, report.Quarter(2015, 3))
	require.NoError(t, err)
	_, err = svc.ImportCSV(ctx, reporttest.Facilitator, strings.NewReader(good))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 2, ie.Rows[0].Line)
	assert.True(t, report.IsLocked(err))

	n, err = svc.ImportCSV(ctx, reporttest.Facilitator, strings.NewReader(strings.ReplaceAll(good, ",2015-Q3,", ",2015-Q4,")))
	require.NoError(t, err)
	assert.Equal(t, report.ImportSummary{Rows: 1, Added: 1}, n)
	assert.Equal(t, before+1, count())
}

// FuzzReadObservationsCSV checks two properties of the CSV reader on any
// input: every rejection names a line (>= 1, and no later than the input's
// last line), and accepted rows survive a trip through
// WriteObservationsCSV and back unchanged.
func FuzzReadObservationsCSV(f *testing.F) {
	f.Add([]byte(csvHeader + "CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,log\n"))
	f.Add([]byte("id,partnership,indicator,kind,period,value\nx,P,CL-X,target,2016-Q2,-1e3\n"))
	f.Add([]byte(csvHeader + "P,CL-X,baseline,2016-01-01/2016-06-30,0.25,age-group=15-24;sex=male,\"=1+2\",@src\n"))
	f.Add([]byte(csvHeader + "P,CL-X,actual,2016,1\n"))
	f.Add([]byte("\ufeffpartnership,indicator,kind,period,value,comment\n-P,CL-X,actual,2016-03,,'\tx\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := report.ReadObservationsCSV(bytes.NewReader(data))
		if err != nil {
			importRows(t, data, err)
			return
		}
		obs := make([]report.Observation, len(rows))
		for i, r := range rows {
			obs[i] = r.Observation
		}
		var buf bytes.Buffer
		if err := report.WriteObservationsCSV(&buf, obs); err != nil {
			t.Fatalf("write: %v", err)
		}
		back, err := report.ReadObservationsCSV(&buf)
		if err != nil {
			t.Fatalf("re-read of written CSV failed: %v\n%s", err, buf.String())
		}
		if len(back) != len(obs) {
			t.Fatalf("round trip: %d rows, want %d", len(back), len(obs))
		}
		for i := range obs {
			got := back[i].Observation
			if got.String() != obs[i].String() || got.ID != obs[i].ID || got.Value != obs[i].Value || got.Comment != obs[i].Comment ||
				got.Source != obs[i].Source || got.Reporter != obs[i].Reporter || got.Disaggregation.String() != obs[i].Disaggregation.String() {
				t.Fatalf("row %d changed in the round trip:\n got %#v\nwant %#v", i, got, obs[i])
			}
		}
	})
}
