package report_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// TestLegacyFieldNames: activities stored before report schema 2, whose
// objectives had id and title and whose organizations had party, still
// load, with the values under the new names.
func TestLegacyFieldNames(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      report.Objective
	}{
		{"schema 1", `{"id": "O1", "title": "Adaptation plan", "indicators": ["CL-CLIM-01"]}`, report.Objective{Code: "O1", Text: "Adaptation plan", Indicators: []string{"CL-CLIM-01"}}},
		{"schema 2", `{"code": "O1", "text": "Adaptation plan", "indicators": ["CL-CLIM-01"]}`, report.Objective{Code: "O1", Text: "Adaptation plan", Indicators: []string{"CL-CLIM-01"}}},
		{"both: the new names win", `{"code": "O2", "id": "O1", "text": "New", "title": "Old"}`, report.Objective{Code: "O2", Text: "New"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o report.Objective
			require.NoError(t, json.Unmarshal([]byte(tc.doc), &o))
			assert.Equal(t, tc.want, o)
		})
	}
	var p report.ParticipatingOrg
	require.NoError(t, json.Unmarshal([]byte(`{"organization": "boulder", "name": "City of Boulder", "role": "implementing", "party": "resource"}`), &p))
	assert.Equal(t, report.ParticipatingOrg{Organization: "boulder", Name: "City of Boulder", Role: report.RoleImplementing, PartyRole: "resource"}, p)
	var bad report.Objective
	assert.Error(t, json.Unmarshal([]byte(`{"code": 7}`), &bad), "a field of the wrong type is still an error")
}

// TestActivityJSONRoundTrip: what an activity encodes to, it decodes from,
// unchanged.
func TestActivityJSONRoundTrip(t *testing.T) {
	for _, a := range reporttest.Activities() {
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var got report.Activity
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Empty(t, cmp.Diff(a, got), a.ID)
		assert.Contains(t, string(b), `"objectives":[{"code":`, "schema 2 names an objective's code")
		assert.NotContains(t, string(b), `"party":`, "schema 2 writes party_role")
	}
}
