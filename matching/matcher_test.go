package matching_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching"
)

func needs(spec string) []citylinks.TopicLevel {
	tl, err := citylinks.ParseProfile(spec)
	if err != nil {
		panic(err)
	}
	return tl
}

// cappRound is a climate round of CityLinks 2011–2016 with the CAPP 2015
// cities (facts from GeoNames; needs and offers made up for the test).
func cappRound() matching.Round {
	host := func(id, name, cc string, pop int64, lat, lon float64, elev int, tz, need string) matching.Party {
		return matching.Party{City: citylinks.City{ID: id, Name: name, Country: cc, Population: pop, Location: at(lat, lon), Elevation: intp(elev), TimeZone: tz, Needs: needs(need)}}
	}
	res := func(id, name, cc string, pop int64, lat, lon float64, elev int, tz, offer string, capacity int) matching.Party {
		return matching.Party{City: citylinks.City{ID: id, Name: name, Country: cc, Population: pop, Location: at(lat, lon), Elevation: intp(elev), TimeZone: tz, Offers: needs(offer), Capacity: capacity}}
	}
	return matching.Round{
		FocusArea: citylinks.FocusClimate,
		AsOf:      day(2015, time.March, 23),
		Hosts: []matching.Party{
			host("shimla", "Shimla", "IN", 171_817, 31.10, 77.17, 2205, "Asia/Kolkata", "climate-adaptation:2;water-supply:3"),
			host("portmore", "Portmore", "JM", 182_153, 17.95, -76.88, 3, "America/Jamaica", "coastal-management:3;climate-adaptation:2"),
			host("la-ceiba", "La Ceiba", "HN", 130_218, 15.76, -86.78, 7, "America/Tegucigalpa", "stormwater:3;land-use:2"),
			host("semarang", "Semarang", "ID", 1_288_084, -6.99, 110.42, 8, "Asia/Jakarta", "coastal-management:3;stormwater:2"),
			host("brisbane", "Brisbane", "AU", 958_504, -27.47, 153.03, 28, "Australia/Brisbane", "stormwater:2"), // high income: ineligible
			host("kabul", "Kabul", "AF", 3_043_532, 34.53, 69.17, 1791, "Asia/Kabul", "solid-waste:2"),            // nobody offers it
		},
		Resources: []matching.Party{
			res("boulder", "Boulder", "US", 108_250, 40.01, -105.27, 1624, "America/Denver", "climate-adaptation:3;water-supply:2", 1),
			res("townsville", "Townsville", "AU", 180_820, -19.26, 146.82, 15, "Australia/Brisbane", "coastal-management:3;climate-adaptation:2", 1),
			res("somerville", "Somerville", "US", 81_360, 42.39, -71.10, 20, "America/New_York", "stormwater:3;land-use:3", 1),
			res("gold-coast", "Gold Coast", "AU", 591_473, -28.00, 153.43, 6, "Australia/Brisbane", "coastal-management:3;stormwater:3", 1),
			res("sf", "San Francisco", "US", 864_816, 37.77, -122.42, 16, "America/Los_Angeles", "energy:3", 2), // no host needs energy
		},
	}
}

func matchCityLinks(t *testing.T, r matching.Round, opts *matching.Options) *matching.Result {
	t.Helper()
	p, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	require.NoError(t, err)
	res, err := matching.Match(t.Context(), p, r, opts)
	require.NoError(t, err)
	return res
}

func pairsOf(res *matching.Result) map[string]string {
	m := map[string]string{}
	for _, p := range res.Proposals {
		m[p.HostID] = p.ResourceID
	}
	return m
}

func unmatchedOf(res *matching.Result) map[string]matching.Unmatched {
	m := map[string]matching.Unmatched{}
	for _, u := range res.Unmatched {
		m[string(u.Side)+":"+u.ID] = u
	}
	return m
}

