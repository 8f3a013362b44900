package render_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

// A report rendered in the format and language a user names, as the
// command-line programs do with -format and -lang. Nothing is approved
// yet, so every actual stands beside the roll-up as not yet approved.
func ExampleFor() {
	ctx := context.Background()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	if err := reporttest.Load(ctx, svc); err != nil {
		fmt.Println(err)
		return
	}
	r, err := svc.BuildReport(ctx, reporttest.Viewer, &report.ReportOptions{GroupBy: []report.Dim{report.DimFocusArea}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ren, err := render.For("csv", render.IATI{}, render.French)
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := ren.Render(&buf, r); err != nil {
		fmt.Println(err)
		return
	}
	// CSV lines end in CRLF, as RFC 4180 has them.
	fmt.Print(strings.ReplaceAll(buf.String(), "\r\n", "\n"))
	_, err = render.For("pdf", render.IATI{}, "")
	fmt.Println(err)
	// Output:
	// Domaine,Code de l'indicateur,Indicateur,Unité,Référence,Cible,Réalisé,Progression,Statut,Observations,Non encore approuvé,Observations non encore approuvées
	// basic-services,CL-BASIC-01,Municipal solid waste collected and managed in controlled facilities,% of waste generated,35,55,,,no-actual,1,47.5,1
	// basic-services,CL-MGMT-01,Municipal officials trained,people,,20,,,no-actual,1,24,1
	// climate,CL-CLIM-01,Climate action or adaptation plan adopted by the municipal council,,,,,,qualitative,1,,1
	// climate,CL-CLIM-02,Municipal staff trained in climate adaptation,people,0,95,,,no-actual,3,77,8
	// climate,CL-CLIM-03,Local disaster risk reduction strategy adopted and in force,strategies,0,1,,,no-actual,1,1,2
	// climate,CL-CLIM-04,Stakeholders taking part in climate planning workshops,people,,40,,,no-actual,1,46,1
	// citylinks: invalid format: "pdf" is not one of csv, json, md, html, iati
}

func ExampleIATI_IncludeUnapproved() {
	ctx := context.Background()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	if err := reporttest.Load(ctx, svc); err != nil {
		fmt.Println(err)
		return
	}
	// Telavi's 2015 figures are submitted, not yet approved.
	svc.Submit(ctx, reporttest.Facilitator, reporttest.Telavi, report.Year(2015))
	r, _ := svc.BuildReport(ctx, reporttest.Viewer, nil)
	for _, all := range []bool{false, true} {
		x := render.IATI{ReportingOrg: render.IATIOrg{Ref: "US-EIN-000000000", Type: "21", Name: "Example"}, IncludeUnapproved: all}
		var buf bytes.Buffer
		if err := x.Render(&buf, r); err != nil {
			fmt.Println(err)
			return
		}
		actuals, _ := reporttest.IATIActuals(buf.Bytes())
		fmt.Println(all, actuals["US-EIN-000000000-"+reporttest.Telavi])
	}
	// Output:
	// false []
	// true [Municipal officials trained (people)|2015-01-01|2015-12-31|24||Not approved (submitted). Municipal officials trained (people)|2015-01-01|2015-12-31|11|sex=female|Not approved (submitted). Municipal officials trained (people)|2015-01-01|2015-12-31|13|sex=male|Not approved (submitted). Municipal solid waste collected and managed in controlled facilities (% of waste generated)|2015-01-01|2015-12-31|47.5||Not approved (submitted).]
}

// The renderers' own words come from a catalogue per language; a word a
// catalogue lacks is written in English, and numbers are grouped the
// language's way.
func ExampleLanguage_Label() {
	lang, err := render.ParseLanguage("pt-BR")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lang, "·", lang.Label("progress"), "·", lang.Number(1234.5))
	fmt.Println(render.Language("de").Label("progress"))
	_, err = render.ParseLanguage("de")
	fmt.Println(err)
	// Output:
	// pt · Progresso em direção à meta · 1.234,5
	// Progress to target
	// citylinks: invalid lang: "de" has no label catalogue; use one of en, fr, es, pt
}
