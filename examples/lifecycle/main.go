package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/internal/cliflag"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/sqlite"
)

// rowID is the dataset row this example walks.
const rowID = "CL11-SHI-BOU"

func main() {
	fs := flag.NewFlagSet("lifecycle", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: lifecycle [-db FILE] [-as-of YYYY-MM-DD]\n\n"+
			"Walks the Shimla–Boulder CityLinks partnership (%s) through its lifecycle\n"+
			"with its documented dates and prints its history.\n\n", rowID)
		cliflag.PrintDefaults(fs)
	}
	dbPath := fs.String("db", "", "SQLite database `file` to store the partnership in (default: in memory)")
	var asOf string
	cliflag.AsOf(fs, &asOf, "also print the state as of this `date` (YYYY-MM-DD)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "lifecycle: unexpected argument %q\n", fs.Arg(0))
		os.Exit(2)
	}
	var extra citylinks.Date
	if asOf != "" {
		d, err := citylinks.ParseDate(asOf)
		if err != nil {
			fmt.Fprintf(os.Stderr, "lifecycle: -as-of %q is not a date of the form YYYY-MM-DD\n", asOf)
			os.Exit(2)
		}
		extra = d
	}
	if err := run(context.Background(), os.Stdout, *dbPath, extra); err != nil {
		fmt.Fprintf(os.Stderr, "lifecycle: %v\n", err)
		os.Exit(1)
	}
}

// row is the dataset's record of the partnership.
type row struct {
	id, phase, resource, resourceKind, resourceCountry, partner, partnerCountry, focus, start, end, note, sources string
}

// readRow finds rowID in the shipped partnerships table.
func readRow() (row, error) {
	r := csv.NewReader(dataset.Partnerships())
	header, err := r.Read()
	if err != nil {
		return row{}, fmt.Errorf("read partnerships table: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return row{}, fmt.Errorf("row %s is not in the partnerships table", rowID)
		}
		if err != nil {
			return row{}, fmt.Errorf("read partnerships table: %w", err)
		}
		get := func(name string) string { return rec[col[name]] }
		if get("id") == rowID {
			return row{get("id"), get("program_phase"), get("resource_party"), get("resource_party_kind"), get("resource_country"),
				get("partner_city"), get("partner_country"), get("focus"), get("start_year"), get("end_year"), get("status_note"), get("sources")}, nil
		}
	}
}

// step is one command of the walk, with the source of its date.
type step struct {
	actor citylinks.Actor
	cmd   partnership.Command
	note  string
}

func d(y int, m time.Month, day int) citylinks.Date {
	return citylinks.Date{Year: y, Month: m, Day: day}
}

