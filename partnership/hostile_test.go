package partnership_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/hostile"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// TestHostileEventJSON encodes events with each hostile value in their
// text (a title, notes and party names; an exchange's purpose and
// participants; a contribution's description; a termination reason) and
// in the ids where ids may hold it, decodes them to the same events, and
// finds the JSON free of raw markup characters. A NUL byte is refused by
// the encoder with the field (the decoder's refusal of \u0000 is in the
// decode-error table).
func TestHostileEventJSON(t *testing.T) {
	for _, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			events := pt.Stream("p", 7, pt.D(2016, 1, 1).Time())
			if v.ID {
				for i := range events {
					events[i].Partnership = v.Text
				}
			}
			p := events[0].Data.(*partnership.Proposed)
			p.Title, p.Notes = v.Text, v.Text
			for i := range p.Parties {
				p.Parties[i].Name = v.Text
			}
			x := events[4].Data.(*partnership.ExchangeRecorded)
			x.Exchange.Purpose = v.Text
			x.Exchange.Participants[0].Name, x.Exchange.Participants[0].Title = v.Text, v.Text
			events[5].Data.(*partnership.ContributionRecorded).Contribution.Description = v.Text
			events[6].Data = &partnership.Terminated{Reason: v.Text}
			for _, e := range events {
				b, err := partnership.EncodeEvent(e)
				require.NoError(t, err, "%s", e.Kind())
				for _, c := range []string{"<", ">", "&", "\u2028"} {
					assert.False(t, bytes.Contains(b, []byte(c)), "raw %q in the %s event", c, e.Kind())
				}
				got, err := partnership.DecodeEvent(b)
				require.NoError(t, err, "%s", e.Kind())
				assert.Empty(t, cmp.Diff(e, got), "%s changed in a JSON round trip", e.Kind())
			}
		})
	}
	e := pt.Stream("p", 1, pt.D(2016, 1, 1).Time())[0]
	e.Data.(*partnership.Proposed).Title = hostile.NUL
	_, err := partnership.EncodeEvent(e)
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "data.title", ve.Field)
}
