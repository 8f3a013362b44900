// Package report tracks what city-to-city partnerships achieve and reports
// it: indicators and the results framework, observations, approval of each
// partnership's report per period with period locks, due reports, roll-ups
// with disaggregation and progress to target, and the [Report] that
// package report/render writes as CSV, JSON, Markdown, HTML and IATI 2.03
// activity XML.
//
// Package report imports only the standard library, package citylinks and
// the module's internal helpers.
// It does not read partnership state: the caller (package handoff, which
// keeps it in step with a partnership.Service, or any program) registers one
// [Activity] per partnership and keeps it up to date, and passes volunteer
// hours and in-kind value as [Contribution] records.
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
// # Indicators
//
// An [Indicator] has a code, name, unit, [Measure] (unit, percentage,
// qualitative), [ChangeDirection], [Aggregation] (sum, mean, latest),
// disaggregation dimensions and a focus area. [StarterCatalogue] offers
// indicators for every citylinks focus area. Their codes are ours (prefix
// "CL-"); where one matches a standard indicator, its [Reference] gives the
// standard's code (a U.S. Foreign Assistance standard indicator such as
// HL.8.1-1, or a UN SDG indicator such as 11.6.1) and the document it was
// read from.
//
// Each indicator has a [ResultType] (output, outcome, impact: the IATI
// result type) and a [TargetFrequency] (life of project; baseline, midline
// and endline; annual, semi-annual, quarterly, monthly; event), which says
// whether progress counts the actuals from the start (cumulative targets)
// or those within the target's period. Per-period targets span whole
// months of their length ([TargetFrequency.CheckPeriod]).
//
// # Results frameworks
//
// A [Framework] is a tree of [Level]s for a program or a partnership,
// with tiers named by a [Template] ([USAIDTemplate]: Strategic Objective →
// Intermediate Result → Sub-Intermediate Result → Output → Input;
// [CityLinksTemplate]: program purpose → partnership objective → work-plan
// action), and each indicator placed at one level. [StarterFramework]
// places the starter indicators under the purposes of CityLinks
// 2011–2016. [Service.DefineFramework] stores one; [Report.Frameworks]
// holds those of a report's programs and partnerships.
//
// # Observations and periods
//
// An [Observation] is a baseline, target or actual for a [Period] — a year,
// quarter, month or explicit range — with a [Disaggregation] (e.g.
// sex=female), a source and a reporter. An observation without
// disaggregation is a total. Roll-ups never mix totals with breakdowns.
// [Service.ImportCSV] reads observations in the format of
// [ObservationColumns]; a bad row stores nothing and the error names its
// line.
//
// Values are checked against their indicator and partnership: a unit
// indicator counts whole units from 0 (fractions only when it is
// Fractional), a percentage lies in 0..100, no value exceeds [MaxValue] (so
// no roll-up of valid values overflows), an actual's period must have
// begun, and no actual or target lies wholly before the partnership's start
// or after its end.
//
// # Identity
//
// An observation's cell is its partnership, indicator, kind, period and
// disaggregation. Without an id of the caller's it takes its cell's id
// ([Observation.CellID]), so recording or importing the same row twice
// stores it once: the second time is a no-op, or a correction when the
// value changed. A cell holds one baseline and one target; a second one
// under another id is a [*ConflictError], never added to the first. An id
// stays with its partnership, and with the organization that first
// recorded it, for ever; a coordinator revises only its own
// organization's observations and contributions. Every backend checks this
// inside its write transaction ([CheckWrite] for observations).
//
// # Approval and locks
//
// Each partnership's report for a period is a draft until submitted; a
// monitor approves it or returns it with a comment (a returned report is a
// draft again). A submitted period is frozen until the monitor returns it,
// and an approved one is locked until a monitor unlocks it, so that what
// is approved is what was reviewed: any write of an observation whose
// period overlaps a frozen one (with 2015-Q1 approved, the year 2015 or
// the range 2015-03-01/2015-04-30), or moving one out of it, fails with a
// [*LockedError], which wraps [ErrLocked] and citylinks.ErrConflict. Only a
// monitor can unlock, with a reason that stays in the period's history
// ([Service.History]). An actual is approved when its period lies within an
// approved period; [RollupQuery].Approval keeps approved or unapproved
// actuals. Who may do
// what is [Authorize]'s table. [Service.FinalResultsApproved] reports
// whether the period containing a partnership's end date is approved, and
// so satisfies partnership.ResultsChecker. [Service.Due] lists reports that
// are overdue or due soon, by each partnership's reporting [Frequency].
//
// # Roll-ups
//
// [Service.Rollup] groups by program, focus area, host country,
// partnership, period or year, and any disaggregation dimension
// ([ByDisaggregation]); aggregates each indicator by its aggregation;
// computes progress = (actual − baseline) / (target − baseline), which
// respects the indicator's direction; and classifies it against an
// on-track band of ±15 % (Options.Band). Volunteer hours and in-kind value
// are totalled alongside. Storage backends push the grouping down
// ([Store.RollupObservations], whose doc defines the result
// they must all give).
//
// Progress compares like with like. [NewTrack] and [Report.Track] set one
// partnership's actuals beside the target each is measured against, per
// period (a year's quarters against the year's target, never one quarter
// against it) or cumulatively (running totals against a life-of-project
// target, the next milestone, or running per-period targets): what a
// chart draws, with a target line only where a target applies.
//
// # Reports
//
// [Service.BuildReport] gathers what a donor report needs: the activities,
// indicators, frameworks, approvals, the roll-up of approved actuals, and
// each partnership's [Track]s. Only approved figures reach the donor. An
// actual is approved when its period lies within an approved period of its
// partnership ([Report.ActualState]); baselines and targets are plan
// values and are not subject to approval. Package report/render writes a
// Report; each [Activity] carries what IATI needs (its host-city
// [Location]s, parent award, public [Document]s and Summary), and
// [CheckIATIIdentifier] refuses a publisher identifier with white space or
// one of / & | ?.
package report
