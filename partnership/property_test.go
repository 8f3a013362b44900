package partnership_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
)

// plainStore hides a store's LoadPartnershipAfter, as a third-party store
// without it would.
type plainStore struct{ partnership.Store }

// scribble changes every list of p in place, as a caller that sorts or
// edits what it was given might: the Service must have handed it a copy.
func scribble(p *partnership.Partnership) {
	for i := range p.Contributions {
		p.Contributions[i].Person = "scribbled"
	}
	for i := range p.Exchanges {
		p.Exchanges[i].Purpose = "scribbled"
	}
	slices.Reverse(p.ContributionOwners)
	for i := range p.Parties {
		p.Parties[i].Name = "scribbled"
	}
	if p.WorkPlan != nil && len(p.WorkPlan.Objectives) > 0 {
		p.WorkPlan.Objectives[0].Text = "scribbled"
	}
}

// TestRandomCommands runs random command sequences by random actors, each
// through one of several Services over the same store (as several
// processes would be; one over a store without LoadPartnershipAfter, one
// that may keep a single state): a refused command changes nothing stored,
// an accepted one appends at most one event, the state returned (and every
// Service's Get) is the fold of what is stored, whatever the caller did to
// earlier states, the projection equals it, and the state as of the last
// date is the same.
func TestRandomCommands(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		store := memory.New()
		clock := &pt.Clock{}
		svcs := []*partnership.Service{
			partnership.NewService(store, &partnership.Options{Now: clock.Now, Results: approve}),
			partnership.NewService(store, &partnership.Options{Now: clock.Now, Results: approve}),
			partnership.NewService(plainStore{store}, &partnership.Options{Now: clock.Now, Results: approve}),
			partnership.NewService(store, &partnership.Options{Now: clock.Now, Results: approve, CacheEvents: 1}),
		}
		svc := svcs[0]
		ctx := t.Context()
		actors := []citylinks.Actor{pt.Facilitator, pt.Actor(pt.USAIDIndia, citylinks.RoleFunder), pt.Actor(pt.Boulder, citylinks.RoleCoordinator),
			pt.Actor(pt.Durban, citylinks.RoleCoordinator), pt.Actor("x", citylinks.RoleViewer)}
		day := pt.D(2015, 3, 1)
		var last partnership.Partnership
		for i := range rapid.IntRange(1, 40).Draw(t, "steps") {
			day = day.AddDays(rapid.IntRange(0, 20).Draw(t, "days"))
			if day.After(pt.D(2016, 6, 30)) {
				day = pt.D(2016, 6, 30)
			}
			id := fmt.Sprint(i)
			cmds := []partnership.Command{
				partnership.Propose{ID: "p", Title: "T", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Parties: pt.ShimlaBoulder(), On: day},
				partnership.Ratify{Party: pt.Boulder, Body: "Council", On: day},
				partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: day.AddDays(300), On: day},
				partnership.DraftWorkPlan{Plan: pt.Plan(), On: day},
				partnership.AgreeWorkPlan{Plan: pt.Plan(), On: day},
				partnership.RecordExchange{Exchange: partnership.Exchange{ID: id, From: pt.Boulder, To: pt.Shimla, Start: day, End: day, Purpose: "p", Status: partnership.ExchangeDone}},
				partnership.RecordContribution{Contribution: partnership.Contribution{ID: id, Party: pt.Boulder, Person: "v", Date: day, Minutes: 60}},
				partnership.StartClosing{On: day},
				partnership.Complete{On: day},
				partnership.Suspend{On: day},
				partnership.Resume{On: day},
				partnership.Extend{End: day.AddDays(rapid.IntRange(-100, 400).Draw(t, "extend")), On: day},
				partnership.Decline{On: day},
				partnership.Terminate{Reason: "r", On: day},
			}
			// Half the time take the next step of the main line, so that
			// runs reach every state; otherwise anything, by anyone.
			next := map[partnership.State]int{"": 0, partnership.StateProposed: 1 + len(last.Ratifications), partnership.StateAgreed: 4,
				partnership.StateActive: 5 + len(last.Exchanges)%2*2, partnership.StateClosing: 8, partnership.StateSuspended: 10}
			cmd := rapid.SampledFrom(cmds).Draw(t, "command")
			actor := rapid.SampledFrom(actors).Draw(t, "actor")
			if i, ok := next[last.State]; ok && rapid.Bool().Draw(t, "main line") {
				cmd, actor = cmds[i], pt.Facilitator
			}
			before, _ := store.LoadPartnership(ctx, "p")
			p, err := rapid.SampledFrom(svcs).Draw(t, "service").Execute(ctx, actor, "p", cmd)
			after, _ := store.LoadPartnership(ctx, "p")
			if err != nil {
				if d := cmp.Diff(before, after); d != "" {
					t.Fatalf("refused %s (%v) left a trace:\n%s", cmd.Action(), err, d)
				}
				continue
			}
			if n := len(after) - len(before); n < 0 || n > 1 {
				t.Fatalf("%s appended %d events", cmd.Action(), n)
			}
			folded, err := partnership.Fold(after)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(folded, p); d != "" {
				t.Fatalf("%s: returned state is not the fold of the stream:\n%s", cmd.Action(), d)
			}
			for k, s := range svcs {
				got, err := s.Get(ctx, pt.Facilitator, "p")
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(folded, got); d != "" {
					t.Fatalf("after %s, service %d's state is not the fold of the stream:\n%s", cmd.Action(), k, d)
				}
				scribble(&got)
			}
			last = p.Clone()
			scribble(&p)
		}
		if last.Version == 0 {
			return
		}
		page, err := store.ListPartnerships(ctx, partnership.Filter{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("List = %v, %v", page.Items, err)
		}
		if d := cmp.Diff(last.Summary(), page.Items[0]); d != "" {
			t.Fatalf("projection differs from the fold:\n%s", d)
		}
		asOf, err := svc.AsOf(ctx, pt.Facilitator, "p", pt.D(2016, 6, 30))
		if err != nil {
			t.Fatal(err)
		}
		if asOf.State != last.State || len(asOf.Contributions) != len(last.Contributions) {
			t.Fatalf("as of the last date: %s, want %s", asOf.State, last.State)
		}
	})
}
