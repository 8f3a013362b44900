package storetest

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/hostile"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// testHostile puts every hostile value (package internal/hostile: quotes
// and SQL, spreadsheet formulas, HTML, XML specials and control characters,
// right-to-left and combining Unicode, 1 MB) into every text field of every
// stored type, through the store's own methods and the services over it,
// and reads it back unchanged. Where a field's rules refuse a value (a NUL
// byte anywhere; a control character in an id; ';' or '=' in a
// disaggregation category; more than 64 KiB in package report's text) the
// write fails with a *citylinks.ValidationError naming the field and
// stores nothing.
func testHostile(t *testing.T, newStore Factory) {
	t.Run("Cities", func(t *testing.T) { testHostileCities(t, newStore(t)) })
	t.Run("CityImport", func(t *testing.T) { testHostileCityImport(t, newStore(t)) })
	t.Run("Organizations", func(t *testing.T) { testHostileOrganizations(t, newStore(t)) })
	t.Run("Programs", func(t *testing.T) { testHostilePrograms(t, newStore(t)) })
	t.Run("Partnerships", func(t *testing.T) { testHostilePartnerships(t, newStore(t)) })
	t.Run("Report", func(t *testing.T) { testHostileReport(t, newStore(t)) })
	t.Run("Refused", func(t *testing.T) { testHostileRefused(t, newStore(t)) })
}

// hostileID returns v as an id where ids may hold it, else a plain id.
func hostileID(v hostile.Value, i int) string {
	if v.ID {
		return v.Text
	}
	return fmt.Sprintf("hostile-%02d", i)
}

// requireField asserts that err is a *citylinks.ValidationError whose field
// is field, or ends with "."+field (a command's field inside an event).
func requireField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve, "want a *citylinks.ValidationError naming %s", field)
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
	if ve.Field != field && !strings.HasSuffix(ve.Field, "."+field) {
		t.Errorf("error names field %q, want %q: %v", ve.Field, field, err)
	}
}

// pageAll pages through a List method, three records a page, and returns
// the records by id.
func pageAll[T any](t *testing.T, list func(after string) (citylinks.Page[T], error), id func(T) string) map[string]T {
	t.Helper()
	out := map[string]T{}
	after := ""
	for {
		page, err := list(after)
		require.NoError(t, err)
		for _, x := range page.Items {
			out[id(x)] = x
		}
		if page.Next == "" {
			return out
		}
		after = page.Next
	}
}

func hostileCity(v hostile.Value, i int) citylinks.City {
	return citylinks.City{ID: hostileID(v, i), Name: v.Text, Country: "KE", AdminCode: v.Text, AdminName: v.Text,
		Population: int64(i), Location: &citylinks.LatLon{Lat: -1.28, Lon: 36.8}, TimeZone: "Africa/Nairobi"}
}

func testHostileCities(t *testing.T, s Store) {
	ctx := t.Context()
	want := map[string]citylinks.City{}
	for i, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			c := hostileCity(v, i)
			require.NoError(t, s.CreateCity(ctx, c))
			got, err := s.GetCity(ctx, c.ID)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(c, got), "GetCity(%q) differs from what was stored", v.Name)
			assert.ErrorIs(t, s.CreateCity(ctx, c), citylinks.ErrConflict, "the id %q is taken", v.Name)
			want[c.ID] = c
		})
	}
	// Every city lists back exactly, and the table is still there.
	got := pageAll(t, func(after string) (citylinks.Page[citylinks.City], error) {
		return s.ListCities(ctx, citylinks.CityFilter{After: after, Limit: 3})
	}, func(c citylinks.City) string { return c.ID })
	assert.Empty(t, cmp.Diff(want, got), "ListCities differs from what was stored")
}

