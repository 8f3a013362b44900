package citylinks

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date with no time zone: the date of an agreement, an
// exchange or a reporting period. A time zone can never move it by a day.
// The zero value is "no date" and prints as the empty string.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate returns the date y-m-d, or a *ValidationError if it does not exist
// on the calendar (for example 2015-02-30).
func NewDate(y int, m time.Month, d int) (Date, error) {
	dt := Date{y, m, d}
	if !dt.Valid() {
		return Date{}, invalid("date", "%04d-%02d-%02d is not a calendar date", y, int(m), d)
	}
	return dt, nil
}

// ParseDate parses a date in the form YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, invalid("date", "%q is not a date of the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// Valid reports whether d is a real calendar date between years 1 and 9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return DateOf(d.Time()) == d
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD, or empty).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. Empty text is the zero
// Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value implements driver.Valuer: a YYYY-MM-DD string, or NULL for the zero
// Date. Storing text keeps the date free of any time zone.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner from a YYYY-MM-DD string, a time.Time (whose
// calendar date is taken as is) or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	case time.Time:
		*d = DateOf(v)
		return nil
	}
	return fmt.Errorf("citylinks: cannot scan %T into Date", src)
}

// FiscalYear is a World Bank fiscal year, named by the calendar year in which
// it ends: FY2012 runs from 1 July 2011 to 30 June 2012.
//
// The World Bank classifies economies by income each year on 1 July, the
// start of its fiscal year, from GNI per capita (Atlas method) of the
// previous calendar year, and the classification holds for that fiscal
// year: the FY2026 classification, released on 1 July 2025 from 2024 GNI,
// applies from 1 July 2025 to 30 June 2026 (The World Bank, "World Bank
// Country and Lending Groups",
// https://datahelpdesk.worldbank.org/knowledgebase/articles/906519; "World
// Bank country classifications by income level for 2025-2026", 1 July 2025,
// https://blogs.worldbank.org/en/opendata/world-bank-country-classifications-by-income-level-for-2025-2026).
type FiscalYear int

// FiscalYearOf returns the World Bank fiscal year that contains d: the
// calendar year of d from January to June, the next one from July on
// (2025-06-30 is in FY2025, 2025-07-01 in FY2026). Its income groups are
// those the World Bank released on the 1 July that began it.
func FiscalYearOf(d Date) FiscalYear {
	if d.Month >= time.July {
		return FiscalYear(d.Year + 1)
	}
	return FiscalYear(d.Year)
}

// String returns the fiscal year in the World Bank's short form, e.g. "FY12".
func (fy FiscalYear) String() string { return fmt.Sprintf("FY%02d", int(fy)%100) }
