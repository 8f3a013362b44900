package matching_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

func intp(v int) *int                       { return &v }
func boolp(v bool) *bool                    { return &v }
func floatp(v float64) *float64             { return &v }
func at(lat, lon float64) *citylinks.LatLon { return &citylinks.LatLon{Lat: lat, Lon: lon} }

// shimla and boulder are the CAPP 2015 round-1 pair, with facts from
// GeoNames and needs and offers made up for the test.
func shimla() matching.Party {
	return matching.Party{City: citylinks.City{
		ID: "1256237", Name: "Shimla", Country: "IN", Population: 171_817,
		Location: at(31.10442, 77.16662), Elevation: intp(2205), TimeZone: "Asia/Kolkata",
		Languages: []string{"hi", "en-IN"},
		Needs:     []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: 2}, {Topic: "water-supply", Level: 3}, {Topic: "stormwater", Level: 1}},
	}}
}

func boulder() matching.Party {
	return matching.Party{City: citylinks.City{
		ID: "5574991", Name: "Boulder", Country: "US", Population: 108_250,
		Location: at(40.01499, -105.27055), Elevation: intp(1624), TimeZone: "America/Denver",
		Languages: []string{"en"},
		Offers:    []citylinks.TopicLevel{{Topic: "climate-adaptation", Level: 3}, {Topic: "water-supply", Level: 1}},
		Capacity:  1,
	}}
}

func TestDefaultWeights(t *testing.T) {
	w := matching.DefaultWeights()
	require.NoError(t, w.Validate())
	sum := 0.0
	for _, c := range matching.Criteria() {
		assert.True(t, c.Valid())
		assert.Greater(t, w.Of(c), 0.0, c)
		sum += w.Of(c)
	}
	assert.InDelta(t, 1.0, sum, 1e-12)
	assert.False(t, matching.Criterion("beauty").Valid())
	assert.Zero(t, w.Of("beauty"))
	// The ICMA criteria outweigh the ones the sources do not name.
	assert.Greater(t, w.TopicFit, w.ClimateTopography)
	assert.Greater(t, w.ClimateTopography, w.Population)
	assert.Greater(t, w.Population, w.TimeZone+w.Language+w.Distance)
}

func TestWeightsValidate(t *testing.T) {
	cases := []struct {
		name  string
		w     matching.Weights
		field string
	}{
		{"Zero", matching.Weights{}, "weights"},
		{"Negative", matching.Weights{TopicFit: 1, Language: -0.1}, "weights.language"},
		{"NaN", matching.Weights{TopicFit: math.NaN()}, "weights.topic-fit"},
		{"Inf", matching.Weights{Distance: math.Inf(1)}, "weights.distance"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w.Validate()
			assertField(t, err, tc.field)
			_, err = matching.ScorePair(shimla(), boulder(), day(2015, 3, 23), &tc.w)
			assertField(t, err, tc.field)
		})
	}
	require.NoError(t, matching.Weights{Commitment: 2}.Validate())
}

func TestWeightsSet(t *testing.T) {
	var w matching.Weights
	for i, c := range matching.Criteria() {
		require.NoError(t, w.Set(c, float64(i+1)))
	}
	for i, c := range matching.Criteria() {
		assert.Equal(t, float64(i+1), w.Of(c), c)
	}
	assertField(t, w.Set("beauty", 1), "weights")
}

func assertField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
}