func TestMatchCAPP(t *testing.T) {
	res := matchCityLinks(t, cappRound(), nil)
	// The pairs ICMA made in 2015, from needs and offers alone.
	assert.Equal(t, map[string]string{"shimla": "boulder", "portmore": "townsville", "la-ceiba": "somerville", "semarang": "gold-coast"}, pairsOf(res))
	total := 0.0
	for _, p := range res.Proposals {
		total += p.Score
		assert.Equal(t, p.Breakdown.Score, p.Score)
		assert.Equal(t, 1, p.Rank, "%s got its best candidate", p.HostID)
		assert.NotEmpty(t, p.HostEligibility)
		assert.NotEmpty(t, p.ResourceEligibility)
		assert.False(t, p.Forced)
	}
	assert.InDelta(t, total, res.Total, 1e-12)

	u := unmatchedOf(res)
	require.Len(t, u, 3, "%+v", res.Unmatched)
	assert.Equal(t, matching.WhyIneligible, u["host:brisbane"].Why)
	assert.Equal(t, []string{"the World Bank classified Australia as high income in FY15 (the rule asks for low income, lower-middle income or upper-middle income)"}, u["host:brisbane"].Reasons)
	assert.Equal(t, matching.WhyNoCandidate, u["host:kabul"].Why)
	assert.Equal(t, []string{"none of the 5 eligible resources with capacity left is a candidate: 5 offer none of the topics it needs (solid-waste)"}, u["host:kabul"].Reasons)
	assert.Equal(t, matching.WhyNoCandidate, u["resource:sf"].Why)
	assert.Equal(t, []string{"no eligible host has San Francisco (United States) among its 50 best candidates"}, u["resource:sf"].Reasons)

	assert.Equal(t, matching.Stats{Hosts: 6, Resources: 5, EligibleHosts: 5, EligibleResources: 5, OpenResources: 5, Candidates: res.Stats.Candidates, Scored: 25}, res.Stats)
}

// TestMatchIncomeYears runs the CAPP round on dates inside the shipped
// income data (FY1989–FY2026) and after it: after, no host can be judged,
// and the result says which data is missing rather than calling the hosts
// ineligible.
func TestMatchIncomeYears(t *testing.T) {
	capp := map[string]string{"shimla": "boulder", "portmore": "townsville", "la-ceiba": "somerville", "semarang": "gold-coast"}
	fy27 := matching.MissingData{FiscalYear: 2027, First: 1989, Last: 2026}
	for _, tc := range []struct {
		name    string
		asOf    citylinks.Date
		pairs   map[string]string
		missing []matching.MissingData
	}{
		{"FY24", day(2024, time.March, 1), capp, nil},
		{"LastDayOfFY26", day(2026, time.June, 30), capp, nil},
		{"FirstDayOfFY27", day(2026, time.July, 1), map[string]string{}, []matching.MissingData{fy27}},
		{"Today", day(2026, time.December, 3), map[string]string{}, []matching.MissingData{fy27}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cappRound()
			r.AsOf = tc.asOf
			res := matchCityLinks(t, r, nil)
			assert.Equal(t, tc.pairs, pairsOf(res))
			assert.Equal(t, tc.missing, res.Missing)
			u := unmatchedOf(res)
			if tc.missing == nil {
				assert.Equal(t, matching.WhyIneligible, u["host:brisbane"].Why)
				assert.Empty(t, u["host:brisbane"].Missing)
				return
			}
			for _, h := range r.Hosts {
				got := u["host:"+h.City.ID]
				assert.Equal(t, matching.WhyMissingData, got.Why, h.City.ID)
				assert.Equal(t, tc.missing, got.Missing, h.City.ID)
				require.Len(t, got.Reasons, 1)
				assert.Contains(t, got.Reasons[0], "no World Bank income classification for FY27 (the income table ends at FY26); supply FY27")
			}
			assert.Equal(t, matching.WhyNoCandidate, u["resource:boulder"].Why, "resources are judged: they have no income rule")
			assert.Empty(t, u["resource:boulder"].Missing)
			assert.Equal(t, 0, res.Stats.EligibleHosts)
		})
	}

	// Supplying FY27 (here FY26's groups again) makes the round run.
	income := citylinks.ShippedIncome().Clone()
	for _, c := range citylinks.Countries() {
		if g := c.IncomeGroup(2026); g != citylinks.IncomeNoData {
			require.NoError(t, income.Set(c.Alpha3, 2027, g))
		}
	}
	p, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	require.NoError(t, err)
	elig, err := matching.ProgramEligibility(p, &matching.EligibilityOptions{Income: income})
	require.NoError(t, err)
	m, err := matching.NewMatcher(elig, nil)
	require.NoError(t, err)
	r := cappRound()
	r.AsOf = day(2026, time.December, 3)
	res, err := m.Match(t.Context(), r)
	require.NoError(t, err)
	assert.Equal(t, capp, pairsOf(res))
	assert.Empty(t, res.Missing)
	assert.Equal(t, []string{"the World Bank classified Australia as high income in FY27 (the rule asks for low income, lower-middle income or upper-middle income)"}, unmatchedOf(res)["host:brisbane"].Reasons)

	// A must-pair with a host that cannot be judged says why.
	r.MustPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}}
	_, err = matching.Match(t.Context(), p, r, nil)
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "must_pair[0].host_id", ve.Field)
	assert.Contains(t, ve.Problem, "Shimla (India) cannot be judged: the income group of India is not known: no World Bank income classification for FY27")
}

