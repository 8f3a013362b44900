package citylinks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/hostile"
)

// TestHostileProgramJSON loads a program definition with each hostile
// value in every string field, and finds it exact after a trip through
// MarshalJSON; a NUL, given as \u0000, is refused with the JSON path.
func TestHostileProgramJSON(t *testing.T) {
	for _, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			q, err := json.Marshal(v.Text)
			require.NoError(t, err)
			doc := fmt.Sprintf(`{"id":"hostile","name":%[1]s,"funder":%[1]s,"start":"2015-01-06","description":%[1]s,"notes":%[1]s,
				"focus_areas":["climate"],"challenges":[{"focus_area":"climate","statement":%[1]s}],"sources":[%[1]s],"eligibility":{"note":%[1]s}}`, q)
			p, err := citylinks.LoadProgramJSON(strings.NewReader(doc))
			require.NoError(t, err)
			for _, got := range []string{p.Name, p.Funder, p.Description, p.Notes, p.Challenges[0].Statement, p.Sources[0]} {
				assert.True(t, got == v.Text, "a field changed on loading")
			}
			var el struct{ Note string }
			require.NoError(t, json.Unmarshal(p.Eligibility, &el))
			assert.True(t, el.Note == v.Text, "the eligibility JSON changed on loading")
			b, err := json.Marshal(p)
			require.NoError(t, err)
			back, err := citylinks.LoadProgramJSON(bytes.NewReader(b))
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(p, back, cmp.Comparer(func(a, b json.RawMessage) bool { return bytes.Equal(a, b) })))
		})
	}
	_, err := citylinks.LoadProgramJSON(strings.NewReader(`{"id":"x","name":"a\u0000b","start":"2015-01-06","focus_areas":["climate"]}`))
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "$.name", ve.Field)
	assert.Contains(t, ve.Problem, "NUL")
}