func TestScorePairShimlaBoulder(t *testing.T) {
	b, err := matching.ScorePair(shimla(), boulder(), day(2015, time.March, 23), nil)
	require.NoError(t, err)
	get := func(c matching.Criterion) matching.CriterionScore {
		cs, ok := b.Criterion(c)
		require.True(t, ok, c)
		return cs
	}
	// Topic fit: min(3,2) + min(1,3) + 0 over 2+3+1.
	tf := get(matching.CriterionTopicFit)
	assert.True(t, tf.Known)
	assert.InDelta(t, 3.0/6, tf.Similarity, 1e-12)
	assert.Equal(t, "climate-adaptation needed at intermediate, offered at advanced; water-supply needed at advanced, offered only at basic; stormwater (needed at basic) is not offered", tf.Detail)
	// Climate: latitude 31.1 vs 40.0, elevation 2205 vs 1624, coast unknown.
	cl := get(matching.CriterionClimate)
	wantLat := 1 - (40.01499-31.10442)/45.0
	wantElev := 1 - (2205.0-1624)/2000.0
	assert.InDelta(t, (wantLat+wantElev)/2, cl.Similarity, 1e-12)
	assert.Equal(t, "latitude 31.1° vs 40.0° from the equator; elevation 2205 m vs 1624 m; coast unknown", cl.Detail)
	pop := get(matching.CriterionPopulation)
	assert.InDelta(t, 1-math.Log10(171_817.0/108_250)/2, pop.Similarity, 1e-12)
	assert.Equal(t, "171,817 vs 108,250 people (1.6×)", pop.Detail)
	// Kolkata is UTC+5:30, Denver UTC−6:00 on 23 March (daylight time):
	// 11.5 hours apart, no overlap.
	tz := get(matching.CriterionTimeZone)
	assert.True(t, tz.Known)
	assert.Zero(t, tz.Similarity)
	assert.Equal(t, "UTC+5:30 (Asia/Kolkata) vs UTC−6 (America/Denver): 0.0 h of the working day overlap", tz.Detail)
	lang := get(matching.CriterionLanguage)
	assert.Equal(t, 1.0, lang.Similarity, "en-IN and en share the primary subtag")
	com := get(matching.CriterionCommitment)
	assert.False(t, com.Known)
	assert.Equal(t, "host not given, resource not given", com.Detail)
	dist := get(matching.CriterionDistance)
	assert.Equal(t, "12,103 km apart", dist.Detail)
	assert.InDelta(t, 1-12102.992386935468/(math.Pi*6371.0088), dist.Similarity, 1e-9)

	// The score is the weighted mean over the known criteria and the sum of
	// the points.
	w := matching.DefaultWeights()
	num, den, points := 0.0, 0.0, 0.0
	for _, cs := range b.Criteria {
		assert.Equal(t, w.Of(cs.Criterion), cs.Weight)
		points += cs.Points
		if cs.Known {
			num += cs.Weight * cs.Similarity
			den += cs.Weight
		} else {
			assert.Zero(t, cs.Points)
		}
	}
	assert.InDelta(t, num/den, b.Score, 1e-12)
	assert.InDelta(t, b.Score, points, 1e-12)
	assert.Len(t, b.Criteria, len(matching.Criteria()))
}

