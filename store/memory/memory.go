package memory

import (
	"context"
	"iter"
	"sort"
	"sync"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/storeerr"
)

// Store keeps everything in maps guarded by one lock. Values are copied in
// and out, so callers never share memory with the store.
type Store struct {
	mu     sync.RWMutex
	cities table[citylinks.City]
	orgs   table[citylinks.Organization]
	progs  table[citylinks.Program]
	parts  partnerships // partnership event streams, see partnership.go
	rep    reportState  // package report's data, see report.go
}

var (
	_ citylinks.Store = (*Store)(nil)
)

// New returns an empty Store. It is the same as new(Store).
func New() *Store { return new(Store) }

// Close does nothing; it exists so that Store satisfies storetest.Store.
func (s *Store) Close() error { return nil }

// table is a map with a lazily sorted key list for keyset paging.
type table[T any] struct {
	m      map[string]T
	sorted []string
	dirty  bool
}

func (t *table[T]) get(id string) (T, bool) {
	v, ok := t.m[id]
	return v, ok
}

func (t *table[T]) put(id string, v T) {
	if t.m == nil {
		t.m = make(map[string]T)
	}
	if _, ok := t.m[id]; !ok {
		t.dirty = true
	}
	t.m[id] = v
}

func (t *table[T]) del(id string) bool {
	if _, ok := t.m[id]; !ok {
		return false
	}
	delete(t.m, id)
	t.dirty = true
	return true
}

// keys returns the ids in byte order. The caller must hold the write lock if
// the table may be dirty.
func (t *table[T]) keys() []string {
	if t.dirty || len(t.sorted) != len(t.m) {
		t.sorted = t.sorted[:0]
		for k := range t.m {
			t.sorted = append(t.sorted, k)
		}
		sort.Strings(t.sorted)
		t.dirty = false
	}
	return t.sorted
}

// list returns up to limit values with ids after `after` that pass keep.
// Next is set when more matching values may follow.
func list[T any](t *table[T], after string, limit int, keep func(T) bool) citylinks.Page[T] {
	keys := t.keys()
	i := sort.SearchStrings(keys, after)
	if i < len(keys) && keys[i] == after {
		i++
	}
	var p citylinks.Page[T]
	last := ""
	for ; i < len(keys); i++ {
		v := t.m[keys[i]]
		if !keep(v) {
			continue
		}
		if len(p.Items) == limit {
			p.Next = last
			return p
		}
		p.Items = append(p.Items, v)
		last = keys[i]
	}
	return p
}

func notFound(kind, id string) error { return storeerr.NotFound(kind, id) }

func conflict(kind, id string) error { return storeerr.Exists(kind, id, nil) }

// CreateCity implements citylinks.Store.
func (s *Store) CreateCity(ctx context.Context, c citylinks.City) error {
	return s.putCity(ctx, c, false)
}

// PutCity implements citylinks.Store.
func (s *Store) PutCity(ctx context.Context, c citylinks.City) error {
	return s.putCity(ctx, c, true)
}

func (s *Store) putCity(ctx context.Context, c citylinks.City, replace bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cities.get(c.ID); ok && !replace {
		return conflict("city", c.ID)
	}
	s.cities.put(c.ID, c.Clone())
	return nil
}