// testHostileCityImport writes the hostile cities as a GeoNames CSV file,
// streams it through ReadGeoNames into ImportCities, and reads them back.
func testHostileCityImport(t *testing.T, s Store) {
	ctx := t.Context()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.Write([]string{"geonameid", "name", "country_code", "admin1_code", "admin1_name", "population", "latitude", "longitude", "elevation_m", "dem_m", "timezone"}))
	var want []citylinks.City
	for i, v := range hostile.Values() {
		c := hostileCity(v, i)
		c.ID = strconv.Itoa(1000 + i) // GeoNames ids are numbers
		want = append(want, c)
		require.NoError(t, w.Write([]string{c.ID, c.Name, c.Country, c.AdminCode, c.AdminName, strconv.Itoa(i), "-1.28", "36.8", "", "", c.TimeZone}))
	}
	w.Flush()
	res, err := s.ImportCities(ctx, citylinks.ReadGeoNames(&buf, nil), nil)
	require.NoError(t, err)
	assert.Equal(t, len(want), res.Imported)
	for i, c := range want {
		got, err := s.GetCity(ctx, c.ID)
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(c, got), "%s: imported city differs", hostile.Values()[i].Name)
	}
}

func testHostileOrganizations(t *testing.T, s Store) {
	ctx := t.Context()
	want := map[string]citylinks.Organization{}
	for i, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			id := hostileID(v, i)
			o := citylinks.Organization{ID: id, Name: v.Text, Kind: citylinks.KindConsortium, Country: "US", CityID: id,
				Members: []citylinks.Member{{ID: "a:" + id, Name: v.Text, Kind: citylinks.KindCity}, {ID: "b:" + id, Name: v.Text, Kind: citylinks.KindCounty}}}
			require.NoError(t, s.CreateOrganization(ctx, o))
			got, err := s.GetOrganization(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(o, got))
			want[id] = o
		})
	}
	got := pageAll(t, func(after string) (citylinks.Page[citylinks.Organization], error) {
		return s.ListOrganizations(ctx, citylinks.OrganizationFilter{After: after, Limit: 3})
	}, func(o citylinks.Organization) string { return o.ID })
	assert.Empty(t, cmp.Diff(want, got), "ListOrganizations differs from what was stored")
}

func testHostilePrograms(t *testing.T, s Store) {
	ctx := t.Context()
	for _, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			note, err := json.Marshal(map[string]string{"note": v.Text})
			require.NoError(t, err)
			p := citylinks.Program{ID: "hostile-" + v.Name, Name: v.Text, Funder: v.Text, Description: v.Text, Notes: v.Text,
				Start: citylinks.Date{Year: 2015, Month: time.January, Day: 6}, FocusAreas: []string{citylinks.FocusClimate},
				Challenges: []citylinks.Challenge{{FocusArea: citylinks.FocusClimate, Statement: v.Text}},
				Sources:    []string{v.Text, v.Text}, Eligibility: note}
			require.NoError(t, s.CreateProgram(ctx, p))
			got, err := s.GetProgram(ctx, p.ID)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(p, got, cmp.Comparer(func(a, b json.RawMessage) bool { return bytes.Equal(a, b) })))
		})
	}
}

// hostileCommands returns the commands that put v into every text field a
// partnership records, in an order its lifecycle allows. host is the host
// party's organization id.
func hostileCommands(v, host string) []partnership.Command {
	parties := pt.ShimlaBoulder()
	for i := range parties {
		parties[i].Name = v
	}
	parties[0].Organization = host
	plan := partnership.WorkPlan{
		Objectives: []partnership.Objective{{Code: "O1", Text: v}},
		Exchanges:  []partnership.PlannedExchange{{From: pt.Boulder, To: host, Purpose: v}},
		Indicators: []string{"capp-1"},
	}
	return []partnership.Command{
		partnership.Propose{Title: v, Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Parties: parties, Notes: v, On: pt.D(2015, 3, 23)},
		partnership.Ratify{Party: pt.Boulder, Body: v, On: pt.D(2015, 4, 7)},
		partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: v, Title: v}}, End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)},
		partnership.DraftWorkPlan{Plan: plan, On: pt.D(2015, 5, 12)},
		partnership.AgreeWorkPlan{Plan: plan, On: pt.D(2015, 5, 15)},
		partnership.RecordExchange{Exchange: partnership.Exchange{ID: "x1", From: pt.Boulder, To: host, Start: pt.D(2015, 5, 10), End: pt.D(2015, 5, 16),
			Purpose: v, Status: partnership.ExchangeDone, Participants: []partnership.Participant{{Name: v, Party: pt.Boulder, Title: v}}}},
		partnership.RecordContribution{Contribution: partnership.Contribution{ID: "c1", Party: pt.Boulder, Person: v, Date: pt.D(2015, 5, 16),
			Minutes: 90, Description: v}},
		partnership.Suspend{Reason: v, On: pt.D(2015, 8, 1)},
		partnership.Resume{On: pt.D(2015, 9, 1)},
		partnership.Extend{End: pt.D(2016, 9, 30), Reason: v, On: pt.D(2015, 12, 1)},
		partnership.Terminate{Reason: v, On: pt.D(2016, 1, 4)},
	}
}

