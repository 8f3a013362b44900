package citylinks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func TestBuiltinPrograms(t *testing.T) {
	ps := citylinks.Programs()
	require.Len(t, ps, 3)
	for _, p := range ps {
		require.NoError(t, p.Validate(), p.ID)
		assert.NotEmpty(t, p.Sources, p.ID)
		assert.NotEmpty(t, p.Funder, p.ID)
	}
	cl, err := citylinks.LookupProgram("citylinks-2011")
	require.NoError(t, err)
	assert.Len(t, cl.Challenges, 3)
	assert.Equal(t, citylinks.Date{Year: 2011, Month: 9, Day: 29}, cl.Start)
	assert.True(t, cl.Covers(citylinks.FocusFoodSecurity))
	_, err = citylinks.LookupProgram("nope")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)

	ids := map[string]bool{}
	for _, f := range citylinks.FocusAreas() {
		ids[f.ID] = true
		assert.NotEmpty(t, f.Topics, f.ID)
	}
	for _, id := range []string{"basic-services", "economic-competitiveness", "municipal-management", "official-skills", "climate", "food-security", "water-sanitation"} {
		assert.True(t, ids[id], "focus area %s", id)
	}
	for _, id := range []string{"climate-adaptation", "disaster-risk", "stormwater", "coastal-management", "water-supply", "sanitation", "solid-waste", "public-safety", "local-economic-development", "financial-management", "performance-measurement", "citizen-participation", "strategic-planning", "food-security"} {
		tp, err := citylinks.LookupTopic(id)
		require.NoError(t, err, id)
		require.NoError(t, tp.Validate())
		for _, f := range tp.FocusAreas {
			assert.True(t, ids[f], "topic %s names unknown focus area %s", id, f)
		}
	}
}

const cappJSON = `{
  "id": "capp-2015",
  "name": "Climate Adaptation Partnership Program 2015",
  "funder": "USAID",
  "start": "2015-01-06",
  "end": "2016-09-30",
  "focus_areas": ["climate"],
  "challenges": [{"focus_area": "climate", "statement": "Adapt to a changing climate."}],
  "sources": ["https://icma.org/articles/article/citylinks-announces-new-climate-adaptation-partnership-program"],
  "eligibility": {"climate": {"host": {"income_groups": ["low", "lower-middle", "upper-middle"]}}}
}`

func TestLoadProgramJSON(t *testing.T) {
	p, err := citylinks.LoadProgramJSON(strings.NewReader(cappJSON))
	require.NoError(t, err)
	assert.Equal(t, "capp-2015", p.ID)
	assert.Equal(t, citylinks.Date{Year: 2016, Month: 9, Day: 30}, p.End)
	assert.JSONEq(t, `{"climate":{"host":{"income_groups":["low","lower-middle","upper-middle"]}}}`, string(p.Eligibility))

	// Round trip through MarshalJSON and json.Unmarshal.
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var q citylinks.Program
	require.NoError(t, json.Unmarshal(b, &q))
	assert.Equal(t, p, q)
}

func TestLoadProgramJSONErrors(t *testing.T) {
	cases := []struct {
		name, doc, field, problem string
	}{
		{"Syntax", `{"id": "x",,}`, "$", "line 1"},
		{"SyntaxLine", "{\n\"id\": \"x\",\n\"name\": }", "$", "line 3"},
		{"Truncated", `{"id": "x"`, "$", "end of document"},
		{"NotObject", `[]`, "$", "must be an object"},
		{"MissingID", `{"name": "x", "start": "2015-01-01", "focus_areas": ["climate"]}`, "$.id", "required"},
		{"WrongType", `{"id": 7, "name": "x"}`, "$.id", "must be a string"},
		{"BadSlug", `{"id": "Capp 2015", "name": "x", "start": "2015-01-01", "focus_areas": ["climate"]}`, "$.id", "kebab-case"},
		{"BadDate", `{"id": "x", "name": "x", "start": "2015-13-01", "focus_areas": ["climate"]}`, "$.start", "YYYY-MM-DD"},
		{"EndBeforeStart", `{"id": "x", "name": "x", "start": "2015-01-01", "end": "2014-01-01", "focus_areas": ["climate"]}`, "$.end", "before start"},
		{"NoFocus", `{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": []}`, "$.focus_areas", "at least one"},
		{"FocusNotString", `{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate", 3]}`, "$.focus_areas[1]", "must be a string"},
		{"FocusTwice", `{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate", "climate"]}`, "$.focus_areas[1]", "twice"},
		{"Unknown", `{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate"], "fundr": "USAID"}`, "$.fundr", "unknown field"},
		{"DuplicateKey", `{"id": "x", "id": "y"}`, "$.id", "twice"},
		{"ChallengeFocus", `{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate"], "challenges": [{"focus_area": "food-security", "statement": "s"}]}`, "$.challenges[0].focus_area", "not one of"},
		{"ChallengeUnknown", `{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate"], "challenges": [{"focus_area": "climate", "statement": "s", "x": 1}]}`, "$.challenges[0].x", "unknown field"},
		{"Trailing", `{"id": "x"} {}`, "$", "after the document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := citylinks.LoadProgramJSON(strings.NewReader(tc.doc))
			assertInvalid(t, err, tc.field)
			assert.Contains(t, err.Error(), tc.problem)
		})
	}
}
