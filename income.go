package citylinks

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/citylinks/citylinks/internal/csvin"
	"github.com/citylinks/citylinks/internal/errtext"
)

// wbIncomeCSV is the World Bank's historical income classification of every
// economy, FY1989–FY2026; see NOTICE for its source and licence.
//
//go:embed dataset/wb_income_history.csv
var wbIncomeCSV string

// IncomeGroup is a World Bank income classification of an economy for one
// fiscal year. Two values stand apart from the four groups: IncomeNotClassified
// (the World Bank covers the economy but gave it no group that year) and
// IncomeNoData (the income table has no group for the economy that year:
// the economy did not exist yet or the World Bank did not cover it).
type IncomeGroup string

// The income groups.
const (
	IncomeLow           IncomeGroup = "low"
	IncomeLowerMiddle   IncomeGroup = "lower-middle"
	IncomeUpperMiddle   IncomeGroup = "upper-middle"
	IncomeHigh          IncomeGroup = "high"
	IncomeNotClassified IncomeGroup = "not-classified"
	IncomeNoData        IncomeGroup = "no-data"
)

// IncomeGroups returns every IncomeGroup value, poorest first.
func IncomeGroups() []IncomeGroup {
	return []IncomeGroup{IncomeLow, IncomeLowerMiddle, IncomeUpperMiddle, IncomeHigh, IncomeNotClassified, IncomeNoData}
}

// Valid reports whether g is one of the IncomeGroups.
func (g IncomeGroup) Valid() bool { return slices.Contains(IncomeGroups(), g) }

// Code returns the code an income table writes for g: the World Bank's "L",
// "LM", "UM" or "H", "NC" for IncomeNotClassified, and "" for IncomeNoData.
func (g IncomeGroup) Code() string {
	switch g {
	case IncomeLow:
		return "L"
	case IncomeLowerMiddle:
		return "LM"
	case IncomeUpperMiddle:
		return "UM"
	case IncomeHigh:
		return "H"
	case IncomeNotClassified:
		return "NC"
	}
	return ""
}

// incomeCodes maps a cell of an income table to its group. The World Bank's
// own OGHIST.xlsx writes ".." where it has no data.
var incomeCodes = map[string]IncomeGroup{
	"L": IncomeLow, "LM": IncomeLowerMiddle, "UM": IncomeUpperMiddle, "H": IncomeHigh,
	"NC": IncomeNotClassified, "": IncomeNoData, "..": IncomeNoData,
}

// FirstIncomeFiscalYear is the first fiscal year of the World Bank's income
// classification, FY1989 (World Bank, "World Bank Country and Lending Groups",
// historical classification OGHIST.xlsx). An IncomeTable holds no earlier
// year.
const FirstIncomeFiscalYear FiscalYear = 1989

// IncomeFiscalYears lists the fiscal years for which income groups are
// shipped: every year of the World Bank's classification from FY1989 to
// FY2026, the classification released on 1 July 2025. Later years can be
// supplied with an IncomeTable.
func IncomeFiscalYears() []FiscalYear { return ShippedIncome().FiscalYears() }

// IncomeTable holds World Bank income classifications: the group of each
// economy in each fiscal year the table holds. A fiscal year the table does
// not hold is unknown, which is not the same as IncomeNoData: see Holds.
//
// ShippedIncome is the table citylinks ships (FY1989–FY2026). To judge dates
// from 1 July 2026 (FY2027) on, supply the later years: clone the shipped
// table and add them with Set, or read them with ReadCSV from a CSV file of
// the shipped table's shape. Nothing is ever downloaded.
//
// Economies are named by ISO 3166-1 alpha-3 code as the World Bank does
// (Kosovo is XKX); any key LookupCountry accepts names the same economy, and
// the World Bank's codes for economies that are not ISO countries (CHI for
// the Channel Islands, SUN for the former USSR, …) are accepted too.
//
// The zero value is an empty table, ready to use. An IncomeTable is safe for
// concurrent use and must not be copied after first use; Clone it.
type IncomeTable struct {
	mu       sync.RWMutex
	readOnly bool
	years    map[FiscalYear]map[string]IncomeGroup // fiscal year → alpha-3 → group
}

var loadShippedIncome = sync.OnceValues(func() (*IncomeTable, error) {
	t := &IncomeTable{}
	if err := t.read(strings.NewReader(wbIncomeCSV), anyEconomyCode); err != nil {
		return nil, err
	}
	t.readOnly = true
	return t, nil
})