// hostileTexts returns every text field of p that hostileCommands fills.
func hostileTexts(p partnership.Partnership) map[string]string {
	m := map[string]string{"title": p.Title, "notes": p.Notes, "reason": p.Reason}
	for i, x := range p.Parties {
		m[fmt.Sprintf("parties[%d].name", i)] = x.Name
	}
	for _, r := range p.Ratifications {
		m["ratification.body"] = r.Body
	}
	if p.Agreement != nil {
		for _, sg := range p.Agreement.Signatories {
			m["signatory.name"], m["signatory.title"] = sg.Name, sg.Title
		}
	}
	for name, w := range map[string]*partnership.WorkPlan{"draft": p.Draft, "plan": p.WorkPlan} {
		if w != nil {
			m[name+".objective"], m[name+".exchange.purpose"] = w.Objectives[0].Text, w.Exchanges[0].Purpose
		}
	}
	for _, x := range p.Exchanges {
		m["exchange.purpose"], m["participant.name"], m["participant.title"] = x.Purpose, x.Participants[0].Name, x.Participants[0].Title
	}
	for _, c := range p.Contributions {
		m["contribution.person"], m["contribution.description"] = c.Person, c.Description
	}
	for _, e := range p.Extensions {
		m["extension.reason"] = e.Reason
	}
	return m
}

func testHostilePartnerships(t *testing.T, s Store) {
	ctx := t.Context()
	svc := partnership.NewService(s, &partnership.Options{Now: (&pt.Clock{}).Now})
	for i, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			id, host := hostileID(v, i), pt.Shimla
			if v.ID {
				host = v.Text
			}
			var p partnership.Partnership
			for _, c := range hostileCommands(v.Text, host) {
				var err error
				p, err = svc.Execute(ctx, pt.Facilitator, id, c)
				require.NoError(t, err, "%s", c.Action())
			}
			require.Equal(t, partnership.StateTerminated, p.State)
			texts := hostileTexts(p)
			require.Len(t, texts, 20, "every text field is filled: %v", texts)
			for field, got := range texts {
				assert.True(t, got == v.Text, "%s: the command's %s changed on its way in", v.Name, field)
			}
			events, err := s.LoadPartnership(ctx, id)
			require.NoError(t, err)
			loaded, err := partnership.Fold(events)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(p, loaded), "the stored stream folds to another partnership")
			for field, got := range hostileTexts(loaded) {
				assert.True(t, got == v.Text, "%s: %s changed in storage", v.Name, field)
			}
			sum := checkProjection(t, s, id)
			assert.True(t, sum.Title == v.Text, "the listed title changed in storage")
			page, err := s.ListPartnerships(ctx, partnership.Filter{Organizations: []string{host}, Limit: citylinks.MaxPageSize})
			require.NoError(t, err)
			found := false
			for _, x := range page.Items {
				found = found || x.ID == id
			}
			assert.True(t, found, "the organization filter finds host %q", v.Name)
		})
	}
}

// hostileActivity returns an activity with v in every text field, linked
// to indicator "HOSTILE-1".
func hostileActivity(id, v string) report.Activity {
	org := "org:" + id
	return report.Activity{ID: id, Title: v, Description: v, Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Country: "ZA",
		PlannedStart: pt.D(2015, 1, 1), PlannedEnd: pt.D(2016, 12, 31), Status: report.StatusImplementation, Schedule: report.Annual,
		Participants: []report.ParticipatingOrg{{Organization: org, Name: v, Role: report.RoleImplementing, Type: "11"}},
		Objectives:   []report.Objective{{Code: "obj-1", Text: v, Indicators: []string{"HOSTILE-1"}}}}
}

