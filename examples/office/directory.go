package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
)

// directoryData is what the directory shows.
type directoryData struct {
	Filter     filterForm
	Items      []partnership.Summary
	Next       string // cursor of the next page, if any
	Map        worldMap
	States     []partnership.State
	FocusAreas []citylinks.FocusArea
	Programs   []citylinks.Program
}

// filterForm is the directory's filter, as the form sent it.
type filterForm struct {
	State, FocusArea, Program, Country, Organization, After string
}

// filter turns the form into the library's filter.
func (f filterForm) filter() (partnership.Filter, error) {
	var pf partnership.Filter
	if f.State != "" {
		pf.States = []partnership.State{partnership.State(f.State)}
	}
	if f.FocusArea != "" {
		pf.FocusAreas = []string{f.FocusArea}
	}
	if f.Program != "" {
		pf.Programs = []string{f.Program}
	}
	if f.Country != "" {
		pf.HostCountries = []string{strings.ToUpper(strings.TrimSpace(f.Country))}
	}
	if f.Organization != "" {
		pf.Organizations = []string{strings.TrimSpace(f.Organization)}
	}
	pf.After = f.After
	pf.Limit = 50
	return pf, pf.Validate()
}

// directory lists the partnerships the actor may read (the library leaves
// the others out: a coordinator sees its own organization's only), with
// the filters of partnership.Filter and a map of the pairs.
func (s *server) directory(w http.ResponseWriter, r *http.Request, sess *session) error {
	q := r.URL.Query()
	f := filterForm{State: q.Get("state"), FocusArea: q.Get("focus"), Program: q.Get("program"),
		Country: q.Get("country"), Organization: q.Get("org"), After: q.Get("after")}
	pf, err := f.filter()
	if err != nil {
		return err
	}
	page, err := s.env.Partnerships.List(r.Context(), actor(sess), pf)
	if err != nil {
		return err
	}
	m, err := s.mapOf(r.Context(), page.Items)
	if err != nil {
		return err
	}
	programs, err := s.env.Core.ListPrograms(r.Context(), citylinks.ProgramFilter{Limit: citylinks.MaxPageSize})
	if err != nil {
		return err
	}
	return s.show(w, sess, "directory", "Partnerships", directoryData{
		Filter: f, Items: page.Items, Next: page.Next, Map: m,
		States: partnership.States(), FocusAreas: citylinks.FocusAreas(), Programs: programs.Items,
	})
}

// worldMap is an equirectangular plot of the pairs: longitude −180…180 to
// x 0…720, latitude 90…−90 to y 0…360.
type worldMap struct {
	Width, Height int
	Grid          []gridLine
	Pairs         []mapPair
	Missing       []string // partnerships left off, with why
}

// gridLine is a meridian or parallel, with its label (30°E, 0°, 30°S)
// placed at LX, LY.
type gridLine struct {
	X1, Y1, X2, Y2, LX, LY float64
	Label                  string
	Equator                bool
}

// mapPair is one partnership's line from its host city to its resource
// city.
type mapPair struct {
	ID, Title, State     string
	Host, Resource       string
	HX, HY, RX, RY       float64
	HostName, ResourceNm string
}

const mapW, mapH = 720, 360

func project(p citylinks.LatLon) (x, y float64) {
	return (p.Lon + 180) / 360 * mapW, (90 - p.Lat) / 180 * mapH
}

// mapOf places each partnership's first host and first resource party at
// its organization's city (for a composite party, the first member linked
// to a city).
func (s *server) mapOf(ctx context.Context, items []partnership.Summary) (worldMap, error) {
	m := worldMap{Width: mapW, Height: mapH}
	for lon := -150; lon <= 150; lon += 30 {
		x, _ := project(citylinks.LatLon{Lon: float64(lon)})
		m.Grid = append(m.Grid, gridLine{X1: x, X2: x, Y2: mapH, LX: x + 2, LY: 10, Label: degrees(lon, "E", "W")})
	}
	for lat := -60; lat <= 60; lat += 30 {
		_, y := project(citylinks.LatLon{Lat: float64(lat)})
		m.Grid = append(m.Grid, gridLine{Y1: y, X2: mapW, Y2: y, LX: 2, LY: y - 2, Label: degrees(lat, "N", "S"), Equator: lat == 0})
	}
	cache := map[string]*citylinks.City{}
	for _, it := range items {
		host, hok := firstParty(it, partnership.PartyHost)
		res, rok := firstParty(it, partnership.PartyResource)
		if !hok || !rok {
			m.Missing = append(m.Missing, it.ID+": no host or no resource party")
			continue
		}
		hc, err := s.cityOf(ctx, host, cache)
		if err != nil {
			return m, err
		}
		rc, err := s.cityOf(ctx, res, cache)
		if err != nil {
			return m, err
		}
		if hc == nil || rc == nil {
			var which []string
			if hc == nil {
				which = append(which, host.Name)
			}
			if rc == nil {
				which = append(which, res.Name)
			}
			m.Missing = append(m.Missing, fmt.Sprintf("%s: no city with coordinates for %s", it.ID, strings.Join(which, " and ")))
			continue
		}
		p := mapPair{ID: it.ID, Title: it.Title, State: string(it.State), HostName: host.Name, ResourceNm: res.Name}
		p.HX, p.HY = project(*hc.Location)
		p.RX, p.RY = project(*rc.Location)
		m.Pairs = append(m.Pairs, p)
	}
	return m, nil
}

// degrees labels a meridian or parallel: 30°E, 0°, 60°S.
func degrees(v int, pos, neg string) string {
	switch {
	case v > 0:
		return fmt.Sprintf("%d°%s", v, pos)
	case v < 0:
		return fmt.Sprintf("%d°%s", -v, neg)
	}
	return "0°"
}

func firstParty(s partnership.Summary, role partnership.PartyRole) (partnership.Party, bool) {
	for _, p := range s.Parties {
		if p.Role == role {
			return p, true
		}
	}
	return partnership.Party{}, false
}

// cityOf returns the located city of a party's organization, or of the
// first member of a composite party that has one; nil if none has.
func (s *server) cityOf(ctx context.Context, p partnership.Party, cache map[string]*citylinks.City) (*citylinks.City, error) {
	for _, org := range append([]string{p.Organization}, memberIDs(p)...) {
		c, ok := cache[org]
		if !ok {
			var err error
			if c, err = s.lookupCity(ctx, org); err != nil {
				return nil, err
			}
			cache[org] = c
		}
		if c != nil {
			return c, nil
		}
	}
	return nil, nil
}

func memberIDs(p partnership.Party) []string {
	var ids []string
	for _, m := range p.Members {
		ids = append(ids, m.ID)
	}
	return ids
}

func (s *server) lookupCity(ctx context.Context, org string) (*citylinks.City, error) {
	o, err := s.env.Core.GetOrganization(ctx, org)
	if errors.Is(err, citylinks.ErrNotFound) {
		return nil, nil
	}
	if err != nil || o.CityID == "" {
		return nil, err
	}
	c, err := s.env.Core.GetCity(ctx, o.CityID)
	if errors.Is(err, citylinks.ErrNotFound) || err == nil && c.Location == nil {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}
