package report_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report/reporttest"
)

// TestParticipantParty: a participant's party is one of package
// partnership's roles, or unknown.
func TestParticipantParty(t *testing.T) {
	for _, tc := range []struct {
		name  string
		party string
		field string // "" when valid
	}{
		{"None", "", ""},
		{"Host", "host", ""},
		{"ThirdCountry", "third-country", ""},
		{"UnknownParty", "donor", "participants[3].party_role"},
		{"Case", "Host", "participants[3].party_role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := reporttest.Activities()[0]
			a.Participants[3].PartyRole = tc.party
			err := a.Validate()
			if tc.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *citylinks.ValidationError
			if assert.True(t, errors.As(err, &ve), "Validate() = %v, want a *ValidationError", err) {
				assert.Equal(t, tc.field, ve.Field)
			}
		})
	}
}