func hostileIndicator(v string) report.Indicator {
	return report.Indicator{Code: "HOSTILE-1", Name: v, Description: v, Unit: v, Measure: report.MeasureUnit, Direction: report.Increase,
		Aggregation: report.Sum, Dimensions: []string{"sex"}, FocusArea: citylinks.FocusClimate,
		References: []report.Reference{{Vocabulary: "99", Code: "H-1", Source: v, Note: v}}}
}

func testHostileReport(t *testing.T, s Store) {
	ctx := t.Context()
	now := time.Date(2016, 6, 30, 12, 0, 0, 0, time.UTC)
	svc := report.NewService(s, &report.Options{Now: func() time.Time { return now }})
	fac, mon := pt.Facilitator, pt.Actor("me-unit", citylinks.RoleMonitor)
	// The indicator once, with a plain name; every value in turn below.
	require.NoError(t, svc.DefineIndicator(ctx, fac, hostileIndicator("hostile values")))
	for i, v := range hostile.Values() {
		t.Run(v.Name, func(t *testing.T) {
			long := len(v.Text) > report.MaxTextLen
			in := hostileIndicator(v.Text)
			before, err := s.GetIndicator(ctx, in.Code)
			require.NoError(t, err)
			err = svc.DefineIndicator(ctx, fac, in)
			if long {
				requireField(t, err, "name")
				got, err := s.GetIndicator(ctx, in.Code)
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(before, got), "a refused indicator stored nothing")
			} else {
				require.NoError(t, err)
				got, err := s.GetIndicator(ctx, in.Code)
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(in, got))
			}

			id := hostileID(v, i)
			a := hostileActivity(id, v.Text)
			err = svc.RegisterActivity(ctx, fac, a)
			if long {
				requireField(t, err, "title")
				_, err := s.GetActivity(ctx, id)
				assert.ErrorIs(t, err, citylinks.ErrNotFound, "a refused activity stored nothing")
				a = hostileActivity(id, "plain")
				require.NoError(t, svc.RegisterActivity(ctx, fac, a))
			} else {
				require.NoError(t, err)
			}
			got, err := s.GetActivity(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(a, got))

			reporter := v.Text
			if !v.ID {
				reporter = ""
			}
			dis := report.Disaggregation{"sex": v.Text}
			if !v.Category {
				dis = report.Disaggregation{"sex": "female"}
			}
			obs := []report.Observation{
				{ID: "t:" + id, Partnership: id, Indicator: "HOSTILE-1", Kind: report.KindTarget, Period: report.Year(2016), Value: 10, Comment: v.Text, Source: v.Text, Reporter: reporter},
				{ID: "a:" + id, Partnership: id, Indicator: "HOSTILE-1", Kind: report.KindActual, Period: report.Year(2016), Value: 4, Disaggregation: dis, Comment: v.Text, Source: v.Text, Reporter: reporter},
			}
			err = svc.Record(ctx, fac, obs...)
			if long {
				requireField(t, err, "comment")
				page, err := s.ListObservations(ctx, report.ObservationFilter{Partnership: id})
				require.NoError(t, err)
				assert.Empty(t, page.Items, "a refused batch stored nothing")
				return
			}
			require.NoError(t, err)
			page, err := s.ListObservations(ctx, report.ObservationFilter{Partnership: id})
			require.NoError(t, err)
			for j := range obs {
				obs[j].RecordedAt, obs[j].Owner = now, fac.Organization
				if obs[j].Reporter == "" {
					obs[j].Reporter = fac.ID
				}
			}
			assert.Empty(t, cmp.Diff([]report.Observation{obs[1], obs[0]}, page.Items, cmpopts.EquateEmpty(),
				cmp.Comparer(func(a, b report.Period) bool { return a == b })), "observations changed in storage")
			if v.Category {
				rows, err := svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership, report.ByDisaggregation("sex")}, Partnerships: []string{id}, Kinds: []report.Kind{report.KindActual}})
				require.NoError(t, err)
				require.Len(t, rows.Rows, 1)
				assert.Equal(t, []string{id, v.Text}, rows.Rows[0].Group, "the category groups a roll-up unchanged")
			}

			c := report.Contribution{ID: "c:" + id, Partnership: id, Organization: "org:" + id, Date: pt.D(2016, 2, 1), Hours: 3, Description: v.Text}
			require.NoError(t, svc.RecordContributions(ctx, fac, c))
			c.Owner = fac.Organization
			cs, err := s.ListContributions(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff([]report.Contribution{c}, cs))

			_, err = svc.Submit(ctx, fac, id, report.Year(2016))
			require.NoError(t, err)
			ap, err := svc.Return(ctx, mon, id, report.Year(2016), v.Text)
			require.NoError(t, err)
			assert.True(t, ap.Comment == v.Text, "Return's comment changed")
			hist, err := s.ApprovalHistory(ctx, id, report.Year(2016))
			require.NoError(t, err)
			require.Len(t, hist, 2)
			assert.True(t, hist[1].Comment == v.Text, "the comment changed in the approval history")
			stored, err := s.GetApproval(ctx, id, report.Year(2016))
			require.NoError(t, err)
			assert.True(t, stored.Comment == v.Text, "the comment changed in the approval")
		})
	}
}