// GetCity implements citylinks.Store.
func (s *Store) GetCity(ctx context.Context, id string) (citylinks.City, error) {
	if err := ctx.Err(); err != nil {
		return citylinks.City{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cities.get(id)
	if !ok {
		return citylinks.City{}, notFound("city", id)
	}
	return c.Clone(), nil
}

// DeleteCity implements citylinks.Store.
func (s *Store) DeleteCity(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.cities.del(id) {
		return notFound("city", id)
	}
	return nil
}

// ListCities implements citylinks.Store.
func (s *Store) ListCities(ctx context.Context, f citylinks.CityFilter) (citylinks.Page[citylinks.City], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[citylinks.City]{}, err
	}
	if err := f.Validate(); err != nil {
		return citylinks.Page[citylinks.City]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	codes, restricted, err := f.CountrySet()
	if err != nil {
		return citylinks.Page[citylinks.City]{}, err
	}
	s.mu.Lock() // keys() may re-sort
	defer s.mu.Unlock()
	p := list(&s.cities, f.After, limit, func(c citylinks.City) bool { return f.Match(c, codes, restricted) })
	for i := range p.Items {
		p.Items[i] = p.Items[i].Clone()
	}
	return p, nil
}

// ImportCities implements citylinks.Store. Rows are staged and applied
// under one lock at the end, so a failed import changes nothing.
func (s *Store) ImportCities(ctx context.Context, src iter.Seq2[citylinks.City, error], opts *citylinks.ImportOptions) (citylinks.ImportResult, error) {
	if err := ctx.Err(); err != nil {
		return citylinks.ImportResult{}, err
	}
	staged := make(map[string]citylinks.City)
	var order []string
	w := citylinks.CityBatchWriterFunc(func(ctx context.Context, cs []citylinks.City, replace bool) ([]bool, error) {
		stored := make([]bool, len(cs))
		s.mu.RLock()
		defer s.mu.RUnlock()
		for i, c := range cs {
			_, exists := s.cities.get(c.ID)
			_, dup := staged[c.ID]
			if (exists || dup) && !replace {
				continue
			}
			if !dup {
				order = append(order, c.ID)
			}
			staged[c.ID] = c.Clone()
			stored[i] = true
		}
		return stored, nil
	})
	res, err := citylinks.RunCityImport(ctx, src, opts, w)
	if err != nil {
		return citylinks.ImportResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return citylinks.ImportResult{}, err
	}
	replace := opts != nil && opts.Replace
	s.mu.Lock()
	defer s.mu.Unlock()
	if !replace {
		// A writer may have created one of the staged ids since it was
		// checked: the import then conflicts as a whole.
		for _, id := range order {
			if _, ok := s.cities.get(id); ok {
				return citylinks.ImportResult{}, conflict("city", id)
			}
		}
	}
	for _, id := range order {
		s.cities.put(id, staged[id])
	}
	return res, nil
}

// CreateOrganization implements citylinks.Store.
func (s *Store) CreateOrganization(ctx context.Context, o citylinks.Organization) error {
	return s.putOrg(ctx, o, false)
}

// PutOrganization implements citylinks.Store.
func (s *Store) PutOrganization(ctx context.Context, o citylinks.Organization) error {
	return s.putOrg(ctx, o, true)
}

func (s *Store) putOrg(ctx context.Context, o citylinks.Organization, replace bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs.get(o.ID); ok && !replace {
		return conflict("organization", o.ID)
	}
	s.orgs.put(o.ID, o.Clone())
	return nil
}

// GetOrganization implements citylinks.Store.
func (s *Store) GetOrganization(ctx context.Context, id string) (citylinks.Organization, error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Organization{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orgs.get(id)
	if !ok {
		return citylinks.Organization{}, notFound("organization", id)
	}
	return o.Clone(), nil
}

// DeleteOrganization implements citylinks.Store.
func (s *Store) DeleteOrganization(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.orgs.del(id) {
		return notFound("organization", id)
	}
	return nil
}

// ListOrganizations implements citylinks.Store.
func (s *Store) ListOrganizations(ctx context.Context, f citylinks.OrganizationFilter) (citylinks.Page[citylinks.Organization], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	if err := f.Validate(); err != nil {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	codes, restricted, err := f.CountrySet()
	if err != nil {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := list(&s.orgs, f.After, limit, func(o citylinks.Organization) bool { return f.Match(o, codes, restricted) })
	for i := range p.Items {
		p.Items[i] = p.Items[i].Clone()
	}
	return p, nil
}

// CreateProgram implements citylinks.Store.
func (s *Store) CreateProgram(ctx context.Context, p citylinks.Program) error {
	return s.putProgram(ctx, p, false)
}

// PutProgram implements citylinks.Store.
func (s *Store) PutProgram(ctx context.Context, p citylinks.Program) error {
	return s.putProgram(ctx, p, true)
}

func (s *Store) putProgram(ctx context.Context, p citylinks.Program, replace bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.progs.get(p.ID); ok && !replace {
		return conflict("program", p.ID)
	}
	s.progs.put(p.ID, p.Clone())
	return nil
}

// GetProgram implements citylinks.Store.
func (s *Store) GetProgram(ctx context.Context, id string) (citylinks.Program, error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Program{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.progs.get(id)
	if !ok {
		return citylinks.Program{}, notFound("program", id)
	}
	return p.Clone(), nil
}

// DeleteProgram implements citylinks.Store.
func (s *Store) DeleteProgram(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.progs.del(id) {
		return notFound("program", id)
	}
	return nil
}

// ListPrograms implements citylinks.Store.
func (s *Store) ListPrograms(ctx context.Context, f citylinks.ProgramFilter) (citylinks.Page[citylinks.Program], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[citylinks.Program]{}, err
	}
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return citylinks.Page[citylinks.Program]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := list(&s.progs, f.After, limit, func(citylinks.Program) bool { return true })
	for i := range p.Items {
		p.Items[i] = p.Items[i].Clone()
	}
	return p, nil
}