// ShippedIncome returns the World Bank income classifications shipped with
// citylinks: every economy in every fiscal year from FY1989 to FY2026, from
// the World Bank's OGHIST.xlsx and CLASS_FY2026.xlsx (CC BY 4.0; see
// NOTICE). The table is shared and read-only: Set and ReadCSV on it return
// an error. Clone it to add later years.
func ShippedIncome() *IncomeTable {
	t, err := loadShippedIncome()
	if err != nil {
		// The table is embedded and checked by the tests; failing to parse
		// it is a broken build, not bad input.
		panic(err)
	}
	return t
}

// Clone returns a copy of t that can be changed without changing t.
func (t *IncomeTable) Clone() *IncomeTable {
	t.mu.RLock()
	defer t.mu.RUnlock()
	c := &IncomeTable{years: make(map[FiscalYear]map[string]IncomeGroup, len(t.years))}
	for fy, m := range t.years {
		c.years[fy] = maps.Clone(m)
	}
	return c
}

// ReadOnly reports whether t refuses changes, as the ShippedIncome table
// does.
func (t *IncomeTable) ReadOnly() bool { return t.readOnly }

// Holds reports whether t has the World Bank's classification for fiscal
// year fy. For a year it does not hold, Group returns IncomeNoData for every
// economy, but that means "not known yet", not "the World Bank has no data".
func (t *IncomeTable) Holds(fy FiscalYear) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	_, ok := t.years[fy]
	return ok
}

// FiscalYears returns the fiscal years t holds, in order.
func (t *IncomeTable) FiscalYears() []FiscalYear {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Sorted(maps.Keys(t.years))
}

