package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citylinks/citylinks/internal/demo"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// reportFiles are the files the quickstart writes, by renderer format.
var reportFiles = []struct{ format, name string }{
	{"html", "report.html"},
	{"md", "report.md"},
	{"csv", "report.csv"},
	{"json", "report.json"},
	{"iati", "iati.xml"},
}

// writeReports builds the results report and writes it in every format.
// Each file is written whole to a temporary name and then renamed, so a
// failed run never leaves half a report behind.
func writeReports(ctx context.Context, e *demo.Env, cfg config) (*report.Report, []string, error) {
	lang, err := render.ParseLanguage(cfg.lang)
	if err != nil {
		return nil, nil, err
	}
	r, err := e.Reports.BuildReport(ctx, e.Facilitator, &report.ReportOptions{
		Title:   "CityLinks quickstart — results as of " + demoAsOf.String(),
		GroupBy: []report.Dim{report.DimPartnership},
	})
	if err != nil {
		return nil, nil, err
	}
	iati := render.IATI{ReportingOrg: render.IATIOrg{Ref: cfg.iatiOrgRef, Type: "21", Name: "ICMA CityLinks (quickstart)"}}
	var written []string
	for _, f := range reportFiles {
		rend, err := render.For(f.format, iati, lang)
		if err != nil {
			return nil, nil, err
		}
		var buf bytes.Buffer
		if err := rend.Render(&buf, r); err != nil {
			return nil, nil, fmt.Errorf("render %s: %w", f.name, err)
		}
		path := filepath.Join(cfg.outDir, f.name)
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
			return nil, nil, err
		}
		if err := os.Rename(tmp, path); err != nil {
			return nil, nil, errors.Join(err, os.Remove(tmp))
		}
		written = append(written, path)
	}
	return r, written, nil
}
