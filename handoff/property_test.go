package handoff_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/memory"
)

// reportOf returns everything package report holds about partnerships.
func reportOf(t *rapid.T, s *memory.Store) ([]report.Activity, []report.Contribution) {
	ctx := context.Background()
	acts, err := s.ListActivities(ctx, report.ActivityFilter{Limit: citylinks.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.ListContributions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return acts.Items, cs
}

// TestSyncProperties runs random command sequences on two partnerships
// twice over: once through a service that hands every command off, once
// through one that does not, followed by SyncAll. Syncing twice is syncing
// once (the second writes nothing and changes nothing), and the report the
// hand-off kept in step command by command is the one a single catch-up
// writes.
func TestSyncProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		type run struct {
			store *memory.Store
			svc   *partnership.Service
			sync  *handoff.Syncer
		}
		newRun := func(handOff bool) run {
			r := run{store: memory.New()}
			clock := &pt.Clock{}
			rep := report.NewService(r.store, &report.Options{Now: clock.Now})
			if err := rep.DefineStarterCatalogue(ctx, pt.Facilitator); err != nil {
				t.Fatal(err)
			}
			var err error
			if r.sync, err = handoff.NewSyncer(r.store, rep, &handoff.Options{Actor: pt.Facilitator}); err != nil {
				t.Fatal(err)
			}
			opts := &partnership.Options{Now: clock.Now, Results: rep}
			if handOff {
				opts.AfterAppend = r.sync.Appended
			}
			r.svc = partnership.NewService(r.store, opts)
			return r
		}
		live, later := newRun(true), newRun(false)
		codes := []string{"CL-CLIM-01", "CL-CLIM-02", "CL-CLIM-04"}
		day := pt.D(2015, 3, 1)
		for i := range rapid.IntRange(1, 30).Draw(t, "steps") {
			day = day.AddDays(rapid.IntRange(0, 20).Draw(t, "days"))
			if day.After(pt.D(2016, 6, 30)) {
				day = pt.D(2016, 6, 30)
			}
			plan := partnership.WorkPlan{Indicators: rapid.SliceOfNDistinct(rapid.SampledFrom(codes), 0, 2, rapid.ID).Draw(t, "plan indicators")}
			for j := range rapid.IntRange(1, 3).Draw(t, "objectives") {
				plan.Objectives = append(plan.Objectives, partnership.Objective{Code: fmt.Sprintf("O%d", j+1), Text: "objective",
					Indicators: rapid.SliceOfNDistinct(rapid.SampledFrom(codes), 0, 2, rapid.ID).Draw(t, "indicators")})
			}
			contribution := partnership.Contribution{ID: rapid.SampledFrom([]string{"c1", "c2", "c3"}).Draw(t, "contribution"),
				Party: pt.Boulder, Person: "v", Date: day, Minutes: rapid.Int64Range(1, 600).Draw(t, "minutes")}
			cmds := []partnership.Command{
				partnership.Propose{Title: "T", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Parties: pt.ShimlaBoulder(), On: day},
				partnership.Ratify{Party: pt.Boulder, Body: "Council", On: day},
				partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: day.AddDays(300), On: day},
				partnership.AgreeWorkPlan{Plan: plan, On: day},
				partnership.RecordExchange{Exchange: partnership.Exchange{ID: fmt.Sprint(i), From: pt.Boulder, To: pt.Shimla, Start: day, End: day, Purpose: "p", Status: partnership.ExchangeDone}},
				partnership.RecordContribution{Contribution: contribution},
				partnership.StartClosing{On: day},
				partnership.Suspend{On: day},
				partnership.Resume{On: day},
				partnership.Extend{End: day.AddDays(rapid.IntRange(1, 400).Draw(t, "extend")), On: day},
				partnership.Decline{On: day},
				partnership.Terminate{Reason: "r", On: day},
			}
			id := rapid.SampledFrom([]string{"p", "q"}).Draw(t, "partnership")
			cmd := rapid.SampledFrom(cmds).Draw(t, "command")
			if _, err := live.svc.Get(ctx, pt.Facilitator, id); err != nil {
				cmd = cmds[0]
			}
			_, errLive := live.svc.Execute(ctx, pt.Facilitator, id, cmd)
			_, errLater := later.svc.Execute(ctx, pt.Facilitator, id, cmd)
			if (errLive == nil) != (errLater == nil) {
				t.Fatalf("%s on %s: %v with the hand-off, %v without", cmd.Action(), id, errLive, errLater)
			}
		}

		first, err := later.sync.SyncAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		acts, cs := reportOf(t, later.store)
		second, err := later.sync.SyncAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if second != (handoff.Synced{Partnerships: first.Partnerships}) {
			t.Fatalf("a second SyncAll wrote %+v", second)
		}
		acts2, cs2 := reportOf(t, later.store)
		if d := cmp.Diff(acts, acts2, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("a second SyncAll changed the activities:\n%s", d)
		}
		if d := cmp.Diff(cs, cs2); d != "" {
			t.Fatalf("a second SyncAll changed the contributions:\n%s", d)
		}

		liveActs, liveCs := reportOf(t, live.store)
		if d := cmp.Diff(acts, liveActs, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("the hand-off and a catch-up differ on activities:\n%s", d)
		}
		if d := cmp.Diff(cs, liveCs); d != "" {
			t.Fatalf("the hand-off and a catch-up differ on contributions:\n%s", d)
		}
		n, err := live.sync.SyncAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != (handoff.Synced{Partnerships: n.Partnerships}) {
			t.Fatalf("a SyncAll after the hand-off wrote %+v", n)
		}
	})
}
