package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/internal/cliflag"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/store/sqlite"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// actor is who the tool acts as: a facilitator, who may define indicators,
// register partnerships and record observations.
var actor = citylinks.Actor{ID: "outcomes-cli", Roles: []citylinks.Role{citylinks.RoleFacilitator}}

type options struct {
	db, importFile, format, out string
	lang                        string
	init, due                   bool
	asOf                        string
	iati                        render.IATIOrg
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("outcomes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: outcomes -db FILE [-init] [-import FILE.csv] [-due] [-format csv|json|md|html|iati -out FILE] [-lang en|fr|es|pt]\n\n"+
			"Records and reports partnership outcomes in a citylinks SQLite database.\n\n")
		cliflag.PrintDefaults(fs)
	}
	var o options
	fs.StringVar(&o.db, "db", filepath.Join("out", "outcomes.db"), "SQLite database `file` to create or reuse")
	fs.BoolVar(&o.init, "init", false, "define the starter indicators and register the documented partnerships, each with its status as of -as-of (idempotent)")
	fs.StringVar(&o.importFile, "import", "", "import observations from this CSV `file` (all or nothing)")
	fs.BoolVar(&o.due, "due", false, "list the reports that are overdue or due soon")
	cliflag.AsOf(fs, &o.asOf, "judge due reports, and the status -init registers, as of this `date` (YYYY-MM-DD; default today)")
	fs.StringVar(&o.format, "format", "", "render the results as csv, json, md, html or iati")
	fs.StringVar(&o.lang, "lang", "en", "`language` of the words of -format html and md, and of the csv header: en, fr, es or pt")
	fs.StringVar(&o.out, "out", "", "write the rendered results to this `file` (default standard output)")
	fs.StringVar(&o.iati.Ref, "iati-org-ref", "", "IATI organisation identifier of the publisher, e.g. US-EIN-123456789 (required for -format iati)")
	fs.StringVar(&o.iati.Type, "iati-org-type", "21", "IATI OrganisationType `code` of the publisher")
	fs.StringVar(&o.iati.Name, "iati-org-name", "CityLinks", "`name` of the publisher")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "outcomes: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := o.run(ctx, stdout); err != nil {
		fmt.Fprintf(stderr, "outcomes: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		return 1
	}
	return 0
}

func (o options) run(ctx context.Context, w io.Writer) error {
	var renderer render.Renderer
	if o.format != "" {
		if o.format == "iati" && o.iati.Ref == "" {
			return errors.New("-format iati needs -iati-org-ref, the publisher's IATI organisation identifier")
		}
		if o.iati.Ref != "" {
			// Refused before anything is read or written: IATI identifiers
			// hold no white space and none of / & | ?.
			if err := report.CheckIATIIdentifier("-iati-org-ref", o.iati.Ref); err != nil {
				return err
			}
		}
		var err error
		lang, err := render.ParseLanguage(o.lang)
		if err != nil {
			return err
		}
		if renderer, err = render.For(o.format, render.IATI{ReportingOrg: o.iati}, lang); err != nil {
			return err
		}
	} else if o.out != "" {
		return errors.New("-out needs -format")
	}
	var asOf citylinks.Date
	if o.asOf != "" {
		var err error
		if asOf, err = citylinks.ParseDate(o.asOf); err != nil {
			return err
		}
	}
	if dir := filepath.Dir(o.db); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	db, err := sqlite.Open(o.db)
	if err != nil {
		return err
	}
	store := sqlite.New(db)
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	svc := report.NewService(store, nil)
	if o.init {
		seedAsOf := asOf
		if seedAsOf.IsZero() {
			seedAsOf = citylinks.DateOf(time.Now().UTC())
		}
		n, skipped, err := seed(ctx, svc, seedAsOf)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Defined %d starter indicators; registered %d documented partnerships (%d without a start year skipped).\n",
			len(report.StarterCatalogue()), n, skipped)
	}
	if o.importFile != "" {
		f, err := os.Open(o.importFile)
		if err != nil {
			return err
		}
		n, err := svc.ImportCSV(ctx, actor, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", o.importFile, err)
		}
		fmt.Fprintf(w, "Imported %s: %d rows, %d new, %d changed, %d unchanged.\n", o.importFile, n.Rows, n.Added, n.Changed, n.Unchanged)
	}
	if o.due {
		due, err := svc.Due(ctx, actor, &report.DueOptions{AsOf: asOf})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%d report(s) overdue or due soon.\n", len(due))
		for _, d := range due {
			fmt.Fprintf(w, "  %-9s %-14s %-8s due %s (%d days)\n", d.Status, d.Partnership, d.Period, d.DueDate, d.DaysLate)
		}
	}
	if renderer == nil {
		return nil
	}
	r, err := svc.BuildReport(ctx, actor, &report.ReportOptions{Title: "Partnership outcomes"})
	if err != nil {
		return err
	}
	out := w
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if err := renderer.Render(out, r); err != nil {
		return err
	}
	if o.out != "" {
		fmt.Fprintf(w, "Wrote %s (%s): %d partnerships, %d roll-up rows.\n", o.out, o.format, len(r.Activities), len(r.Rollup.Rows))
	}
	return nil
}