// Group returns the income group of the economy in fiscal year fy:
// IncomeNoData when t has none for it (an unknown economy, a year before the
// economy existed, or a year t does not hold: see Holds), and
// IncomeNotClassified when the World Bank left it unclassified that year.
func (t *IncomeTable) Group(economy string, fy FiscalYear) IncomeGroup {
	t.mu.RLock()
	m := t.years[fy]
	g, ok := m[economy]
	t.mu.RUnlock()
	if ok {
		return g
	}
	code, known := economyCode(economy)
	if !known || code == economy {
		return IncomeNoData
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if g, ok := t.years[fy][code]; ok {
		return g
	}
	return IncomeNoData
}

// Set records that the World Bank classified the economy as g in fiscal year
// fy, replacing what t held for it; t then holds fy. IncomeNoData removes
// the economy's group for that year. It returns a *ValidationError for an
// unknown economy, a fiscal year before FirstIncomeFiscalYear or after 9999,
// or an invalid group, and an error on a read-only table.
func (t *IncomeTable) Set(economy string, fy FiscalYear, g IncomeGroup) error {
	code, ok := economyCode(economy)
	if !ok {
		return invalid("economy", "%q is not an ISO 3166-1 country or a World Bank economy code such as CHI; give its alpha-3 code", errtext.Clip(economy))
	}
	if p := incomeYearProblem(fy); p != "" {
		return invalid("fiscal_year", "%s", p)
	}
	if !g.Valid() {
		return invalid("group", "%q is not an income group (%s)", errtext.Clip(string(g)), joinGroups())
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.readOnly {
		return errReadOnlyIncome
	}
	setGroup(t.year(fy), code, g)
	return nil
}

var errReadOnlyIncome = errors.New("citylinks: the shipped income table is read-only; change a copy from its Clone method")

// year returns the groups of fiscal year fy, adding the year to t if it is
// new. The caller holds t.mu for writing.
func (t *IncomeTable) year(fy FiscalYear) map[string]IncomeGroup {
	if t.years == nil {
		t.years = make(map[FiscalYear]map[string]IncomeGroup)
	}
	m := t.years[fy]
	if m == nil {
		m = make(map[string]IncomeGroup)
		t.years[fy] = m
	}
	return m
}

// setGroup sets the group of an economy in one year's map; IncomeNoData
// removes it.
func setGroup(m map[string]IncomeGroup, code string, g IncomeGroup) {
	if g == IncomeNoData {
		delete(m, code)
	} else {
		m[code] = g
	}
}

// incomeYearProblem says what is wrong with fiscal year fy for an income
// table, or "" when nothing is.
func incomeYearProblem(fy FiscalYear) string {
	if fy < FirstIncomeFiscalYear || fy > 9999 {
		return fmt.Sprintf("%d is outside %d–9999 (the World Bank's classification begins with FY%d)", int(fy), int(FirstIncomeFiscalYear), int(FirstIncomeFiscalYear))
	}
	return ""
}

func joinGroups() string {
	var s []string
	for _, g := range IncomeGroups() {
		s = append(s, string(g))
	}
	return strings.Join(s, ", ")
}

// ReadCSV reads income classifications into t from a CSV table of the shape
// of the shipped one (dataset/wb_income_history.csv): a header row with an
// iso_alpha3 column and one column per fiscal year named fy and four digits
// (fy2027); other columns, such as economy, are ignored. A cell holds L, LM,
// UM or H, NC (not classified), or nothing (no data; ".." as the World Bank
// writes it is read the same way).
//
// Every cell of the file is set, as with Set: t then holds each fiscal year
// the file has a column for, and an empty cell removes what t held for that
// economy and year. Economies the file leaves out keep what t holds for
// them. Reading is all or nothing: a bad row changes nothing and the error
// is an *ImportError listing every bad row with its line; a bad header is a
// *RowError on line 1.
func (t *IncomeTable) ReadCSV(r io.Reader) error {
	if t.ReadOnly() {
		return errReadOnlyIncome
	}
	return t.read(r, knownEconomyCode)
}

// incomeRow is one row of an income CSV.
type incomeRow struct {
	code   string
	groups []IncomeGroup // in the order of the file's fiscal-year columns
}

func (t *IncomeTable) read(r io.Reader, economy func(string) (string, bool)) error {
	cr := csvin.NewReader(r, MaxCSVRowBytes)
	header, err := cr.Header()
	if err != nil {
		if err == io.EOF {
			err = errors.New("empty input")
		}
		return headerError("%s", err)
	}
	codeCol, years, cols, err := incomeHeader(header)
	if err != nil {
		return err
	}
	var (
		rows []incomeRow
		bad  RowErrors
		seen = map[string]int{} // code → line
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var (
			pe *csv.ParseError
			le *csvin.LongRowError
		)
		switch {
		case errors.As(err, &le) && le.Stopped:
			bad.Add(&RowError{Line: le.Line, Err: invalid("row", "%s", le.Problem())})
			return bad.Err()
		case errors.As(err, &le):
			bad.Add(&RowError{Line: le.Line, Err: invalid("row", "%s", le.Problem())})
			continue
		case errors.As(err, &pe):
			bad.Add(&RowError{Line: pe.StartLine, Err: invalid("row", "%s", pe.Err)})
			continue
		case err != nil:
			return fmt.Errorf("citylinks: income table: %w", err)
		}
		line := cr.Line()
		row, err := incomeRecord(rec, len(header), codeCol, years, cols, economy)
		if err == nil {
			if first, dup := seen[row.code]; dup {
				err = invalid("iso_alpha3", "%s appears again (first on line %d)", row.code, first)
			} else {
				seen[row.code] = line
			}
		}
		if err != nil {
			bad.Add(&RowError{Line: line, Err: err})
			continue
		}
		rows = append(rows, row)
	}
	if err := bad.Err(); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.readOnly {
		return errReadOnlyIncome
	}
	for i, fy := range years {
		m := t.year(fy) // held even if every cell is empty
		for _, row := range rows {
			setGroup(m, row.code, row.groups[i])
		}
	}
	return nil
}

func headerError(format string, args ...any) error {
	return &RowError{Line: 1, Err: invalid("header", format, args...)}
}

// incomeHeader finds the code column and the fiscal-year columns.
func incomeHeader(header []string) (codeCol int, years []FiscalYear, cols []int, err error) {
	codeCol = -1
	seen := map[FiscalYear]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "iso_alpha3" {
			if codeCol >= 0 {
				return 0, nil, nil, headerError("column iso_alpha3 appears twice")
			}
			codeCol = i
			continue
		}
		digits, ok := strings.CutPrefix(strings.ToLower(h), "fy")
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
			continue // another column, such as economy
		}
		n, _ := strconv.Atoi(digits)
		fy := FiscalYear(n)
		switch {
		case len(digits) != 4:
			return 0, nil, nil, headerError("column %q: write the fiscal year with four digits, e.g. fy2027", errtext.Clip(h))
		case incomeYearProblem(fy) != "":
			return 0, nil, nil, headerError("column %q: %s", h, incomeYearProblem(fy))
		case seen[fy]:
			return 0, nil, nil, headerError("column %q appears twice", h)
		}
		seen[fy] = true
		years = append(years, fy)
		cols = append(cols, i)
	}
	if codeCol < 0 {
		return 0, nil, nil, headerError("missing column %q", "iso_alpha3")
	}
	if len(years) == 0 {
		return 0, nil, nil, headerError("no fiscal-year column such as fy2027")
	}
	return codeCol, years, cols, nil
}

