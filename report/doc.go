// Package report tracks what city-to-city partnerships achieve and reports
// it to the donor: indicators and results frameworks, observations,
// approval of each partnership's figures per period with period locks, due
// reports, and roll-ups with disaggregation and progress to target.
// Package report/render writes the resulting [Report] as CSV, JSON,
// Markdown, HTML and IATI 2.03 activity XML.
//
// Package report imports only the standard library, package citylinks and
// the module's internal helpers. It does not read partnership state: the
// caller (package handoff, which keeps it in step with a
// partnership.Service, or any program) registers one [Activity] per
// partnership and keeps it up to date, and passes volunteer hours and
// in-kind value as [Contribution]s.
//
// # Using it
//
//	svc := report.NewService(store, nil) // store: memory.New(), sqlite.New(db) or postgres.New(pool)
//	svc.DefineStarterCatalogue(ctx, facilitator)
//	svc.RegisterActivity(ctx, facilitator, report.Activity{ID: "CL11-DUR-FTL", …,
//		Objectives: []report.Objective{{Code: "O1", Text: "…", Indicators: []string{"CL-CLIM-02"}}}})
//	svc.Record(ctx, coordinator, report.Observation{Partnership: "CL11-DUR-FTL",
//		Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2014, 1), Value: 8})
//	svc.Submit(ctx, coordinator, "CL11-DUR-FTL", report.Quarter(2014, 1))
//	svc.Approve(ctx, monitor, "CL11-DUR-FTL", report.Quarter(2014, 1)) // locks the quarter
//	r, _ := svc.BuildReport(ctx, viewer, nil)
//	render.HTML{}.Render(w, r)
//
// # The model
//
// An [Indicator] says what is measured and how it adds up ([Measure],
// [Aggregation], [ChangeDirection], [TargetFrequency]); [StarterCatalogue]
// offers indicators for every focus area, each tied where it can be to a
// U.S. Foreign Assistance or UN SDG indicator ([Reference]). A [Framework]
// places indicators in a tree of [Level]s named by a [Template].
//
// An [Observation] is a baseline, target or actual of one partnership's
// indicator for a [Period] (year, quarter, month or range), as a total or
// for a [Disaggregation] such as sex=female. Its values are checked against
// the indicator and the partnership's dates, and its id belongs to its
// partnership and recording organization for ever ([ConflictError]).
// [Service.ImportCSV] reads observations in the format of
// [ObservationColumns]; a bad row stores nothing and the error names its
// line.
//
// # Approval
//
// Each partnership's figures for a period are a draft until submitted; a
// monitor approves them or returns them with a comment. A submitted or
// approved period is frozen: a write that would change what it holds fails
// with a [*LockedError] until a monitor returns or unlocks it, with a
// reason that stays in [Service.History]. Only approved actuals reach the
// donor: an actual is approved when its period lies within an approved
// period of its partnership ([Report.ActualState]). [Authorize] says who
// may do what; [Service.Due] lists the reports overdue or due soon.
//
// # Roll-ups
//
// [Service.Rollup] groups by program, focus area, country, partnership,
// period, year or disaggregation, aggregates each indicator its own way,
// and computes progress = (actual − baseline) / (target − baseline) with a
// status against an on-track band of ±15 % ([DefaultBand]). Volunteer
// hours and in-kind value are totalled beside. [Report.Track] sets one
// partnership's actuals against the target each is measured by, per
// period or cumulatively: what a chart draws.
//
// # Storage
//
// A [Store] holds it all; store/memory, store/sqlite and store/postgres
// implement it, and store/storetest checks any implementation. A backend
// pushes roll-ups down ([Store].RollupObservations defines the result) and
// checks every observation write inside its transaction ([CheckWrite]).
package report
