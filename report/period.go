package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// PeriodKind is the kind of a reporting period.
type PeriodKind string

// The period kinds.
const (
	PeriodYear    PeriodKind = "year"    // a calendar year, key "2024"
	PeriodQuarter PeriodKind = "quarter" // a calendar quarter, key "2024-Q1"
	PeriodMonth   PeriodKind = "month"   // a calendar month, key "2024-03"
	PeriodRange   PeriodKind = "range"   // any span of days, key "2024-07-01/2025-06-30"
)

// PeriodKinds returns every PeriodKind.
func PeriodKinds() []PeriodKind {
	return []PeriodKind{PeriodYear, PeriodQuarter, PeriodMonth, PeriodRange}
}

// Valid reports whether k is one of the PeriodKinds.
func (k PeriodKind) Valid() bool { return slices.Contains(PeriodKinds(), k) }

// Period is the span an observation or a report covers: a year, a quarter, a
// month or an explicit range of calendar dates, both ends included. Build it
// with Year, Quarter, Month, Range or ParsePeriod. Its text form (String) is
// its key: two periods are the same period when their keys are equal.
type Period struct {
	Kind  PeriodKind
	Start citylinks.Date
	End   citylinks.Date
}

// Year returns the calendar year y.
func Year(y int) Period {
	return Period{PeriodYear, citylinks.Date{Year: y, Month: 1, Day: 1}, citylinks.Date{Year: y, Month: 12, Day: 31}}
}

// Quarter returns quarter q (1 to 4) of year y.
func Quarter(y, q int) Period {
	m := time.Month(3*(q-1) + 1)
	start := citylinks.Date{Year: y, Month: m, Day: 1}
	return Period{PeriodQuarter, start, lastDay(y, m+2)}
}

// Month returns month m of year y.
func Month(y int, m time.Month) Period {
	return Period{PeriodMonth, citylinks.Date{Year: y, Month: m, Day: 1}, lastDay(y, m)}
}

// Range returns the explicit period from start to end, both included, or a
// *citylinks.ValidationError when end is before start.
func Range(start, end citylinks.Date) (Period, error) {
	p := Period{PeriodRange, start, end}
	return p, p.Validate()
}

func lastDay(y int, m time.Month) citylinks.Date {
	if m < 1 || m > 12 {
		return citylinks.Date{}
	}
	return citylinks.DateOf(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
}

// Validate reports whether p is a well-formed period: a known kind whose
// dates exist and, for years, quarters and months, are aligned to the
// calendar.
func (p Period) Validate() error {
	if !p.Kind.Valid() {
		return invalid("period", "%q is not a period kind", errtext.Clip(string(p.Kind)))
	}
	if !p.Start.Valid() || !p.End.Valid() || p.Start.Year > 9999 {
		return invalid("period", "start and end must be calendar dates")
	}
	var want Period
	switch p.Kind {
	case PeriodYear:
		want = Year(p.Start.Year)
	case PeriodQuarter:
		want = Quarter(p.Start.Year, int(p.Start.Month-1)/3+1)
	case PeriodMonth:
		want = Month(p.Start.Year, p.Start.Month)
	case PeriodRange:
		if p.End.Before(p.Start) {
			return invalid("period", "ends %s, before it starts %s", p.End, p.Start)
		}
		return nil
	}
	if want != p {
		return invalid("period", "%s %s to %s is not aligned to the calendar", p.Kind, p.Start, p.End)
	}
	return nil
}

// String returns p's key: "2024", "2024-Q1", "2024-03" or
// "2024-07-01/2025-06-30".
func (p Period) String() string {
	switch p.Kind {
	case PeriodYear:
		return fmt.Sprintf("%04d", p.Start.Year)
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", p.Start.Year, int(p.Start.Month-1)/3+1)
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Start.Year, int(p.Start.Month))
	case PeriodRange:
		return p.Start.String() + "/" + p.End.String()
	}
	return ""
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Year returns the calendar year a period counts toward in roll-ups by year:
// the year in which it ends.
func (p Period) Year() int { return p.End.Year }

// Contains reports whether q lies wholly within p.
func (p Period) Contains(q Period) bool {
	return !q.Start.Before(p.Start) && !q.End.After(p.End)
}

// ContainsDate reports whether d lies within p.
func (p Period) ContainsDate(d citylinks.Date) bool {
	return !d.Before(p.Start) && !d.After(p.End)
}

// ParsePeriod parses a period key: "2024", "2024-Q3", "2024-03", or
// "2024-01-01/2024-06-30".
func ParsePeriod(s string) (Period, error) {
	bad := func() (Period, error) {
		return Period{}, invalid("period", "%q is not a period such as 2024, 2024-Q1, 2024-03 or 2024-01-01/2024-06-30", errtext.Clip(s))
	}
	if a, b, ok := strings.Cut(s, "/"); ok {
		start, err1 := citylinks.ParseDate(a)
		end, err2 := citylinks.ParseDate(b)
		if err1 != nil || err2 != nil || len(a) != 10 || len(b) != 10 {
			return bad()
		}
		return Range(start, end)
	}
	digits := func(t string) (int, bool) {
		if t == "" || strings.Trim(t, "0123456789") != "" {
			return 0, false
		}
		n, err := strconv.Atoi(t)
		return n, err == nil
	}
	if len(s) < 4 {
		return bad()
	}
	y, ok := digits(s[:4])
	if !ok || y < 1 {
		return bad()
	}
	var p Period
	switch rest := s[4:]; {
	case rest == "":
		p = Year(y)
	case len(rest) == 3 && rest[:2] == "-Q":
		q, ok := digits(rest[2:])
		if !ok || q < 1 || q > 4 {
			return bad()
		}
		p = Quarter(y, q)
	case len(rest) == 3 && rest[0] == '-':
		m, ok := digits(rest[1:])
		if !ok || m < 1 || m > 12 {
			return bad()
		}
		p = Month(y, time.Month(m))
	default:
		return bad()
	}
	return p, nil
}

// MarshalText implements encoding.TextMarshaler with the period key.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler from a period key.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Frequency is how often a partnership reports.
type Frequency string

// The frequencies.
const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
	Annual    Frequency = "annual"
)

// Frequencies returns every Frequency.
func Frequencies() []Frequency { return []Frequency{Monthly, Quarterly, Annual} }

// Valid reports whether f is one of the Frequencies.
func (f Frequency) Valid() bool { return slices.Contains(Frequencies(), f) }

// PeriodOf returns the period of frequency f that contains d. The zero
// Frequency means Quarterly.
func (f Frequency) PeriodOf(d citylinks.Date) Period {
	switch f {
	case Monthly:
		return Month(d.Year, d.Month)
	case Annual:
		return Year(d.Year)
	}
	return Quarter(d.Year, int(d.Month-1)/3+1)
}

// Periods returns the periods of frequency f that overlap from..to, in order.
func (f Frequency) Periods(from, to citylinks.Date) []Period {
	var out []Period
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil
	}
	for p := f.PeriodOf(from); !p.Start.After(to); p = f.PeriodOf(p.End.AddDays(1)) {
		out = append(out, p)
	}
	return out
}
