package main

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
)

func TestRunTwice(t *testing.T) {
	dir := t.TempDir()
	cfg := config{dbPath: filepath.Join(dir, "db", "citylinks.db"), outDir: dir}
	var first, second bytes.Buffer
	require.NoError(t, run(t.Context(), &first, cfg))
	require.NoError(t, run(t.Context(), &second, cfg))
	assert.Contains(t, first.String(), "Loaded 32847 GeoNames cities")
	assert.Contains(t, first.String(), "Replayed the 9 documented")
	assert.Contains(t, second.String(), "0 replayed now, 9 found from an earlier run")
	assert.Contains(t, first.String(), "8 pairs proposed")
	assert.Contains(t, first.String(), "Valparaíso                   ineligible: the World Bank classified Chile as high income in FY15")
	assert.Contains(t, second.String(), "found the 8 partnerships it proposed in an earlier run")
	assert.Contains(t, second.String(), "advanced by an earlier run (50 steps found); nothing to add")
	assert.Contains(t, second.String(), "agreed 2  active 10  closing 4  declined 1", "a second run changes no state")

	f, err := os.Open(filepath.Join(dir, "cities_summary.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	total := 0
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(r[2])
		require.NoError(t, err)
		if r[0] == "M49 region" {
			total += n
		}
	}
	assert.Equal(t, dataset.CityRows-21, total, "every city but Kosovo's 21 is in one M49 region")
}

func TestRunOnPostgres(t *testing.T) {
	pool := postgrestest.NewPool(t, 0)
	// The quickstart opens its own pool from a URL; point it at the test
	// schema through the search_path parameter.
	u, err := url.Parse(postgrestest.URL(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", pool.Config().ConnConfig.RuntimeParams["search_path"])
	u.RawQuery = q.Encode()
	cfg := config{outDir: t.TempDir(), postgres: u.String()}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, cfg))
	assert.Contains(t, out.String(), "Replayed the 9 documented")
	assert.Contains(t, out.String(), "agreed 2  active 10  closing 4  declined 1")
}

func TestDocumentedOrganizationsMatchTheCityTable(t *testing.T) {
	cities := map[string]citylinks.City{}
	for c, err := range citylinks.ReadGeoNames(dataset.Cities(), nil) {
		require.NoError(t, err)
		cities[c.ID] = c
	}
	for _, o := range documentedOrgs {
		require.NoError(t, o.Validate(), o.ID)
		if o.CityID == "" {
			continue
		}
		c, ok := cities[o.CityID]
		if assert.True(t, ok, "%s: GeoNames id %s is not in the table", o.ID, o.CityID) {
			assert.Equal(t, o.Country, c.Country, "%s: GeoNames %s is %s", o.ID, o.CityID, c.Name)
		}
	}
}

func TestReplayKeepsCompositeParties(t *testing.T) {
	dir := t.TempDir()
	cfg := config{dbPath: filepath.Join(dir, "citylinks.db"), outDir: dir}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, cfg))
	store, _, err := open(t.Context(), cfg)
	require.NoError(t, err)
	defer store.Close()
	svc := partnership.NewService(store, nil)
	icma := citylinks.Actor{ID: "t", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleViewer}}
	p, err := svc.Get(t.Context(), icma, "CL11-DUR-FTL")
	require.NoError(t, err)
	res, ok := p.Party("ftl-broward")
	require.True(t, ok)
	assert.Len(t, res.Members, 2, "Fort Lauderdale + Broward County stay one composite party")
	assert.Equal(t, partnership.StateActive, p.State)
	require.Len(t, p.Exchanges, 1)
	assert.Equal(t, "2013-07-01", p.Exchanges[0].Start.String())

	shimla, err := svc.Get(t.Context(), icma, "CL11-SHI-BOU")
	require.NoError(t, err)
	assert.Equal(t, partnership.StateClosing, shimla.State)
	assert.Equal(t, "2015-03-23", shimla.ProposedOn.String())
}

// TestAdvanceContinues: a run that stopped part-way through the round's
// scripts is continued, not repeated.
func TestAdvanceContinues(t *testing.T) {
	dir := t.TempDir()
	cfg := config{dbPath: filepath.Join(dir, "citylinks.db"), outDir: dir}
	store, _, err := open(t.Context(), cfg)
	require.NoError(t, err)
	defer store.Close()
	require.NoError(t, store.Migrate(t.Context()))
	e := &env{w: &bytes.Buffer{}, core: store, parts: store, svc: partnership.NewService(store, nil),
		icma: citylinks.Actor{ID: "quickstart@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}}
	_, err = loadCities(t.Context(), e)
	require.NoError(t, err)
	_, err = replayDocumented(t.Context(), e)
	require.NoError(t, err)
	round, err := runRound(t.Context(), e)
	require.NoError(t, err)

	// Do the first three steps of the first partnership's script by hand.
	ids := slices.Sorted(slices.Values(round.ids))
	p, err := e.svc.Get(t.Context(), e.icma, ids[0])
	require.NoError(t, err)
	script := roundScript(0, len(ids), p)
	for _, s := range script[:3] {
		_, err := e.svc.Execute(t.Context(), s.actor, ids[0], s.cmd)
		require.NoError(t, err)
	}
	adv, err := advanceRound(t.Context(), e, round.ids)
	require.NoError(t, err)
	assert.Equal(t, 3, adv.skipped)
	assert.Equal(t, 50-3, adv.steps)
	p, err = e.svc.Get(t.Context(), e.icma, ids[0])
	require.NoError(t, err)
	assert.Equal(t, int64(1+len(script)), p.Version, "every script step recorded exactly once")
	assert.Equal(t, partnership.StateClosing, p.State)
}