func TestScorePairCriteria(t *testing.T) {
	base := func() (matching.Party, matching.Party) {
		h := matching.Party{City: citylinks.City{ID: "h", Name: "H", Country: "KE", Needs: []citylinks.TopicLevel{{Topic: "sanitation", Level: 2}}}}
		r := matching.Party{City: citylinks.City{ID: "r", Name: "R", Country: "US", Offers: []citylinks.TopicLevel{{Topic: "sanitation", Level: 1}}}}
		return h, r
	}
	sim := func(t *testing.T, h, r matching.Party, asOf citylinks.Date, c matching.Criterion) matching.CriterionScore {
		t.Helper()
		b, err := matching.ScorePair(h, r, asOf, nil)
		require.NoError(t, err)
		cs, _ := b.Criterion(c)
		return cs
	}
	jan, jul := day(2015, 1, 15), day(2015, 7, 15)
	t.Run("TopicPartial", func(t *testing.T) {
		h, r := base()
		cs := sim(t, h, r, jan, matching.CriterionTopicFit)
		assert.Equal(t, 0.5, cs.Similarity)
	})
	t.Run("TopicUnknownWithoutNeeds", func(t *testing.T) {
		h, r := base()
		h.City.Needs = nil
		cs := sim(t, h, r, jan, matching.CriterionTopicFit)
		assert.False(t, cs.Known)
		assert.Equal(t, "H lists no needs", cs.Detail)
	})
	t.Run("TopicZeroWithoutOffers", func(t *testing.T) {
		h, r := base()
		r.City.Offers = nil
		cs := sim(t, h, r, jan, matching.CriterionTopicFit)
		assert.True(t, cs.Known)
		assert.Zero(t, cs.Similarity)
	})
	t.Run("Coast", func(t *testing.T) {
		h, r := base()
		h.City.Coastal, r.City.Coastal = boolp(true), boolp(false)
		cs := sim(t, h, r, jan, matching.CriterionClimate)
		assert.True(t, cs.Known)
		assert.Zero(t, cs.Similarity)
		assert.Equal(t, "latitude unknown; elevation unknown; coastal: yes vs no", cs.Detail)
		r.City.Coastal = boolp(true)
		assert.Equal(t, 1.0, sim(t, h, r, jan, matching.CriterionClimate).Similarity)
		r.City.Coastal = nil
		assert.False(t, sim(t, h, r, jan, matching.CriterionClimate).Known)
	})
	t.Run("LatitudeClipped", func(t *testing.T) {
		h, r := base()
		h.City.Location, r.City.Location = at(-1, 36.8), at(64.8, -147.7)
		assert.Zero(t, sim(t, h, r, jan, matching.CriterionClimate).Similarity)
	})
	t.Run("PopulationDecades", func(t *testing.T) {
		h, r := base()
		h.City.Population, r.City.Population = 1_000_000, 100_000
		assert.InDelta(t, 0.5, sim(t, h, r, jan, matching.CriterionPopulation).Similarity, 1e-12)
		r.City.Population = 10_000
		assert.Zero(t, sim(t, h, r, jan, matching.CriterionPopulation).Similarity)
		r.City.Population = 1
		assert.Zero(t, sim(t, h, r, jan, matching.CriterionPopulation).Similarity)
		r.City.Population = 0
		assert.False(t, sim(t, h, r, jan, matching.CriterionPopulation).Known)
	})
	t.Run("TimeZoneDaylightSaving", func(t *testing.T) {
		h, r := base()
		h.City.TimeZone, r.City.TimeZone = "Africa/Johannesburg", "America/New_York"
		assert.InDelta(t, 1.0/8, sim(t, h, r, jan, matching.CriterionTimeZone).Similarity, 1e-12, "UTC+2 vs UTC−5")
		assert.InDelta(t, 2.0/8, sim(t, h, r, jul, matching.CriterionTimeZone).Similarity, 1e-12, "UTC+2 vs UTC−4")
		r.City.TimeZone = "Africa/Johannesburg"
		assert.Equal(t, 1.0, sim(t, h, r, jan, matching.CriterionTimeZone).Similarity)
	})
	t.Run("TimeZoneWrapsAroundTheDateLine", func(t *testing.T) {
		h, r := base()
		h.City.TimeZone, r.City.TimeZone = "Pacific/Auckland", "Pacific/Honolulu" // UTC+13 vs UTC−10 in January: 1 h apart
		assert.InDelta(t, 7.0/8, sim(t, h, r, jan, matching.CriterionTimeZone).Similarity, 1e-12)
	})
	t.Run("TimeZoneFromLongitude", func(t *testing.T) {
		h, r := base()
		h.City.TimeZone, h.City.Location = "", at(0, 37.5) // UTC+2:30 by the sun
		r.City.TimeZone = "Not/AZone"
		r.City.Location = at(0, -75) // UTC−5 by the sun
		cs := sim(t, h, r, jan, matching.CriterionTimeZone)
		assert.InDelta(t, 0.5/8, cs.Similarity, 1e-12)
		assert.Equal(t, "UTC+2:30 (estimated from longitude) vs UTC−5 (estimated from longitude): 0.5 h of the working day overlap", cs.Detail)
		r.City.Location = nil
		assert.False(t, sim(t, h, r, jan, matching.CriterionTimeZone).Known)
	})
	t.Run("Language", func(t *testing.T) {
		h, r := base()
		h.City.Languages, r.City.Languages = []string{"sw", "en-KE"}, []string{"es"}
		cs := sim(t, h, r, jan, matching.CriterionLanguage)
		assert.True(t, cs.Known)
		assert.Zero(t, cs.Similarity)
		assert.Equal(t, "no shared language (sw, en-KE; es)", cs.Detail)
		r.City.Languages = nil
		assert.False(t, sim(t, h, r, jan, matching.CriterionLanguage).Known)
	})
	t.Run("Commitment", func(t *testing.T) {
		h, r := base()
		h.Commitment = floatp(0.9)
		cs := sim(t, h, r, jan, matching.CriterionCommitment)
		assert.InDelta(t, 0.9, cs.Similarity, 1e-12)
		r.Commitment = floatp(0.5)
		assert.InDelta(t, 0.7, sim(t, h, r, jan, matching.CriterionCommitment).Similarity, 1e-12)
		r.Commitment = floatp(7) // clipped to 1
		assert.InDelta(t, 0.95, sim(t, h, r, jan, matching.CriterionCommitment).Similarity, 1e-12)
		assert.Equal(t, "host 0.90, resource 1.00", sim(t, h, r, jan, matching.CriterionCommitment).Detail)
	})
	t.Run("DistanceQuarterEarth", func(t *testing.T) {
		h, r := base()
		h.City.Location, r.City.Location = at(0, 0), at(0, 90)
		assert.InDelta(t, 0.5, sim(t, h, r, jan, matching.CriterionDistance).Similarity, 1e-12)
	})
	t.Run("NothingKnown", func(t *testing.T) {
		h, r := base()
		h.City.Needs = nil
		b, err := matching.ScorePair(h, r, jan, nil)
		require.NoError(t, err)
		assert.Zero(t, b.Score)
	})
	t.Run("OnlyTopicWeighted", func(t *testing.T) {
		h, r := base()
		h.City.Location, r.City.Location = at(0, 0), at(50, 0)
		b, err := matching.ScorePair(h, r, jan, &matching.Weights{TopicFit: 1})
		require.NoError(t, err)
		assert.Equal(t, 0.5, b.Score, "criteria with weight 0 do not count")
	})
}

