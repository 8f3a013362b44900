package hostile_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks/internal/hostile"
)

// TestFlags checks each value's flags against the rules they summarise, so
// that the tests that rely on them expect the right outcome.
func TestFlags(t *testing.T) {
	seen := map[string]bool{}
	classes := map[hostile.Class]bool{}
	for _, v := range hostile.Values() {
		assert.False(t, seen[v.Name], "%s named twice", v.Name)
		seen[v.Name] = true
		classes[v.Class] = true
		assert.True(t, utf8.ValidString(v.Text), v.Name)
		assert.NotContains(t, v.Text, "\x00", v.Name)
		control := strings.IndexFunc(v.Text, unicode.IsControl) >= 0
		id := len(v.Text) <= 200 && !control && strings.TrimSpace(v.Text) == v.Text
		assert.Equal(t, id, v.ID, "%s: ID", v.Name)
		category := len(v.Text) <= 100 && !control && strings.TrimSpace(v.Text) == v.Text && !strings.ContainsAny(v.Text, ";=")
		assert.Equal(t, category, v.Category, "%s: Category", v.Name)
		notXML := strings.IndexFunc(v.Text, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) >= 0
		assert.Equal(t, notXML, v.NotXML, "%s: NotXML", v.Name)
	}
	assert.Len(t, classes, 6, "every class of the table")
	assert.Len(t, hostile.Long(), hostile.LongLen)
	assert.True(t, utf8.ValidString(hostile.Long()))
}