// refusal is one write that must be refused with a field named, storing
// nothing.
type refusal struct {
	name  string
	field string
	write func(ctx context.Context) error
	// stored reports whether anything of the write is in the store.
	stored func(ctx context.Context) bool
}

// testHostileRefused: a NUL byte in any text field, a control character in
// an id and a bad disaggregation category are refused with a
// *citylinks.ValidationError naming the field, and nothing is stored.
func testHostileRefused(t *testing.T, s Store) {
	ctx := t.Context()
	psvc := partnership.NewService(s, &partnership.Options{Now: (&pt.Clock{}).Now})
	rsvc := report.NewService(s, nil)
	fac := pt.Facilitator
	_, err := pt.ToActive(ctx, psvc, "p")
	require.NoError(t, err)
	require.NoError(t, rsvc.DefineIndicator(ctx, fac, hostileIndicator("plain")))
	require.NoError(t, rsvc.RegisterActivity(ctx, fac, hostileActivity("r", "plain")))

	nul := hostile.NUL
	version := func(ctx context.Context) int64 {
		events, err := s.LoadPartnership(ctx, "p")
		require.NoError(t, err)
		return int64(len(events))
	}
	v0 := version(ctx)
	grew := func(ctx context.Context) bool { return version(ctx) != v0 }
	cityStored := func(ctx context.Context) bool {
		page, err := s.ListCities(ctx, citylinks.CityFilter{})
		require.NoError(t, err)
		return len(page.Items) > 0
	}
	orgStored := func(id string) func(context.Context) bool {
		return func(ctx context.Context) bool {
			_, err := s.GetOrganization(ctx, id)
			return !errors.Is(err, citylinks.ErrNotFound)
		}
	}
	programStored := func(ctx context.Context) bool {
		_, err := s.GetProgram(ctx, "refused")
		return !errors.Is(err, citylinks.ErrNotFound)
	}
	observed := func(ctx context.Context) bool {
		page, err := s.ListObservations(ctx, report.ObservationFilter{Partnership: "r"})
		require.NoError(t, err)
		return len(page.Items) > 0
	}
	city := func(f func(*citylinks.City)) func(context.Context) error {
		c := citylinks.City{ID: "refused", Name: "x", Country: "KE"}
		f(&c)
		return func(ctx context.Context) error { return s.CreateCity(ctx, c) }
	}
	org := func(f func(*citylinks.Organization)) func(context.Context) error {
		o := citylinks.Organization{ID: "refused", Name: "x", Kind: citylinks.KindCity}
		f(&o)
		return func(ctx context.Context) error { return s.CreateOrganization(ctx, o) }
	}
	program := func(f func(*citylinks.Program)) func(context.Context) error {
		p := citylinks.Program{ID: "refused", Name: "x", Start: pt.D(2015, 1, 1), FocusAreas: []string{citylinks.FocusClimate}}
		f(&p)
		return func(ctx context.Context) error { return s.CreateProgram(ctx, p) }
	}
	command := func(c partnership.Command) func(context.Context) error {
		return func(ctx context.Context) error { _, err := psvc.Execute(ctx, fac, "p", c); return err }
	}
	exchange := partnership.Exchange{ID: "xr", From: pt.Boulder, To: pt.Shimla, Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 5), Purpose: "x", Status: partnership.ExchangeDone}
	record := func(f func(*report.Observation)) func(context.Context) error {
		o := report.Observation{ID: "refused", Partnership: "r", Indicator: "HOSTILE-1", Kind: report.KindActual, Period: report.Year(2016), Value: 1}
		f(&o)
		return func(ctx context.Context) error { return rsvc.Record(ctx, fac, o) }
	}
	activity := func(f func(*report.Activity)) func(context.Context) error {
		a := hostileActivity("refused", "x")
		f(&a)
		return func(ctx context.Context) error { return rsvc.RegisterActivity(ctx, fac, a) }
	}
	activityStored := func(ctx context.Context) bool {
		_, err := s.GetActivity(ctx, "refused")
		return !errors.Is(err, citylinks.ErrNotFound)
	}
	contributed := func(ctx context.Context) bool {
		cs, err := s.ListContributions(ctx, "r")
		require.NoError(t, err)
		return len(cs) > 0
	}
	cases := []refusal{
		{"city name NUL", "name", city(func(c *citylinks.City) { c.Name = nul }), cityStored},
		{"city admin name NUL", "admin_name", city(func(c *citylinks.City) { c.AdminName = nul }), cityStored},
		{"city id with ESC", "id", city(func(c *citylinks.City) { c.ID = "a\x1bb" }), cityStored},
		{"city id with CR", "id", city(func(c *citylinks.City) { c.ID = "a\rb" }), cityStored},
		{"city id of 1 MB", "id", city(func(c *citylinks.City) { c.ID = hostile.Long() }), cityStored},
		{"organization name NUL", "name", org(func(o *citylinks.Organization) { o.Name = nul }), orgStored("refused")},
		{"organization member name NUL", "members[1].name", org(func(o *citylinks.Organization) {
			o.Members = []citylinks.Member{{ID: "m1", Name: "x", Kind: citylinks.KindCity}, {ID: "m2", Name: nul, Kind: citylinks.KindCity}}
		}), orgStored("refused")},
		{"program name NUL", "name", program(func(p *citylinks.Program) { p.Name = nul }), programStored},
		{"program notes NUL", "notes", program(func(p *citylinks.Program) { p.Notes = nul }), programStored},
		{"program source NUL", "sources[0]", program(func(p *citylinks.Program) { p.Sources = []string{nul} }), programStored},
		{"program challenge NUL", "challenges[0].statement", program(func(p *citylinks.Program) {
			p.Challenges = []citylinks.Challenge{{FocusArea: citylinks.FocusClimate, Statement: nul}}
		}), programStored},
		{"partnership title NUL", "title", func(ctx context.Context) error {
			c := pt.Proposal("refused")
			c.Title = nul
			_, err := psvc.Propose(ctx, fac, c)
			return err
		}, func(ctx context.Context) bool {
			_, err := s.LoadPartnership(ctx, "refused")
			return !errors.Is(err, citylinks.ErrNotFound)
		}},
		{"party name NUL", "parties[1].name", func(ctx context.Context) error {
			c := pt.Proposal("refused")
			c.Parties[1].Name = nul
			_, err := psvc.Propose(ctx, fac, c)
			return err
		}, func(ctx context.Context) bool {
			_, err := s.LoadPartnership(ctx, "refused")
			return !errors.Is(err, citylinks.ErrNotFound)
		}},
		{"exchange purpose NUL", "purpose", command(partnership.RecordExchange{Exchange: func() partnership.Exchange { x := exchange; x.Purpose = nul; return x }()}), grew},
		{"participant name NUL", "participants[0].name", command(partnership.RecordExchange{Exchange: func() partnership.Exchange {
			x := exchange
			x.Participants = []partnership.Participant{{Name: nul, Party: pt.Boulder}}
			return x
		}()}), grew},
		{"contribution description NUL", "description", command(partnership.RecordContribution{Contribution: partnership.Contribution{
			ID: "cr", Party: pt.Boulder, Person: "p", Date: pt.D(2015, 6, 2), Minutes: 5, Description: nul}}), grew},
		{"work plan objective NUL", "objectives[0].text", command(partnership.DraftWorkPlan{Plan: partnership.WorkPlan{Objectives: []partnership.Objective{{Text: nul}}}}), grew},
		{"suspension reason NUL", "reason", command(partnership.Suspend{Reason: nul}), grew},
		{"termination reason NUL", "reason", command(partnership.Terminate{Reason: nul}), grew},
		{"activity title NUL", "title", activity(func(a *report.Activity) { a.Title = nul }), activityStored},
		{"activity title of 1 MB", "title", activity(func(a *report.Activity) { a.Title = hostile.Long() }), activityStored},
		{"participant name NUL (report)", "participants[0].name", activity(func(a *report.Activity) { a.Participants[0].Name = nul }), activityStored},
		{"objective text NUL (report)", "objectives[0].text", activity(func(a *report.Activity) { a.Objectives[0].Text = nul }), activityStored},
		{"observation comment NUL", "comment", record(func(o *report.Observation) { o.Comment = nul }), observed},
		{"observation source NUL", "source", record(func(o *report.Observation) { o.Source = nul }), observed},
		{"observation comment of 1 MB", "comment", record(func(o *report.Observation) { o.Comment = hostile.Long() }), observed},
		{"observation reporter with ESC", "reporter", record(func(o *report.Observation) { o.Reporter = "a\x1b" }), observed},
		{"disaggregation category with ';'", "disaggregation.sex", record(func(o *report.Observation) {
			o.Disaggregation = report.Disaggregation{"sex": "'; DROP TABLE cities; --"}
		}), observed},
		{"disaggregation category with '='", "disaggregation.sex", record(func(o *report.Observation) { o.Disaggregation = report.Disaggregation{"sex": `=HYPERLINK("x")`} }), observed},
		{"disaggregation category with CR", "disaggregation.sex", record(func(o *report.Observation) { o.Disaggregation = report.Disaggregation{"sex": "a\rb"} }), observed},
		{"contribution description NUL (report)", "description", func(ctx context.Context) error {
			return rsvc.RecordContributions(ctx, fac, report.Contribution{ID: "cr", Partnership: "r", Organization: "o", Date: pt.D(2016, 1, 1), Hours: 1, Description: nul})
		}, contributed},
		{"event title NUL, appended to the store directly", "title", func(ctx context.Context) error {
			e := pt.Stream("refused", 1, t0)
			e[0].Data.(*partnership.Proposed).Title = nul
			return s.AppendPartnership(ctx, "refused", 0, e)
		}, func(ctx context.Context) bool {
			_, err := s.LoadPartnership(ctx, "refused")
			return !errors.Is(err, citylinks.ErrNotFound)
		}},
		{"observation comment NUL, recorded in the store directly", "comment", func(ctx context.Context) error {
			return s.RecordObservations(ctx, report.WriteAll(report.Observation{ID: "refused", Partnership: "r", Indicator: "HOSTILE-1", Kind: report.KindActual,
				Period: report.Year(2016), Value: 1, Comment: nul}))
		}, observed},
		{"indicator name NUL", "name", func(ctx context.Context) error {
			return rsvc.DefineIndicator(ctx, fac, hostileIndicator(nul))
		}, func(ctx context.Context) bool {
			in, err := s.GetIndicator(ctx, "HOSTILE-1")
			require.NoError(t, err)
			return in.Name != "plain"
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			requireField(t, c.write(ctx), c.field)
			assert.False(t, c.stored(ctx), "a refused write left a trace")
		})
	}
	// A return comment with a NUL is refused before the store.
	_, err = rsvc.Submit(ctx, fac, "r", report.Year(2016))
	require.NoError(t, err)
	_, err = rsvc.Return(ctx, pt.Actor("me-unit", citylinks.RoleMonitor), "r", report.Year(2016), nul)
	requireField(t, err, "comment")
	ap, err := s.GetApproval(ctx, "r", report.Year(2016))
	require.NoError(t, err)
	assert.Equal(t, report.StateSubmitted, ap.State, "a refused return changed nothing")
}