func run(ctx context.Context, w io.Writer, dbPath string, extraAsOf citylinks.Date) error {
	r, err := readRow()
	if err != nil {
		return err
	}
	if r.focus != "climate" || r.partnerCountry != "IN" || r.resourceCountry != "US" || r.start != "2015" || r.end != "2016" {
		return fmt.Errorf("row %s no longer says what this walk is built on (climate, IN, US, 2015–2016)", rowID)
	}

	var store partnership.Store = memory.New()
	where := "in memory"
	if dbPath != "" {
		db, err := sqlite.Open(dbPath)
		if err != nil {
			return err
		}
		s := sqlite.New(db)
		defer s.Close()
		if err := s.Migrate(ctx); err != nil {
			return err
		}
		if _, err := s.LoadPartnership(ctx, rowID); err == nil {
			return fmt.Errorf("%s already holds partnership %s; use a new file", dbPath, rowID)
		}
		store, where = s, dbPath
	}

	// The walk records history after the fact: "today" is after its end.
	clock := time.Date(2017, 1, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	// Package report approves results; no approval (nor its date) is
	// documented here, so this stand-in says only that ICMA published the
	// findings of the final exchange ("Managing Shimla's Water Challenges").
	published := partnership.ResultsCheckerFunc(func(context.Context, string) (bool, error) { return true, nil })
	svc := partnership.NewService(store, &partnership.Options{Now: now, Results: published})

	icma := citylinks.Actor{ID: "citylinks-team@icma", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	boulder := citylinks.Actor{ID: "coordinator@boulder", Organization: "boulder", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	parties := []partnership.Party{
		{Role: partnership.PartyHost, Organization: "shimla", Name: r.partner, Kind: citylinks.KindCity, Country: r.partnerCountry},
		{Role: partnership.PartyResource, Organization: "boulder", Name: r.resource, Kind: orgKind(r.resourceKind), Country: r.resourceCountry},
		{Role: partnership.PartyFacilitator, Organization: "icma", Name: "ICMA (CityLinks)", Kind: citylinks.KindFacilitator, Country: "US"},
		{Role: partnership.PartyFunder, Organization: "usaid", Name: "USAID", Kind: citylinks.KindDonor, Country: "US"},
		{Role: partnership.PartySupporting, Organization: "uccrn", Name: "Urban Climate Change Research Network (Columbia University)", Kind: citylinks.KindUniversity, Country: "US"},
	}
	paired := d(2015, 3, 23)
	steps := []step{
		{icma, partnership.Propose{ID: rowID, Title: r.partner + "–" + strings.Split(r.resource, ",")[0] + " climate partnership (CAPP 2015, round 1)",
			Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Parties: parties, Notes: r.note, On: paired},
			"2015-03-23: ICMA announced the round-1 pairs that day (\"Six Cities Chosen…\")"},
		{icma, partnership.Ratify{Party: "boulder", Body: "Boulder's governing body", On: paired},
			"date not documented: Boulder's application letter made CAPP a priority of its governing body before 2015-02-25; recorded on the pairing date, the earliest the record allows"},
		{icma, partnership.SignAgreement{Agreement: partnership.AgreementThreeWay,
			Signatories: []partnership.Signatory{{Party: "icma", Name: "ICMA"}, {Party: "boulder", Name: "City of Boulder"}, {Party: "shimla", Name: "Shimla"}},
			End:         d(2016, 3, 31), On: paired},
			"date not documented: recorded on the pairing date; planned end 2016-03-31, the end of the month of the documented final exchange"},
		{icma, partnership.AgreeWorkPlan{Plan: partnership.WorkPlan{Objectives: []partnership.Objective{
			{Code: "O1", Text: "Enhanced governance and infrastructure for climate adaptation"}}}, On: d(2015, 4, 20)},
			"date not documented: CAPP drafted work plans on the first trip, 4–6 weeks after pairing; 4 weeks after 2015-03-23 used"},
		{icma, partnership.AgreeWorkPlan{Plan: partnership.WorkPlan{Objectives: []partnership.Objective{
			{Code: "O1", Text: "The nexus between climate, resilience and water"}}}, On: d(2016, 3, 1)},
			"documented: the goals were refined to the climate–resilience–water nexus, which informed the final exchange; date not documented, 2016-03-01 (before that exchange) used"},
		{boulder, partnership.RecordExchange{Exchange: partnership.Exchange{ID: "final-exchange", From: "boulder", To: "shimla",
			Start: d(2016, 3, 1), End: d(2016, 3, 31), Purpose: "final exchange on Shimla's water challenges under an uncertain climate", Status: partnership.ExchangeDone}},
			"documented: the final exchange, March 2016, sent a Boulder delegation to Shimla; the days are not documented, so the whole month is recorded"},
		{icma, partnership.StartClosing{On: d(2016, 3, 31)},
			"date not documented: closing starts with the final exchange done; its last possible day used"},
		{icma, partnership.Complete{On: d(2016, 12, 31)},
			"date not documented: the dataset's end year is 2016; its last day used (results approval stands in for package report)"},
	}
	fmt.Fprintf(w, "Partnership %s — %s (%s) and %s (%s), %s, %s–%s; stored %s\n",
		r.id, r.partner, r.partnerCountry, r.resource, r.resourceCountry, r.phase, r.start, r.end, where)
	fmt.Fprintf(w, "Sources: %s\n\n", r.sources)

	notes := map[int64]string{}
	var p partnership.Partnership
	for _, s := range steps {
		if p, err = svc.Execute(ctx, s.actor, rowID, s.cmd); err != nil {
			return fmt.Errorf("%s: %w", s.cmd.Action(), err)
		}
		notes[p.Version] = s.note
	}
	// A guard at work: nothing can follow completion.
	_, refused := svc.Extend(ctx, icma, rowID, citylinks.Date{}, d(2017, 6, 30), "")

	history, err := svc.History(ctx, icma, rowID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "History:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  v\ton\twhat\tby\tstate after\tdate source")
	var replay partnership.Partnership
	for _, e := range history {
		if err := replay.Apply(e); err != nil {
			return err
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", e.Version, e.On, e.Kind(), e.Actor.ID, replay.State, notes[e.Version])
	}
	tw.Flush()

	fmt.Fprintln(w, "\nState as of a date:")
	dates := []citylinks.Date{d(2015, 3, 22), paired, d(2015, 6, 1), d(2016, 3, 15), d(2016, 6, 30), d(2017, 1, 1)}
	if !extraAsOf.IsZero() {
		dates = append(dates, extraAsOf)
	}
	for _, on := range dates {
		q, err := svc.AsOf(ctx, icma, rowID, on)
		switch {
		case errors.Is(err, citylinks.ErrNotFound):
			fmt.Fprintf(w, "  %s  not yet proposed\n", on)
		case err != nil:
			return err
		default:
			obj := ""
			if q.WorkPlan != nil {
				obj = "; objective: " + q.WorkPlan.Objectives[0].Text
			}
			fmt.Fprintf(w, "  %s  %s%s\n", on, q.State, obj)
		}
	}

	rows, err := svc.Rollup(ctx, icma, partnership.RollupQuery{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nNow: %s, planned end %s, %d exchange(s) recorded, %d contribution(s).\n", p.State, p.End, len(p.Exchanges), len(p.Contributions))
	if len(rows) == 0 {
		fmt.Fprintln(w, "Volunteer hours and in-kind value: not documented by any source, so none recorded.")
	}
	fmt.Fprintln(w, "Not recorded, for want of dates: a Shimla delegation (the Mayor, the Commissioner, the city project")
	fmt.Fprintln(w, "coordinator and a superintending engineer) visited Boulder (https://icma.org/blog-posts/highlights-shimla-boulder-partnership);")
	fmt.Fprintln(w, "the other CAPP trips.")
	fmt.Fprintf(w, "Refused after completion, as it should be: %v\n", refused)
	return nil
}

// orgKind maps the dataset's resource_party_kind to an organization kind.
func orgKind(k string) citylinks.OrgKind {
	switch k {
	case "us_county":
		return citylinks.KindCounty
	case "us_city_and_county":
		return citylinks.KindConsortium
	}
	return citylinks.KindCity
}