func TestMatchExplain(t *testing.T) {
	res := matchCityLinks(t, cappRound(), nil)
	p := res.Proposals[0]
	require.Equal(t, "shimla", p.HostID)
	lines := p.Explain()
	assert.True(t, strings.HasPrefix(lines[0], fmt.Sprintf("Shimla – Boulder: score %.3f, the host's candidate 1 of ", p.Score)), lines[0])
	text := strings.Join(lines, "\n")
	for _, want := range []string{
		"  topic-fit: 0.80 × weight 0.35 → 0.346: climate-adaptation needed at intermediate, offered at advanced; water-supply needed at advanced, offered only at intermediate",
		"  commitment: not counted, host not given, resource not given",
		"  language: not counted, languages unknown",
		"  host eligible: the World Bank classified India as lower-middle income in FY15",
		"  resource eligible: the government of Boulder (United States) is a local government (city)",
	} {
		assert.Contains(t, text, want)
	}
	assert.InDelta(t, 4.0/5, mustCriterion(t, p.Breakdown, matching.CriterionTopicFit).Similarity, 1e-12)
}

func mustCriterion(t *testing.T, b matching.PairScore, c matching.Criterion) matching.CriterionScore {
	t.Helper()
	cs, ok := b.Criterion(c)
	require.True(t, ok)
	return cs
}

