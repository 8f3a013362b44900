package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// maxScan bounds how many records one name search reads before it returns
// a page (perhaps short, perhaps empty) with a cursor to go on from.
const maxScan = 10 * citylinks.MaxPageSize

// reader checks that the actor may read reference data — cities,
// organizations, programs, the indicator catalogue — which every valid
// actor may: the library's policies scope partnerships and results, not
// the directory.
func (rq *request) reader() error {
	if err := rq.actor.Validate(); err != nil {
		return fmt.Errorf("api: %w: %w", citylinks.ErrForbidden, err)
	}
	return nil
}

// region reads the region filter parameters.
func (rq *request) region() citylinks.Region {
	return citylinks.Region{Countries: rq.list("country"), M49: rq.URL.Query().Get("m49")}
}

// population reads an optional population bound.
func (rq *request) population(name string) (*int64, error) {
	s := rq.URL.Query().Get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, &citylinks.ValidationError{Field: name, Problem: fmt.Sprintf("%q is not a whole number", errtext.Clip(s))}
	}
	return &n, nil
}

// search pages through a store list with a name filter: it reads pages of
// the store's until it has limit matches or has read maxScan records, and
// returns the matches with the cursor after the last record read.
func search[T any](limit int, cursor, name string, id func(T) string, nameOf func(T) string,
	list func(after string, limit int) (citylinks.Page[T], error)) (List[T], error) {
	if name == "" {
		p, err := list(cursor, limit)
		return List[T]{Items: nonNil(p.Items), Next: p.Next}, err
	}
	needle := strings.ToLower(name)
	out := List[T]{Items: []T{}}
	after := cursor
	for scanned := 0; scanned < maxScan; {
		p, err := list(after, citylinks.MaxPageSize)
		if err != nil {
			return List[T]{}, err
		}
		for _, it := range p.Items {
			scanned++
			after = id(it)
			if strings.Contains(strings.ToLower(nameOf(it)), needle) {
				out.Items = append(out.Items, it)
				if len(out.Items) == limit {
					out.Next = after
					return out, nil
				}
			}
		}
		if p.Next == "" {
			return out, nil
		}
	}
	out.Next = after
	return out, nil
}

func (h *Handler) listCities(rq *request) error {
	if err := rq.reader(); err != nil {
		return err
	}
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	f := citylinks.CityFilter{Region: rq.region()}
	if f.MinPopulation, err = rq.population("min_population"); err != nil {
		return err
	}
	if f.MaxPopulation, err = rq.population("max_population"); err != nil {
		return err
	}
	page, err := search(limit, cursor, rq.URL.Query().Get("name"),
		func(c citylinks.City) string { return c.ID }, func(c citylinks.City) string { return c.Name },
		func(after string, limit int) (citylinks.Page[citylinks.City], error) {
			f.After, f.Limit = after, limit
			return h.svc.Directory.ListCities(rq.Context(), f)
		})
	if err != nil {
		return err
	}
	out := List[City]{Items: make([]City, len(page.Items)), Next: page.Next}
	for i, c := range page.Items {
		out.Items[i] = cityOut(c)
	}
	return rq.writeJSON(http.StatusOK, out)
}

func (h *Handler) getCity(rq *request) error {
	if err := rq.reader(); err != nil {
		return err
	}
	c, err := h.svc.Directory.GetCity(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, cityOut(c))
}

func (h *Handler) listOrganizations(rq *request) error {
	if err := rq.reader(); err != nil {
		return err
	}
	limit, cursor, err := rq.page()
	if err != nil {
		return err
	}
	f := citylinks.OrganizationFilter{Region: rq.region()}
	for _, k := range rq.list("kind") {
		f.Kinds = append(f.Kinds, citylinks.OrgKind(k))
	}
	page, err := search(limit, cursor, rq.URL.Query().Get("name"),
		func(o citylinks.Organization) string { return o.ID }, func(o citylinks.Organization) string { return o.Name },
		func(after string, limit int) (citylinks.Page[citylinks.Organization], error) {
			f.After, f.Limit = after, limit
			return h.svc.Directory.ListOrganizations(rq.Context(), f)
		})
	if err != nil {
		return err
	}
	out := List[Organization]{Items: make([]Organization, len(page.Items)), Next: page.Next}
	for i, o := range page.Items {
		out.Items[i] = organizationOut(o)
	}
	return rq.writeJSON(http.StatusOK, out)
}

func (h *Handler) getOrganization(rq *request) error {
	if err := rq.reader(); err != nil {
		return err
	}
	o, err := h.svc.Directory.GetOrganization(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.writeJSON(http.StatusOK, organizationOut(o))
}
