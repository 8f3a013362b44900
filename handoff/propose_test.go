package handoff_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
)

var (
	shimla  = citylinks.City{ID: "1256237", Name: "Shimla", Country: "IN"}
	boulder = citylinks.City{ID: "5574991", Name: "Boulder", Country: "US"}
	tulsa   = citylinks.City{ID: "4553433", Name: "Tulsa", Country: "US"}
	icmaOrg = citylinks.Organization{ID: "icma", Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"}
	usaid   = citylinks.Organization{ID: "usaid", Name: "USAID", Kind: citylinks.KindDonor, Country: "US"}
)

func testRound() matching.Round {
	county := citylinks.Organization{ID: "tulsa-county", Name: "Tulsa County", Kind: citylinks.KindCounty, Country: "US", CityID: tulsa.ID}
	return matching.Round{
		FocusArea: citylinks.FocusClimate, AsOf: pt.D(2015, 3, 23),
		Hosts:     []matching.Party{{City: shimla}},
		Resources: []matching.Party{{City: boulder}, {City: tulsa, Organization: &county}},
	}
}

func TestPropose(t *testing.T) {
	r := testRound()
	pr := matching.Proposal{HostID: shimla.ID, ResourceID: tulsa.ID, HostName: "Shimla", ResourceName: "Tulsa", Score: 0.8123, Rank: 2, Candidates: 3}
	c, err := handoff.Propose(r, pr, handoff.Terms{Program: citylinks.ProgramCityLinks2011, Facilitator: &icmaOrg, Funder: &usaid,
		Others: []partnership.Party{{Role: partnership.PartySupporting, Organization: "uccrn", Name: "UCCRN", Kind: citylinks.KindUniversity}}})
	require.NoError(t, err)
	assert.Equal(t, partnership.Propose{
		Title: "Shimla – Tulsa County", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, On: pt.D(2015, 3, 23),
		Notes: "Proposed by the matching round of 2015-03-23: score 0.812, rank 2 of the host's 3 candidates.",
		Parties: []partnership.Party{
			{Role: partnership.PartyHost, Organization: shimla.ID, Name: "Shimla", Kind: citylinks.KindCity, Country: "IN"},
			{Role: partnership.PartyResource, Organization: "tulsa-county", Name: "Tulsa County", Kind: citylinks.KindCounty, Country: "US"},
			{Role: partnership.PartyFacilitator, Organization: "icma", Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"},
			{Role: partnership.PartyFunder, Organization: "usaid", Name: "USAID", Kind: citylinks.KindDonor, Country: "US"},
			{Role: partnership.PartySupporting, Organization: "uccrn", Name: "UCCRN", Kind: citylinks.KindUniversity},
		},
	}, c)

	// The terms given win over the defaults.
	pr.Forced = true
	c, err = handoff.Propose(r, pr, handoff.Terms{ID: "P-1", Title: "T", Program: "p", FocusArea: citylinks.FocusWaterSanitation,
		On: pt.D(2015, 4, 1), Start: pt.D(2015, 5, 1), End: pt.D(2016, 5, 1), Notes: "N"})
	require.NoError(t, err)
	assert.Equal(t, partnership.Propose{ID: "P-1", Title: "T", Program: "p", FocusArea: citylinks.FocusWaterSanitation,
		On: pt.D(2015, 4, 1), Start: pt.D(2015, 5, 1), End: pt.D(2016, 5, 1), Notes: "N", Parties: c.Parties}, c)
	require.Len(t, c.Parties, 2, "host and resource only")
	c, _ = handoff.Propose(r, pr, handoff.Terms{})
	assert.Contains(t, c.Notes, "a pair decided in advance")

	// A proposal of another round is refused, naming the side.
	for _, tc := range []struct {
		pr    matching.Proposal
		field string
	}{
		{matching.Proposal{HostID: "elsewhere", ResourceID: boulder.ID}, "host_id"},
		{matching.Proposal{HostID: shimla.ID, ResourceID: "elsewhere"}, "resource_id"},
		{matching.Proposal{HostID: boulder.ID, ResourceID: shimla.ID}, "host_id"},
	} {
		_, err := handoff.Propose(r, tc.pr, handoff.Terms{})
		var ve *citylinks.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
		assert.ErrorIs(t, err, citylinks.ErrInvalid)
		assert.Contains(t, err.Error(), "pass the round the proposal came from")
	}
}

// TestProposeMatched: what the Matcher proposes, Propose turns into a
// proposal the partnership.Service accepts, for every pair.
func TestProposeMatched(t *testing.T) {
	ctx := t.Context()
	program, err := citylinks.LookupProgram(citylinks.ProgramCityLinks2011)
	require.NoError(t, err)
	yes := true
	r := testRound()
	r.Hosts[0].City.Needs = []citylinks.TopicLevel{{Topic: "water-supply", Level: citylinks.LevelAdvanced}}
	r.Hosts[0].City.Coastal = &yes
	for i := range r.Resources {
		r.Resources[i].City.Offers = []citylinks.TopicLevel{{Topic: "water-supply", Level: citylinks.LevelAdvanced}}
		r.Resources[i].City.Capacity = 1
	}
	res, err := matching.Match(ctx, program, r, nil)
	require.NoError(t, err)
	require.NotEmpty(t, res.Proposals)
	svc := partnership.NewService(memory.New(), &partnership.Options{Now: (&pt.Clock{}).Now})
	for _, pr := range res.Proposals {
		c, err := handoff.Propose(r, pr, handoff.Terms{Program: program.ID, Facilitator: &icmaOrg, Funder: &usaid})
		require.NoError(t, err)
		p, err := svc.Propose(ctx, pt.Facilitator, c)
		require.NoError(t, err)
		assert.Equal(t, partnership.StateProposed, p.State)
		assert.Equal(t, "IN", p.HostCountry())
	}
}

// TestContributionID: ids are valid report ids, the same pair always gives
// the same id, and two different pairs never share one.
func TestContributionID(t *testing.T) {
	assert.Equal(t, "CL11-SHI-BOU/hours-1", handoff.ContributionID("CL11-SHI-BOU", "hours-1"))
	long := strings.Repeat("é", citylinks.MaxIDLen/2)
	for _, tc := range [][2][2]string{
		{{"a/b", "c"}, {"a", "b/c"}},
		{{"a", "b/c"}, {"a/b/c", ""}},
		{{long, "x"}, {long, "y"}},
		{{long, long}, {long, long + "."}},
	} {
		a, b := handoff.ContributionID(tc[0][0], tc[0][1]), handoff.ContributionID(tc[1][0], tc[1][1])
		assert.NotEqual(t, a, b, "%q and %q", tc[0], tc[1])
		for _, id := range []string{a, b} {
			assert.NoError(t, citylinks.CheckID("id", id))
		}
	}
	id := func(t *rapid.T, label string) string {
		return rapid.OneOf(
			rapid.SampledFrom([]string{"p", "p/", "/p", "a/b", "a", "b/c", "b", "c"}),
			rapid.StringMatching(`[a-z/]{1,6}`),
			rapid.StringN(1, citylinks.MaxIDLen, citylinks.MaxIDLen).Filter(func(s string) bool { return citylinks.CheckID("id", s) == nil }),
		).Draw(t, label)
	}
	rapid.Check(t, func(t *rapid.T) {
		p1, c1, p2, c2 := id(t, "p1"), id(t, "c1"), id(t, "p2"), id(t, "c2")
		a, b := handoff.ContributionID(p1, c1), handoff.ContributionID(p2, c2)
		if err := citylinks.CheckID("id", a); err != nil {
			t.Fatalf("ContributionID(%q, %q) = %q: %v", p1, c1, a, err)
		}
		if a != handoff.ContributionID(p1, c1) {
			t.Fatal("not stable")
		}
		if (a == b) != (p1 == p2 && c1 == c2) {
			t.Fatalf("ContributionID(%q, %q) = %q, ContributionID(%q, %q) = %q", p1, c1, a, p2, c2, b)
		}
	})
}