func TestMatchCapacityAndObjective(t *testing.T) {
	// Two hosts want the one resource that can take them both only with
	// capacity 2; a second resource fits one of them badly.
	r := cappRound()
	r.Hosts = r.Hosts[:2]                                          // Shimla, Portmore
	r.Resources = []matching.Party{r.Resources[0], r.Resources[1]} // Boulder, Townsville
	r.Resources[1].City.Offers = needs("coastal-management:1")
	r.Resources[0].City.Offers = needs("climate-adaptation:3;water-supply:3;coastal-management:3")

	res := matchCityLinks(t, r, nil)
	assert.Equal(t, map[string]string{"shimla": "boulder", "portmore": "townsville"}, pairsOf(res), "max-pairs places both hosts")

	res = matchCityLinks(t, r, &matching.Options{Goal: matching.GoalMaxScore})
	assert.Len(t, res.Proposals, 2, "both pairs have positive scores, so max-score places both too")

	r.Resources[0].City.Capacity = 2
	res = matchCityLinks(t, r, nil)
	assert.Equal(t, map[string]string{"shimla": "boulder", "portmore": "boulder"}, pairsOf(res), "Boulder takes both when it can")
	u := unmatchedOf(res)
	assert.Equal(t, matching.WhyNotChosen, u["resource:townsville"].Why)
	assert.Equal(t, []string{"Townsville (Australia) was a candidate of 1 hosts, all of which the optimal assignment paired elsewhere"}, u["resource:townsville"].Reasons)

	// A threshold between Shimla–Boulder (0.84) and Portmore's pairs (0.77,
	// 0.58) leaves Portmore and Townsville without candidates.
	r.Resources[0].City.Capacity = 1
	res = matchCityLinks(t, r, &matching.Options{MinScore: 0.8})
	u = unmatchedOf(res)
	assert.Equal(t, map[string]string{"shimla": "boulder"}, pairsOf(res))
	assert.Equal(t, matching.WhyNoCandidate, u["host:portmore"].Why)
	assert.Contains(t, u["host:portmore"].Reasons[0], "none of the 2 eligible resources with capacity left is a candidate: 2 score below the threshold 0.800 (the best, Boulder (United States), scores ")
	assert.Equal(t, matching.WhyNoCandidate, u["resource:townsville"].Why)
	assert.Equal(t, []string{"no eligible host has Townsville (Australia) among its 50 best candidates scoring at least 0.800"}, u["resource:townsville"].Reasons)

	// With top-1, Portmore's only candidate is Boulder; Shimla takes it.
	r.Resources[1].City.Offers = needs("coastal-management:3;climate-adaptation:3")
	res = matchCityLinks(t, r, &matching.Options{TopK: 1, Weights: &matching.Weights{TopicFit: 1, ClimateTopography: 0.01}})
	require.Len(t, res.Proposals, 2)
	r.Resources[1].City.Offers = needs("coastal-management:1")
	r.Hosts[1].City.Needs = needs("climate-adaptation:2")
	res = matchCityLinks(t, r, &matching.Options{TopK: 1, Weights: &matching.Weights{TopicFit: 1}})
	u = unmatchedOf(res)
	require.Len(t, res.Proposals, 1)
	assert.Equal(t, "shimla", res.Proposals[0].HostID)
	assert.Equal(t, matching.WhyNoCapacity, u["host:portmore"].Why)
	assert.Equal(t, []string{"all 1 of its candidates were filled by other hosts in the optimal assignment; the best was Boulder (United States) (score 1.000)"}, u["host:portmore"].Reasons)
}

func TestMatchMaxScoreLeavesHostOut(t *testing.T) {
	// With topic fit alone: h1–r1 1, h1–r2 1/3, h2–r1 1/3, and h2–r2 no
	// candidate (r2 offers no sanitation). Max-pairs places both hosts
	// (total 2/3); max-score gives r1 to h1 (total 1) and leaves h2 out.
	host := func(id, need string) matching.Party {
		return matching.Party{City: citylinks.City{ID: id, Name: id, Country: "KE", Needs: needs(need)}}
	}
	res := func(id, offer string) matching.Party {
		return matching.Party{City: citylinks.City{ID: id, Name: id, Country: "US", Offers: needs(offer)}}
	}
	r := matching.Round{FocusArea: "climate", AsOf: day(2015, 1, 1),
		Hosts:     []matching.Party{host("h1", "stormwater:3"), host("h2", "sanitation:3")},
		Resources: []matching.Party{res("r1", "stormwater:3;sanitation:1"), res("r2", "stormwater:1")},
	}
	run := func(o matching.Goal) *matching.Result {
		m, err := matching.NewMatcher(nil, &matching.Options{Weights: &matching.Weights{TopicFit: 1}, Goal: o})
		require.NoError(t, err)
		out, err := m.Match(t.Context(), r)
		require.NoError(t, err)
		return out
	}
	out := run(matching.GoalMaxPairs)
	assert.Equal(t, map[string]string{"h1": "r2", "h2": "r1"}, pairsOf(out))
	assert.InDelta(t, 2.0/3, out.Total, 1e-12)

	out = run(matching.GoalMaxScore)
	assert.Equal(t, map[string]string{"h1": "r1"}, pairsOf(out))
	assert.InDelta(t, 1, out.Total, 1e-12)
	u := unmatchedOf(out)
	assert.Equal(t, matching.WhyNoCapacity, u["host:h2"].Why)
	assert.Equal(t, matching.WhyNotChosen, u["resource:r2"].Why)
}