// genParty draws a city with random facts, any of which may be missing.
func genParty(t *rapid.T, label string, host bool) matching.Party {
	topics := []string{"climate-adaptation", "stormwater", "sanitation", "solid-waste"}
	c := citylinks.City{ID: label, Name: label, Country: "KE"}
	if rapid.Bool().Draw(t, label+"hasLoc") {
		c.Location = at(rapid.Float64Range(-90, 90).Draw(t, label+"lat"), rapid.Float64Range(-180, 180).Draw(t, label+"lon"))
	}
	if rapid.Bool().Draw(t, label+"hasElev") {
		c.Elevation = intp(rapid.IntRange(-400, 5000).Draw(t, label+"elev"))
	}
	if rapid.Bool().Draw(t, label+"hasCoast") {
		c.Coastal = boolp(rapid.Bool().Draw(t, label+"coast"))
	}
	c.Population = rapid.Int64Range(0, 30_000_000).Draw(t, label+"pop")
	c.TimeZone = rapid.SampledFrom([]string{"", "Asia/Kolkata", "America/Denver", "Pacific/Chatham", "Europe/London"}).Draw(t, label+"tz")
	c.Languages = rapid.SliceOfDistinct(rapid.SampledFrom([]string{"en", "fr", "pt-BR", "pt", "sw"}), func(s string) string { return s }).Draw(t, label+"langs")
	var profile []citylinks.TopicLevel
	for _, tp := range rapid.SliceOfDistinct(rapid.SampledFrom(topics), func(s string) string { return s }).Draw(t, label+"topics") {
		profile = append(profile, citylinks.TopicLevel{Topic: tp, Level: citylinks.Level(rapid.IntRange(1, 3).Draw(t, label+tp))})
	}
	if host {
		c.Needs = profile
	} else {
		c.Offers = profile
	}
	p := matching.Party{City: c}
	if rapid.Bool().Draw(t, label+"hasCommit") {
		p.Commitment = floatp(rapid.Float64Range(0, 1).Draw(t, label+"commit"))
	}
	return p
}

func TestScorePairProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, r := genParty(t, "h", true), genParty(t, "r", false)
		b, err := matching.ScorePair(h, r, day(2015, 3, 23), nil)
		require.NoError(t, err)
		if b.Score < 0 || b.Score > 1 {
			t.Fatalf("score %v outside [0, 1]", b.Score)
		}
		points := 0.0
		for _, cs := range b.Criteria {
			if cs.Similarity < 0 || cs.Similarity > 1 || math.IsNaN(cs.Similarity) {
				t.Fatalf("%s similarity %v outside [0, 1]", cs.Criterion, cs.Similarity)
			}
			if cs.Detail == "" {
				t.Fatalf("%s has no detail", cs.Criterion)
			}
			points += cs.Points
		}
		if math.Abs(points-b.Score) > 1e-12 {
			t.Fatalf("points add up to %v, score is %v", points, b.Score)
		}
		// Deterministic: the same pair scores the same.
		b2, _ := matching.ScorePair(h, r, day(2015, 3, 23), nil)
		if b2.Score != b.Score {
			t.Fatalf("score changed from %v to %v", b.Score, b2.Score)
		}
		// Raising every offer to advanced never lowers topic fit.
		up := r
		up.City.Offers = nil
		for _, n := range h.City.Needs {
			up.City.Offers = append(up.City.Offers, citylinks.TopicLevel{Topic: n.Topic, Level: citylinks.LevelAdvanced})
		}
		bu, _ := matching.ScorePair(h, up, day(2015, 3, 23), nil)
		tf, _ := b.Criterion(matching.CriterionTopicFit)
		tfu, _ := bu.Criterion(matching.CriterionTopicFit)
		if tfu.Similarity < tf.Similarity || (tfu.Known && tfu.Similarity != 1) {
			t.Fatalf("full offers give topic fit %v (was %v)", tfu.Similarity, tf.Similarity)
		}
	})
}
