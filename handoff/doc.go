// Package handoff hands each result of one part of a partnership program to
// the next: a pair proposed by a matching round becomes a partnership
// proposal, and a partnership, from its proposal on, becomes the activity
// and contributions that package report reports on, kept in step as its
// events arrive.
//
// Packages matching, partnership and report each import only package
// citylinks; handoff is the one place that imports all three, so that none
// of them needs another. Its pure parts ([Propose], [Activity],
// [Contributions] and the code tables [Status], [OrgRole], [OrgType],
// [Sectors], [PolicyMarkers]) work on values; [Syncer] reads partnerships
// from a partnership.Store and writes through a report.Service.
//
// # Using it
//
//	rep := report.NewService(store, nil) // store: memory.New(), sqlite.New(db) or postgres.New(pool)
//	rep.DefineStarterCatalogue(ctx, icma)
//	sync, _ := handoff.NewSyncer(store, rep, &handoff.Options{Actor: icma})
//	svc := partnership.NewService(store, &partnership.Options{Results: rep, AfterAppend: sync.Appended})
//
//	res, _ := matching.Match(ctx, program, round, nil)
//	prop, _ := handoff.Propose(round, res.Proposals[0], handoff.Terms{ID: "CL-1", Program: program.ID, Facilitator: &icmaOrg})
//	svc.Propose(ctx, icma, prop)             // registered as a pipeline activity
//	svc.Ratify(ctx, icma, "CL-1", …)         // each later command keeps it in step:
//	svc.AgreeWorkPlan(ctx, icma, "CL-1", …)  // objectives and indicators, implementation
//	svc.RecordContribution(ctx, coordinator, "CL-1", …) // a report contribution
//
// # When the report write fails
//
// The partnership's events are committed first; the report is written
// after, in its own transactions. When that write fails, the command
// returns the new state with a *partnership.FollowUpError: the command is
// stored (retrying it changes nothing) and the report lags behind. Fix the
// cause (define the indicator the work plan names, bring the database back)
// and call [Syncer.Sync] for the partnership, or [Syncer.SyncAll] for every
// partnership; both are idempotent, and a catch-up after a crash or for a
// database written before the Syncer was set up is the same call.
// Concurrent commands on one partnership cannot leave an older state
// written last: a sync checks the partnership's version after it writes,
// and writes again if a command was stored meanwhile.
//
// # What maps to what
//
// A partnership's state gives the IATI activity status (proposed and agreed
// are pipeline, active is implementation, closing is finalisation,
// completed is closed, declined and terminated are cancelled, suspended is
// suspended); its parties become participating organizations (funder as
// funding, facilitator as extending, the others as implementing, with an
// organisation type by kind); its focus area gives a DAC sector and, for
// climate, the climate-adaptation policy marker; each objective of the
// agreed work plan becomes a report objective with its indicators; its
// contributions become report contributions whose ids ([ContributionID])
// never change. Options set IATI organisation identifiers and let a program
// amend an activity (its reporting schedule, a more precise sector).
package handoff