func TestMatchMustAndForbid(t *testing.T) {
	r := cappRound()
	r.MustPair = []matching.Pair{{HostID: "portmore", ResourceID: "gold-coast"}}
	r.ForbidPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}}
	res := matchCityLinks(t, r, nil)
	pairs := pairsOf(res)
	assert.Equal(t, "gold-coast", pairs["portmore"])
	assert.NotEqual(t, "boulder", pairs["shimla"])
	for _, p := range res.Proposals {
		if p.HostID == "portmore" {
			assert.True(t, p.Forced)
			assert.Zero(t, p.Rank, "must-paired hosts are not scored for candidates")
			assert.Contains(t, p.Explain()[0], "decided in advance (must-pair)")
		}
	}
	// Gold Coast's single place is taken, so Semarang goes elsewhere or not
	// at all, but never to Gold Coast.
	assert.NotEqual(t, "gold-coast", pairs["semarang"])
}

func TestMatchExisting(t *testing.T) {
	r := cappRound()
	r.Existing = []matching.Existing{
		// Boulder's one place is taken by a partnership in another focus area.
		{ID: "WS-1", HostID: "nairobi", ResourceID: "boulder", FocusArea: citylinks.FocusWaterSanitation, Start: day(2014, 6, 1)},
		// Portmore already has a climate partnership with Townsville.
		{ID: "CAPP-1", HostID: "portmore", ResourceID: "townsville", FocusArea: citylinks.FocusClimate, Start: day(2015, 1, 1)},
		// An ended one changes nothing.
		{ID: "OLD", HostID: "semarang", ResourceID: "gold-coast", FocusArea: citylinks.FocusClimate, Start: day(2012, 1, 1), End: day(2013, 1, 1)},
	}
	res := matchCityLinks(t, r, nil)
	u := unmatchedOf(res)
	assert.Equal(t, matching.WhyNoCapacity, u["resource:boulder"].Why)
	assert.Equal(t, []string{"the capacity of Boulder (United States) (1) is taken by open partnerships: WS-1"}, u["resource:boulder"].Reasons)
	assert.Equal(t, matching.WhyIneligible, u["host:portmore"].Why)
	assert.Equal(t, []string{"Portmore (Jamaica) is already the host of open partnership CAPP-1 in climate-related governance since 2015-01-01"}, u["host:portmore"].Reasons)
	assert.Equal(t, "gold-coast", pairsOf(res)["semarang"])
	assert.Equal(t, matching.WhyNoCapacity, u["resource:townsville"].Why, "CAPP-1 takes Townsville's place")
}

func TestMatchSameCityBothSides(t *testing.T) {
	// Durban was a host (with Fort Lauderdale) and a resource (for Dar es
	// Salaam); it never partners with itself.
	durban := citylinks.City{ID: "durban", Name: "Durban", Country: "ZA", Needs: needs("climate-adaptation:2"), Offers: needs("climate-adaptation:3")}
	r := matching.Round{FocusArea: "climate", AsOf: day(2014, 1, 1),
		Hosts:     []matching.Party{{City: durban}, {City: citylinks.City{ID: "dar", Name: "Dar es Salaam", Country: "TZ", Needs: needs("climate-adaptation:2")}}},
		Resources: []matching.Party{{City: durban}},
	}
	res := matchCityLinks(t, r, nil)
	assert.Equal(t, map[string]string{"dar": "durban"}, pairsOf(res))
	u := unmatchedOf(res)
	assert.Equal(t, matching.WhyNoCandidate, u["host:durban"].Why)
	assert.Equal(t, []string{"none of the 1 eligible resources with capacity left is a candidate: 1 are forbidden pairs or existing partnerships"}, u["host:durban"].Reasons)
}

