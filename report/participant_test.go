package report_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report/reporttest"
)

// TestParticipantPartyAndLocation: a participant's party is one of
// package partnership's roles, and its location a point on the globe.
func TestParticipantPartyAndLocation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		party string
		at    *citylinks.LatLon
		field string // "" when valid
	}{
		{"None", "", nil, ""},
		{"Host", "host", &citylinks.LatLon{Lat: -29.86, Lon: 31.03}, ""},
		{"Poles", "resource", &citylinks.LatLon{Lat: 90, Lon: -180}, ""},
		{"UnknownParty", "donor", nil, "participants[3].party"},
		{"Latitude91", "host", &citylinks.LatLon{Lat: 91}, "participants[3].location"},
		{"LongitudeNaN", "host", &citylinks.LatLon{Lon: math.NaN()}, "participants[3].location"},
		{"LongitudeInf", "host", &citylinks.LatLon{Lon: math.Inf(1)}, "participants[3].location"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := reporttest.Activities()[0]
			a.Participants[3].Party, a.Participants[3].Location = tc.party, tc.at
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
	// Clone copies the locations.
	a := reporttest.Activities()[0]
	b := a.Clone()
	b.Participants[3].Location.Lat = 0
	assert.Equal(t, -29.86, a.Participants[3].Location.Lat)
}
