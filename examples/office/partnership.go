package main

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// partnershipData is what a partnership's page shows.
type partnershipData struct {
	P       partnership.Partnership
	History []historyRow
	// AsOf is the day asked for, and Then the partnership as of it (nil
	// when it was not yet proposed then, with ThenNote saying so).
	AsOf     string
	Then     *partnership.Partnership
	ThenNote string
	// Commands are the commands the policy lets the actor give here, each
	// with a form where the app has one.
	Commands []commandView
	// Outcomes says whether the actor may read the partnership's outcomes,
	// and Record whether it may record them (report's policy).
	Outcomes, Record bool
	// Orgs are the organizations a form may name: each party and member.
	Orgs []partnership.Party
	// Resources are the resource parties, for ratification.
	Resources []partnership.Party
}

// historyRow is one event, with the state after it.
type historyRow struct {
	E     partnership.Event
	State partnership.State
	What  string
}

// commandView is one command the actor may give.
type commandView struct {
	Action partnership.Action
	// Form is the form's template name; empty when the app has no form for
	// it (it takes a structured document: use the library or an API).
	Form string
}

// forms are the commands the app has a form for, by action; the others
// (propose, sign-agreement, draft-work-plan, agree-work-plan) take
// structured documents.
var forms = map[partnership.Action]string{
	partnership.ActionRatify:             "ratify",
	partnership.ActionRecordExchange:     "exchange",
	partnership.ActionRecordContribution: "contribution",
	partnership.ActionStartClosing:       "dated",
	partnership.ActionComplete:           "dated",
	partnership.ActionResume:             "dated",
	partnership.ActionSuspend:            "reason",
	partnership.ActionDecline:            "reason",
	partnership.ActionTerminate:          "reason",
	partnership.ActionExtend:             "extend",
}

// allowed returns the commands the library's policy lets actor give on p,
// in the library's order. It asks the policy only: whether p's state
// allows a command is the command's guard, which says so when it is given.
func (s *server) allowed(a citylinks.Actor, p partnership.Partnership) []commandView {
	var out []commandView
	sum := p.Summary()
	for _, act := range partnership.Actions() {
		if act == partnership.ActionRead || act == partnership.ActionPropose {
			continue
		}
		if s.env.Policy.Authorize(a, act, sum) == nil {
			out = append(out, commandView{Action: act, Form: forms[act]})
		}
	}
	return out
}

func (s *server) partnershipPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx, a, id := r.Context(), actor(sess), r.PathValue("id")
	events, err := s.env.Partnerships.History(ctx, a, id)
	if err != nil {
		return err
	}
	p, err := partnership.Fold(events)
	if err != nil {
		return err
	}
	d := partnershipData{P: p, Commands: s.allowed(a, p)}
	var acc partnership.Partnership
	for _, e := range events {
		if err := acc.Apply(e); err != nil {
			return err
		}
		d.History = append(d.History, historyRow{E: e, State: acc.State, What: describe(e)})
	}
	if asOf := r.URL.Query().Get("as_of"); asOf != "" {
		d.AsOf = asOf
		day, err := citylinks.ParseDate(asOf)
		if err != nil {
			return err
		}
		then, err := partnership.AsOf(events, day)
		switch {
		case errors.Is(err, citylinks.ErrNotFound):
			d.ThenNote = fmt.Sprintf("not yet proposed on %s", day)
		case err != nil:
			return err
		default:
			d.Then = &then
		}
	}
	if act, err := s.env.Reports.Store().GetActivity(ctx, id); err == nil {
		d.Outcomes = report.Authorize(a, report.ActionRead, &act) == nil
		d.Record = report.Authorize(a, report.ActionRecord, &act) == nil
	}
	for _, party := range p.Parties {
		d.Orgs = append(d.Orgs, party)
		for _, m := range party.Members {
			d.Orgs = append(d.Orgs, partnership.Party{Role: party.Role, Organization: m.ID, Name: m.Name + " (" + party.Name + ")", Kind: m.Kind})
		}
		if party.Role == partnership.PartyResource {
			d.Resources = append(d.Resources, party)
		}
	}
	return s.show(w, sess, "partnership", p.Title, &d)
}