// focusOf maps the focus column of the shipped partnerships table to a
// citylinks focus area.
var focusOf = map[string]string{
	"climate": citylinks.FocusClimate, "solid_waste": citylinks.FocusBasicServices,
	"municipal_management": citylinks.FocusMunicipalManagement, "healthy_community": citylinks.FocusBasicServices,
	"citizen_participation_econ_dev": citylinks.FocusEconomicCompetitiveness, "tourism_investment": citylinks.FocusEconomicCompetitiveness,
}

// documentedIATI gives the programs' funder and facilitator their full
// names, and USAID the organisation identifier US-GOV-1, under which
// USAID's own IATI data is published (a legacy identifier: US-GOV is not in
// the current IATI OrganisationRegistrationAgency codelist).
var documentedIATI = map[string]render.IATIOrg{
	"usaid": {Ref: "US-GOV-1", Name: "U.S. Agency for International Development"},
	"icma":  {Name: "International City/County Management Association"},
}

// seed defines the starter catalogue and registers each documented
// partnership that has a start year as an activity, linked to its focus
// area's starter indicators. The table gives years only: a partnership
// runs from 1 January of its start year to 31 December of its end year or,
// when the table gives none, to the end of its program (CityLinks 2011–2016
// ended in 2016). Its state is where it stood on asOf, an assumption for the
// demonstration: proposed before its start, completed after its end,
// active in between. Each is described as such a partnership (not stored:
// this tool keeps no partnership streams), and package handoff describes it
// to package report as it describes every partnership: pipeline, closed or
// implementation. Due reports follow the status, so only partnerships under
// way on asOf owe any.
func seed(ctx context.Context, svc *report.Service, asOf citylinks.Date) (registered, skipped int, err error) {
	if err := svc.DefineStarterCatalogue(ctx, actor); err != nil {
		return 0, 0, err
	}
	cr := csv.NewReader(dataset.Partnerships())
	header, err := cr.Read()
	if err != nil {
		return 0, 0, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, 0, err
		}
		get := func(c string) string { return rec[col[c]] }
		start, err := strconv.Atoi(get("start_year"))
		if err != nil {
			skipped++
			continue
		}
		focus := focusOf[get("focus")]
		program := citylinks.ProgramResourceCities
		if strings.HasPrefix(get("program_phase"), "CityLinks 2011") {
			program = citylinks.ProgramCityLinks2011
		}
		var codes []string
		for _, in := range report.Catalogue(focus) {
			codes = append(codes, in.Code)
		}
		p := partnership.Partnership{
			ID: get("id"), Title: get("partner_city") + " – " + get("resource_party") + " partnership",
			Notes: get("status_note"), Program: program, FocusArea: focus, State: partnership.StateActive,
			Parties: []partnership.Party{
				{Role: partnership.PartyFunder, Organization: "usaid", Name: "USAID", Kind: citylinks.KindDonor, Country: "US"},
				{Role: partnership.PartyFacilitator, Organization: "icma", Name: "ICMA", Kind: citylinks.KindFacilitator, Country: "US"},
				{Role: partnership.PartyResource, Name: get("resource_party"), Kind: citylinks.KindCity},
				{Role: partnership.PartyHost, Name: get("partner_city"), Kind: citylinks.KindCity, Country: get("partner_country")},
			},
			ProposedOn: citylinks.Date{Year: start, Month: time.January, Day: 1},
			WorkPlan:   &partnership.WorkPlan{Objectives: []partnership.Objective{{Code: "results", Text: "Partnership results in " + focus, Indicators: codes}}},
		}
		if end, err := strconv.Atoi(get("end_year")); err == nil {
			p.End = citylinks.Date{Year: end, Month: time.December, Day: 31}
		} else if prog, err := citylinks.LookupProgram(program); err == nil {
			p.End = prog.End
		}
		switch {
		case asOf.Before(p.ProposedOn):
			p.State = partnership.StateProposed
		case !p.End.IsZero() && p.End.Before(asOf):
			p.State = partnership.StateCompleted
		}
		a := handoff.Activity(p, &handoff.Options{IATI: documentedIATI})
		if get("focus") == "solid_waste" {
			// DAC purpose code 14050 waste management/disposal (IATI
			// Sector codelist): more precise than basic services' code.
			a.Sectors = []report.Sector{{Code: "14050", Percentage: 100}}
		}
		if err := svc.RegisterActivity(ctx, actor, a); err != nil {
			return 0, 0, fmt.Errorf("partnership %s: %w", a.ID, err)
		}
		registered++
	}
	return registered, skipped, nil
}