func TestMatchErrors(t *testing.T) {
	p, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	require.NoError(t, err)
	ngo := &citylinks.Organization{ID: "isc", Name: "ISC", Kind: citylinks.KindNGO}
	cases := []struct {
		name   string
		change func(r *matching.Round)
		field  string
	}{
		{"NoFocus", func(r *matching.Round) { r.FocusArea = "" }, "focus_area"},
		{"Uncovered", func(r *matching.Round) { r.FocusArea = citylinks.FocusOfficialSkills }, "focus_area"},
		{"NoDate", func(r *matching.Round) { r.AsOf = citylinks.Date{} }, "as_of"},
		{"BadDate", func(r *matching.Round) { r.AsOf = day(2015, 2, 30) }, "as_of"},
		{"BadCity", func(r *matching.Round) { r.Hosts[3].City.Location = at(91, 0) }, "hosts[3].location.lat"},
		{"DuplicateHost", func(r *matching.Round) { r.Hosts[2].City.ID = "shimla" }, "hosts[2].id"},
		{"DuplicateResource", func(r *matching.Round) { r.Resources[1].City.ID = "boulder" }, "resources[1].id"},
		{"BadCommitment", func(r *matching.Round) { r.Resources[1].Commitment = floatp(1.5) }, "resources[1].commitment"},
		{"NaNCommitment", func(r *matching.Round) { r.Hosts[0].Commitment = floatp(math.NaN()) }, "hosts[0].commitment"},
		{"BadOrganization", func(r *matching.Round) {
			r.Resources[0].Organization = &citylinks.Organization{ID: "x", Name: "X", Kind: "town"}
		}, "resources[0].organization.kind"},
		{"ExistingEndsBeforeStart", func(r *matching.Round) {
			r.Existing = []matching.Existing{{HostID: "a", ResourceID: "b", Start: day(2015, 1, 1), End: day(2014, 1, 1)}}
		}, "existing[0].end"},
		{"ForbidUnknownHost", func(r *matching.Round) { r.ForbidPair = []matching.Pair{{HostID: "nope", ResourceID: "boulder"}} }, "forbid_pair[0].host_id"},
		{"MustUnknownResource", func(r *matching.Round) { r.MustPair = []matching.Pair{{HostID: "shimla", ResourceID: "nope"}} }, "must_pair[0].resource_id"},
		{"MustIneligibleHost", func(r *matching.Round) { r.MustPair = []matching.Pair{{HostID: "brisbane", ResourceID: "boulder"}} }, "must_pair[0].host_id"},
		{"MustIneligibleResource", func(r *matching.Round) {
			r.Resources[0].Organization = ngo
			r.MustPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}}
		}, "must_pair[0].resource_id"},
		{"MustTwice", func(r *matching.Round) {
			r.MustPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}, {HostID: "shimla", ResourceID: "sf"}}
		}, "must_pair[1]"},
		{"MustOverCapacity", func(r *matching.Round) {
			r.MustPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}, {HostID: "portmore", ResourceID: "boulder"}}
		}, "must_pair[1].resource_id"},
		{"MustForbidden", func(r *matching.Round) {
			r.MustPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}}
			r.ForbidPair = []matching.Pair{{HostID: "shimla", ResourceID: "boulder"}}
		}, "must_pair[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := cappRound()
			tc.change(&r)
			_, err := matching.Match(t.Context(), p, r, nil)
			assertField(t, err, tc.field)
			assert.ErrorIs(t, err, citylinks.ErrInvalid)
		})
	}
	optCases := []struct {
		name  string
		opts  matching.Options
		field string
	}{
		{"TopK", matching.Options{TopK: -1}, "top_k"},
		{"Weights", matching.Options{Weights: &matching.Weights{}}, "weights"},
		{"MinScore", matching.Options{MinScore: math.NaN()}, "min_score"},
		{"Goal", matching.Options{Goal: "max-fun"}, "goal"},
		{"Capacity", matching.Options{DefaultCapacity: -2}, "default_capacity"},
	}
	for _, tc := range optCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := matching.NewMatcher(nil, &tc.opts)
			assertField(t, err, tc.field)
		})
	}
	// A program whose eligibility does not load.
	bad := p.Clone()
	bad.Eligibility = []byte(`{"every_focus_area": 1}`)
	_, err = matching.Match(t.Context(), bad, cappRound(), nil)
	assertField(t, err, "$.eligibility.every_focus_area")
}

func TestMatchCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	m, err := matching.NewMatcher(nil, nil)
	require.NoError(t, err)
	_, err = m.Match(ctx, cappRound())
	assert.ErrorIs(t, err, context.Canceled)

	// Canceled from the progress callback, in the middle of scoring.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	r := cappRound()
	for i := range 2000 {
		h := r.Hosts[i%4]
		h.City.ID = fmt.Sprintf("h%d", i)
		r.Hosts = append(r.Hosts, h)
	}
	m, err = matching.NewMatcher(nil, &matching.Options{Progress: func(p matching.Progress) {
		if p.Stage == matching.StageScoring && p.Done > 0 {
			cancel()
		}
	}})
	require.NoError(t, err)
	_, err = m.Match(ctx, r)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestMatchProgress(t *testing.T) {
	var got []matching.Progress
	m, err := matching.NewMatcher(cityLinks2011(t), &matching.Options{Progress: func(p matching.Progress) { got = append(got, p) }})
	require.NoError(t, err)
	_, err = m.Match(t.Context(), cappRound())
	require.NoError(t, err)
	order := []matching.Stage{matching.StageEligibility, matching.StageScoring, matching.StageAssignment, matching.StageExplanation}
	stage := 0
	last := map[matching.Stage]matching.Progress{}
	for _, p := range got {
		for order[stage] != p.Stage {
			stage++
			require.Less(t, stage, len(order), "stage %s out of order in %v", p.Stage, got)
		}
		assert.LessOrEqual(t, p.Done, p.Total)
		assert.GreaterOrEqual(t, p.Done, last[p.Stage].Done, "progress goes forward")
		last[p.Stage] = p
	}
	assert.Equal(t, matching.Progress{Stage: matching.StageEligibility, Done: 11, Total: 11}, last[matching.StageEligibility])
	assert.Equal(t, matching.Progress{Stage: matching.StageScoring, Done: 5, Total: 5}, last[matching.StageScoring])
	assert.Equal(t, matching.Progress{Stage: matching.StageAssignment, Done: 1, Total: 1}, last[matching.StageAssignment])
	assert.Equal(t, matching.Progress{Stage: matching.StageExplanation, Done: 4, Total: 4}, last[matching.StageExplanation])
}

func TestMatchDeterministic(t *testing.T) {
	a := matchCityLinks(t, cappRound(), nil)
	b := matchCityLinks(t, cappRound(), nil)
	if d := cmp.Diff(a, b); d != "" {
		t.Fatalf("two runs differ:\n%s", d)
	}
}

func TestObjectiveValid(t *testing.T) {
	for _, o := range matching.Goals() {
		assert.True(t, o.Valid())
	}
	assert.False(t, matching.Goal("").Valid())
	assert.True(t, errors.Is(&citylinks.ValidationError{}, citylinks.ErrInvalid))
}
