package partnership_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

func usd(cents int64) citylinks.Money { return citylinks.Money{Amount: cents, Currency: "USD"} }

func TestRollup(t *testing.T) {
	svc, _ := newService(t, nil)
	ctx := t.Context()
	build(t, svc, fixtures["active"])
	records := []partnership.Contribution{
		{Party: pt.Boulder, Person: "Ann", Date: pt.D(2015, 5, 16), Minutes: 600, InKind: usd(10000)},
		{Party: pt.Boulder, Person: "Bob", Date: pt.D(2015, 7, 2), Minutes: 120},
		{Party: pt.Shimla, Person: "Chitra", Date: pt.D(2016, 1, 10), Minutes: 30, InKind: citylinks.Money{Amount: 500000, Currency: "INR"}},
		{Party: pt.Boulder, Date: pt.D(2016, 2, 1), InKind: usd(2550)},
	}
	for _, c := range records {
		_, err := svc.RecordContribution(ctx, pt.Facilitator, "p", c)
		require.NoError(t, err)
	}
	cases := []struct {
		name string
		q    partnership.RollupQuery
		want []partnership.RollupRow
	}{
		{"total", partnership.RollupQuery{}, []partnership.RollupRow{
			{Contributions: 4, Minutes: 750, InKind: []citylinks.Money{{Amount: 500000, Currency: "INR"}, usd(12550)}}}},
		{"by party", partnership.RollupQuery{GroupBy: []partnership.Dim{partnership.DimParty}}, []partnership.RollupRow{
			{Party: pt.Boulder, Contributions: 3, Minutes: 720, InKind: []citylinks.Money{usd(12550)}},
			{Party: pt.Shimla, Contributions: 1, Minutes: 30, InKind: []citylinks.Money{{Amount: 500000, Currency: "INR"}}}}},
		{"by program and quarter", partnership.RollupQuery{GroupBy: []partnership.Dim{partnership.DimProgram, partnership.DimPeriod}, Period: partnership.PeriodQuarter}, []partnership.RollupRow{
			{Program: citylinks.ProgramCityLinks2011, Period: "2015-Q2", Contributions: 1, Minutes: 600, InKind: []citylinks.Money{usd(10000)}},
			{Program: citylinks.ProgramCityLinks2011, Period: "2015-Q3", Contributions: 1, Minutes: 120},
			{Program: citylinks.ProgramCityLinks2011, Period: "2016-Q1", Contributions: 2, Minutes: 30, InKind: []citylinks.Money{{Amount: 500000, Currency: "INR"}, usd(2550)}}}},
		{"by partnership and month within a range", partnership.RollupQuery{GroupBy: []partnership.Dim{partnership.DimPartnership, partnership.DimPeriod},
			Period: partnership.PeriodMonth, From: pt.D(2015, 6, 1), To: pt.D(2015, 12, 31)}, []partnership.RollupRow{
			{Partnership: "p", Period: "2015-07", Contributions: 1, Minutes: 120}}},
		{"by person", partnership.RollupQuery{GroupBy: []partnership.Dim{partnership.DimPerson}, Filter: partnership.Filter{HostCountries: []string{"IN"}}}, []partnership.RollupRow{
			{Contributions: 1, InKind: []citylinks.Money{usd(2550)}},
			{Person: "Ann", Contributions: 1, Minutes: 600, InKind: []citylinks.Money{usd(10000)}},
			{Person: "Bob", Contributions: 1, Minutes: 120},
			{Person: "Chitra", Contributions: 1, Minutes: 30, InKind: []citylinks.Money{{Amount: 500000, Currency: "INR"}}}}},
		{"filtered out", partnership.RollupQuery{Filter: partnership.Filter{Programs: []string{citylinks.ProgramResourceCities}}}, []partnership.RollupRow{}},
	}
	for _, c := range cases {
		got, err := svc.Rollup(ctx, pt.Facilitator, c.q)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.want, got, c.name)
	}
	assert.InDelta(t, 12.5, (partnership.RollupRow{Minutes: 750}).Hours(), 1e-9)
	_, err := svc.Rollup(ctx, pt.Facilitator, partnership.RollupQuery{GroupBy: []partnership.Dim{"city"}})
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
	_, err = svc.Rollup(ctx, pt.Facilitator, partnership.RollupQuery{From: pt.D(2016, 1, 1), To: pt.D(2015, 1, 1)})
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
}

// TestRollupConserves: however contributions are grouped, the groups add up
// to the total, and no group is empty.
func TestRollupConserves(t *testing.T) {
	dims := []partnership.Dim{partnership.DimPartnership, partnership.DimParty, partnership.DimProgram, partnership.DimPeriod, partnership.DimPerson}
	rapid.Check(t, func(t *rapid.T) {
		var ps []partnership.Partnership
		var minutes, cents int64
		count := 0
		for i := range rapid.IntRange(1, 4).Draw(t, "partnerships") {
			p := partnership.Partnership{ID: fmt.Sprintf("p%d", i), Program: rapid.SampledFrom([]string{"a", "b"}).Draw(t, "program"), Parties: pt.ShimlaBoulder()}
			for j := range rapid.IntRange(0, 12).Draw(t, "contributions") {
				c := partnership.Contribution{ID: fmt.Sprint(j), Party: rapid.SampledFrom([]string{pt.Shimla, pt.Boulder}).Draw(t, "party"),
					Person:  rapid.SampledFrom([]string{"", "x", "y"}).Draw(t, "person"),
					Date:    pt.D(2014, 1, 1).AddDays(rapid.IntRange(0, 1000).Draw(t, "day")),
					Minutes: rapid.Int64Range(0, 10_000).Draw(t, "minutes"), InKind: usd(rapid.Int64Range(0, 1_000_000).Draw(t, "cents"))}
				p.Contributions = append(p.Contributions, c)
				minutes += c.Minutes
				cents += c.InKind.Amount
				count++
			}
			ps = append(ps, p)
		}
		q := partnership.RollupQuery{
			GroupBy: rapid.SliceOfDistinct(rapid.SampledFrom(dims), func(d partnership.Dim) partnership.Dim { return d }).Draw(t, "group by"),
			Period:  rapid.SampledFrom([]partnership.PeriodKind{partnership.PeriodYear, partnership.PeriodQuarter, partnership.PeriodMonth}).Draw(t, "period"),
		}
		rows, err := partnership.Rollup(ps, q)
		if err != nil {
			t.Fatal(err)
		}
		var m, c int64
		n := 0
		for _, r := range rows {
			if r.Contributions == 0 {
				t.Fatalf("empty group %+v", r)
			}
			m += r.Minutes
			n += r.Contributions
			for _, k := range r.InKind {
				c += k.Amount
			}
		}
		if m != minutes || c != cents || n != count {
			t.Fatalf("groups sum to %d min, %d cents, %d contributions; want %d, %d, %d", m, c, n, minutes, cents, count)
		}
	})
}