// describe says what an event recorded, in a few words.
func describe(e partnership.Event) string {
	switch d := e.Data.(type) {
	case *partnership.Ratified:
		return "ratified by " + d.Body
	case *partnership.ExchangeRecorded:
		return fmt.Sprintf("exchange %s: %s → %s, %s to %s, %s (%s)", d.Exchange.ID, d.Exchange.From, d.Exchange.To, d.Exchange.Start, d.Exchange.End, d.Exchange.Status, d.Exchange.Purpose)
	case *partnership.ContributionRecorded:
		c := d.Contribution
		s := fmt.Sprintf("contribution %s by %s: %s hours", c.ID, c.Party, strconv.FormatFloat(c.Hours(), 'f', -1, 64))
		if c.InKind.Amount != 0 {
			s += ", in kind " + c.InKind.String()
		}
		if c.Description != "" {
			s += " (" + c.Description + ")"
		}
		return s
	case *partnership.Suspended:
		return "suspended: " + d.Reason
	case *partnership.Declined:
		return "declined: " + d.Reason
	case *partnership.Terminated:
		return "terminated: " + d.Reason
	case *partnership.Extended:
		return fmt.Sprintf("extended to %s: %s", d.End, d.Reason)
	}
	return ""
}

// command gives one command from the forms of the partnership page.
func (s *server) command(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := r.PathValue("id")
	cmd, err := commandOf(r)
	if err != nil {
		return err
	}
	if _, err := s.env.Partnerships.Execute(r.Context(), actor(sess), id, cmd); err != nil {
		var fu *partnership.FollowUpError
		if !errors.As(err, &fu) {
			return err
		}
		s.log.Printf("office: %v", err)
		return s.done(w, r, sess, "/partnerships/"+url.PathEscape(id), fmt.Sprintf("%s: stored; the report will catch up (%v).", cmd.Action(), fu.Err))
	}
	return s.done(w, r, sess, "/partnerships/"+url.PathEscape(id), fmt.Sprintf("%s: done.", cmd.Action()))
}

// commandOf reads a command from a command form.
func commandOf(r *http.Request) (partnership.Command, error) {
	f := r.PostFormValue
	on, err := dateField("on", f("on"))
	if err != nil {
		return nil, err
	}
	switch partnership.Action(f("action")) {
	case partnership.ActionRatify:
		return partnership.Ratify{Party: f("party"), Body: f("body"), On: on}, nil
	case partnership.ActionStartClosing:
		return partnership.StartClosing{On: on}, nil
	case partnership.ActionComplete:
		return partnership.Complete{On: on}, nil
	case partnership.ActionResume:
		return partnership.Resume{On: on}, nil
	case partnership.ActionSuspend:
		return partnership.Suspend{On: on, Reason: f("reason")}, nil
	case partnership.ActionDecline:
		return partnership.Decline{On: on, Reason: f("reason")}, nil
	case partnership.ActionTerminate:
		return partnership.Terminate{On: on, Reason: f("reason")}, nil
	case partnership.ActionExtend:
		end, err := dateField("end", f("end"))
		if err != nil {
			return nil, err
		}
		return partnership.Extend{On: on, End: end, Reason: f("reason")}, nil
	case partnership.ActionRecordExchange:
		start, err := dateField("start", f("start"))
		if err != nil {
			return nil, err
		}
		end, err := dateField("end", f("end"))
		if err != nil {
			return nil, err
		}
		return partnership.RecordExchange{Exchange: partnership.Exchange{ID: strings.TrimSpace(f("id")), From: f("from"), To: f("to"),
			Start: start, End: end, Purpose: f("purpose"), Status: partnership.ExchangeStatus(f("status"))}}, nil
	case partnership.ActionRecordContribution:
		c := partnership.Contribution{ID: strings.TrimSpace(f("id")), Party: f("party"), Person: f("person"), Date: on, Description: f("description")}
		if h := strings.TrimSpace(f("hours")); h != "" {
			hours, err := strconv.ParseFloat(h, 64)
			if err != nil || math.IsNaN(hours) || math.IsInf(hours, 0) || hours < 0 || hours > 1e6 {
				return nil, &citylinks.ValidationError{Field: "hours", Problem: fmt.Sprintf("%q is not a number of hours from 0 to 1,000,000", h)}
			}
			c.Minutes = int64(math.Round(hours * 60))
		}
		if amt := strings.TrimSpace(f("in_kind")); amt != "" {
			m, err := citylinks.ParseMoney(amt, strings.ToUpper(strings.TrimSpace(f("currency"))))
			if err != nil {
				return nil, err
			}
			c.InKind = m
		}
		return partnership.RecordContribution{Contribution: c}, nil
	}
	return nil, &citylinks.ValidationError{Field: "action", Problem: fmt.Sprintf("%q is not a command this app has a form for", f("action"))}
}

// dateField parses a form's date.
func dateField(field, v string) (citylinks.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return citylinks.Date{}, nil
	}
	d, err := citylinks.ParseDate(v)
	if err != nil {
		return citylinks.Date{}, &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf("%q is not a date such as 2016-04-30", v)}
	}
	return d, nil
}
