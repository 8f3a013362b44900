package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func sampleOrgs() []citylinks.Organization {
	return []citylinks.Organization{
		{ID: "icma", Name: "International City/County Management Association", Kind: citylinks.KindFacilitator, Country: "US"},
		{ID: "usaid", Name: "USAID", Kind: citylinks.KindDonor, Country: "US"},
		{ID: "durban", Name: "eThekwini Municipality (Durban)", Kind: citylinks.KindCity, Country: "ZA", CityID: "1007311"},
		{ID: "ftl-broward", Name: "Fort Lauderdale + Broward County", Kind: citylinks.KindConsortium, Country: "US",
			Members: []citylinks.Member{
				{ID: "fort-lauderdale", Name: "City of Fort Lauderdale", Kind: citylinks.KindCity},
				{ID: "broward", Name: "Broward County", Kind: citylinks.KindCounty},
			}},
		{ID: "cenn", Name: "Caucasus Environmental NGO Network — „CENN“", Kind: citylinks.KindNGO, Country: "GE"},
		{ID: "uccrn", Name: "Urban Climate Change Research Network", Kind: citylinks.KindUniversity},
	}
}

func testOrganizations(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		for _, o := range sampleOrgs() {
			require.NoError(t, s.CreateOrganization(ctx, o))
		}
		for _, want := range sampleOrgs() {
			got, err := s.GetOrganization(ctx, want.ID)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetOrganization(%s) (-want +got):\n%s", want.ID, diff)
			}
		}
		got, err := s.GetOrganization(ctx, "ftl-broward")
		require.NoError(t, err)
		assert.True(t, got.Composite() && got.LocalGovernment(), "composite of local governments")
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		cases := []struct {
			name  string
			o     citylinks.Organization
			field string
		}{
			{"EmptyName", citylinks.Organization{ID: "x", Kind: citylinks.KindCity}, "name"},
			{"BadKind", citylinks.Organization{ID: "x", Name: "X", Kind: "town"}, "kind"},
			{"CountryXX", citylinks.Organization{ID: "x", Name: "X", Kind: citylinks.KindCity, Country: "XX"}, "country"},
			{"OneMember", citylinks.Organization{ID: "x", Name: "X", Kind: citylinks.KindConsortium,
				Members: []citylinks.Member{{ID: "a", Name: "A", Kind: citylinks.KindCity}}}, "members"},
			{"MemberBadKind", citylinks.Organization{ID: "x", Name: "X", Kind: citylinks.KindConsortium,
				Members: []citylinks.Member{{ID: "a", Name: "A", Kind: citylinks.KindCity}, {ID: "b", Name: "B", Kind: "x"}}}, "members[1].kind"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				requireInvalid(t, s.CreateOrganization(t.Context(), tc.o), tc.field)
				_, err := s.GetOrganization(t.Context(), tc.o.ID)
				require.ErrorIs(t, err, citylinks.ErrNotFound)
			})
		}
	})

	t.Run("ConflictNotFoundReplace", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		o := sampleOrgs()[0]
		require.NoError(t, s.CreateOrganization(ctx, o))
		require.ErrorIs(t, s.CreateOrganization(ctx, o), citylinks.ErrConflict)
		o.Name = "ICMA"
		require.NoError(t, s.PutOrganization(ctx, o))
		got, err := s.GetOrganization(ctx, o.ID)
		require.NoError(t, err)
		assert.Equal(t, "ICMA", got.Name)
		require.NoError(t, s.DeleteOrganization(ctx, o.ID))
		_, err = s.GetOrganization(ctx, o.ID)
		require.ErrorIs(t, err, citylinks.ErrNotFound)
		require.ErrorIs(t, s.DeleteOrganization(ctx, o.ID), citylinks.ErrNotFound)
	})

	t.Run("ListFilters", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		for i := range 30 {
			for _, o := range sampleOrgs() {
				o.ID = fmt.Sprintf("%02d-%s", i, o.ID)
				require.NoError(t, s.CreateOrganization(ctx, o))
			}
		}
		count := func(f citylinks.OrganizationFilter) int {
			n := 0
			for {
				p, err := s.ListOrganizations(ctx, f)
				require.NoError(t, err)
				n += len(p.Items)
				if p.Next == "" {
					return n
				}
				f.After = p.Next
			}
		}
		assert.Equal(t, 180, count(citylinks.OrganizationFilter{Limit: 7}))
		assert.Equal(t, 60, count(citylinks.OrganizationFilter{Kinds: []citylinks.OrgKind{citylinks.KindCity, citylinks.KindConsortium}, Limit: 11}))
		assert.Equal(t, 90, count(citylinks.OrganizationFilter{Region: citylinks.Region{Countries: []string{"US"}}}))
		assert.Equal(t, 30, count(citylinks.OrganizationFilter{Region: citylinks.Region{M49: "Africa"}}))
		ghi, _ := citylinks.LookupDesignation(citylinks.DesignationGHIRound2)
		assert.Equal(t, 60, count(citylinks.OrganizationFilter{Region: citylinks.Region{Designation: &ghi}}), "ZA and GE are GHI round 2")
		_, err := s.ListOrganizations(ctx, citylinks.OrganizationFilter{Kinds: []citylinks.OrgKind{"bogus"}})
		require.ErrorIs(t, err, citylinks.ErrInvalid)
	})

	t.Run("Canceled", func(t *testing.T) {
		s := newStore(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		o := sampleOrgs()[0]
		assert.ErrorIs(t, s.CreateOrganization(ctx, o), context.Canceled)
		assert.ErrorIs(t, s.PutOrganization(ctx, o), context.Canceled)
		_, err := s.GetOrganization(ctx, o.ID)
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, s.DeleteOrganization(ctx, o.ID), context.Canceled)
		_, err = s.ListOrganizations(ctx, citylinks.OrganizationFilter{})
		assert.ErrorIs(t, err, context.Canceled)
	})
}