func incomeRecord(rec []string, width, codeCol int, years []FiscalYear, cols []int, economy func(string) (string, bool)) (incomeRow, error) {
	if len(rec) != width {
		return incomeRow{}, invalid("row", "has %d fields; the header has %d (truncated or mis-quoted line?)", len(rec), width)
	}
	raw := strings.TrimSpace(rec[codeCol])
	code, ok := economy(raw)
	if !ok {
		return incomeRow{}, invalid("iso_alpha3", "%q is not an ISO 3166-1 alpha-3 code or a World Bank economy code such as CHI", errtext.Clip(raw))
	}
	row := incomeRow{code: code, groups: make([]IncomeGroup, len(cols))}
	for i, c := range cols {
		cell := strings.TrimSpace(rec[c])
		g, ok := incomeCodes[cell]
		if !ok {
			return incomeRow{}, invalid(fmt.Sprintf("fy%04d", int(years[i])), "%q is not an income code (L, LM, UM, H, NC, or empty for no data)", errtext.Clip(cell))
		}
		row.groups[i] = g
	}
	return row, nil
}

// WriteCSV writes t as ReadCSV reads it: a header iso_alpha3,economy and a
// column per fiscal year t holds, then one row per economy that has a group
// in any of them, sorted by code. ReadCSV of the output into an empty table
// gives t back (unless t holds no year at all: ReadCSV needs a fiscal-year
// column).
func (t *IncomeTable) WriteCSV(w io.Writer) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	years := slices.Sorted(maps.Keys(t.years))
	codes := map[string]bool{}
	for _, m := range t.years {
		for c := range m {
			codes[c] = true
		}
	}
	cw := csv.NewWriter(w)
	header := []string{"iso_alpha3", "economy"}
	for _, fy := range years {
		header = append(header, fmt.Sprintf("fy%04d", int(fy)))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		row := []string{code, economyName(code)}
		for _, fy := range years {
			row = append(row, t.years[fy][code].Code())
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// worldBankEconomies are the economies of the shipped income table that are
// not ISO 3166-1 countries, by code, with the World Bank's names.
var worldBankEconomies = sync.OnceValue(func() map[string]string {
	names := map[string]string{}
	cr := csv.NewReader(strings.NewReader(wbIncomeCSV))
	recs, err := cr.ReadAll()
	if err != nil || len(recs) == 0 {
		return names // the tests check the embedded table
	}
	for _, rec := range recs[1:] {
		if _, known := countryByAlpha3(rec[0]); !known {
			names[rec[0]] = rec[1]
		}
	}
	return names
})

// economyCode returns the alpha-3 code of an economy named by any key
// LookupCountry accepts or by a World Bank code of the shipped table.
func economyCode(key string) (string, bool) {
	if c, err := LookupCountry(key); err == nil {
		return c.Alpha3, true
	}
	code := strings.ToUpper(strings.TrimSpace(key))
	if _, ok := worldBankEconomies()[code]; ok {
		return code, true
	}
	return "", false
}

// knownEconomyCode accepts an alpha-3 code of a known country or World Bank
// economy, as ReadCSV's iso_alpha3 column holds.
func knownEconomyCode(s string) (string, bool) {
	code := strings.ToUpper(s)
	if c, ok := countryByAlpha3(code); ok {
		return c.Alpha3, true
	}
	_, ok := worldBankEconomies()[code]
	return code, ok
}

// anyEconomyCode accepts any three capital letters: the shipped table
// defines which economies the World Bank codes.
func anyEconomyCode(s string) (string, bool) {
	return s, len(s) == 3 && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

func economyName(code string) string {
	if c, ok := countryByAlpha3(code); ok {
		return c.Name
	}
	return worldBankEconomies()[code]
}
