package partnership

import (
	"fmt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Validate reports the first problem with e that does not depend on the
// rest of its partnership's record, as a *citylinks.ValidationError whose
// field is e's JSON path without the leading "$." ("data.parties[0].role").
func (e Event) Validate() error {
	if err := validID("partnership", e.Partnership); err != nil {
		return err
	}
	if e.Version < 1 {
		return invalid("version", "%d is not a version (versions start at 1)", e.Version)
	}
	if err := validDate("on", e.On, true); err != nil {
		return err
	}
	if e.At.IsZero() {
		return invalid("at", "is required")
	}
	if e.At.Year() < 1 || e.At.Year() > 9999 {
		return invalid("at", "%v is outside years 1 to 9999", e.At)
	}
	if err := e.Actor.Validate(); err != nil {
		return prefix("actor", trimActor(err))
	}
	if e.Data == nil {
		return invalid("data", "is required")
	}
	return prefix("data", validateData(e.Data))
}

// trimActor removes the "actor." prefix that citylinks.Actor.Validate puts
// on its fields.
func trimActor(err error) error {
	if ve, ok := err.(*citylinks.ValidationError); ok && len(ve.Field) > 6 && ve.Field[:6] == "actor." {
		return &citylinks.ValidationError{Field: ve.Field[6:], Problem: ve.Problem}
	}
	return err
}

func validateData(d Data) error {
	switch d := d.(type) {
	case *Proposed:
		return d.validate()
	case *Ratified:
		if err := validID("party", d.Party); err != nil {
			return err
		}
		return validText("body", d.Body, true)
	case *AgreementSigned:
		return d.validate()
	case *WorkPlanDrafted:
		return prefix("plan", d.Plan.validate())
	case *WorkPlanAgreed:
		return prefix("plan", d.Plan.validate())
	case *ExchangeRecorded:
		return prefix("exchange", d.Exchange.validate())
	case *ContributionRecorded:
		return prefix("contribution", d.Contribution.validate())
	case *ClosingStarted, *Completed, *Resumed:
		return nil
	case *Suspended:
		return validText("reason", d.Reason, false)
	case *Extended:
		if err := validDate("end", d.End, true); err != nil {
			return err
		}
		return validText("reason", d.Reason, false)
	case *Declined:
		return validText("reason", d.Reason, false)
	case *Terminated:
		return validText("reason", d.Reason, true)
	}
	return invalid("kind", "%T is not an event payload", d)
}

func (d *Proposed) validate() error {
	if err := validText("title", d.Title, true); err != nil {
		return err
	}
	if !citylinks.ValidSlug(d.Program) {
		return invalid("program", "%q is not a program id (kebab-case, e.g. %q)", errtext.Clip(d.Program), citylinks.ProgramCityLinks2011)
	}
	if !citylinks.ValidSlug(d.FocusArea) {
		return invalid("focus_area", "%q is not a focus-area id (kebab-case, e.g. %q)", errtext.Clip(d.FocusArea), citylinks.FocusClimate)
	}
	if err := validateParties(d.Parties); err != nil {
		return err
	}
	if err := validDate("start", d.Start, false); err != nil {
		return err
	}
	if err := validDate("end", d.End, false); err != nil {
		return err
	}
	if err := validRange("end", d.Start, d.End); err != nil {
		return err
	}
	return validText("notes", d.Notes, false)
}

func (d *AgreementSigned) validate() error {
	if !d.Agreement.Valid() {
		return invalid("agreement", "%q is not an agreement kind (three-way, mou)", errtext.Clip(string(d.Agreement)))
	}
	if len(d.Signatories) == 0 {
		return invalid("signatories", "an agreement needs at least one signatory")
	}
	for i, s := range d.Signatories {
		f := fmt.Sprintf("signatories[%d]", i)
		if err := validID(f+".party", s.Party); err != nil {
			return err
		}
		if err := validText(f+".name", s.Name, true); err != nil {
			return err
		}
		if err := validText(f+".title", s.Title, false); err != nil {
			return err
		}
	}
	if err := validDate("start", d.Start, false); err != nil {
		return err
	}
	if err := validDate("end", d.End, true); err != nil {
		return err
	}
	return validRange("end", d.Start, d.End)
}

func (w WorkPlan) validate() error {
	if len(w.Objectives) == 0 {
		return invalid("objectives", "a work plan needs at least one objective")
	}
	for i, o := range w.Objectives {
		f := fmt.Sprintf("objectives[%d]", i)
		if o.Code != "" {
			if err := validID(f+".code", o.Code); err != nil {
				return err
			}
		}
		if err := validText(f+".text", o.Text, true); err != nil {
			return err
		}
		for j, code := range o.Indicators {
			if err := validID(fmt.Sprintf("%s.indicators[%d]", f, j), code); err != nil {
				return err
			}
		}
	}
	for i, x := range w.Exchanges {
		f := fmt.Sprintf("exchanges[%d]", i)
		if err := validID(f+".from", x.From); err != nil {
			return err
		}
		if err := validID(f+".to", x.To); err != nil {
			return err
		}
		if x.From == x.To {
			return invalid(f+".to", "an exchange goes between two different parties")
		}
		if err := validDate(f+".around", x.Around, false); err != nil {
			return err
		}
		if err := validText(f+".purpose", x.Purpose, true); err != nil {
			return err
		}
	}
	for i, code := range w.Indicators {
		if err := validID(fmt.Sprintf("indicators[%d]", i), code); err != nil {
			return err
		}
	}
	if err := validDate("start", w.Start, false); err != nil {
		return err
	}
	if err := validDate("end", w.End, false); err != nil {
		return err
	}
	return validRange("end", w.Start, w.End)
}

func (x Exchange) validate() error {
	if err := validID("id", x.ID); err != nil {
		return err
	}
	switch x.Direction {
	case ToHost, ToResource, ToOther:
	default:
		return invalid("direction", "%q is not a direction (to-host, to-resource, to-other)", errtext.Clip(string(x.Direction)))
	}
	if err := validID("from", x.From); err != nil {
		return err
	}
	if err := validID("to", x.To); err != nil {
		return err
	}
	if x.From == x.To {
		return invalid("to", "an exchange goes between two different parties")
	}
	if err := validDate("start", x.Start, true); err != nil {
		return err
	}
	if err := validDate("end", x.End, true); err != nil {
		return err
	}
	if err := validRange("end", x.Start, x.End); err != nil {
		return err
	}
	for i, p := range x.Participants {
		f := fmt.Sprintf("participants[%d]", i)
		if err := validText(f+".name", p.Name, true); err != nil {
			return err
		}
		if err := validID(f+".party", p.Party); err != nil {
			return err
		}
		if err := validText(f+".title", p.Title, false); err != nil {
			return err
		}
	}
	if err := validText("purpose", x.Purpose, true); err != nil {
		return err
	}
	if !x.Status.Valid() {
		return invalid("status", "%q is not an exchange status (planned, done, cancelled)", errtext.Clip(string(x.Status)))
	}
	return nil
}

func (c Contribution) validate() error {
	if err := validID("id", c.ID); err != nil {
		return err
	}
	if err := validID("party", c.Party); err != nil {
		return err
	}
	if err := validText("person", c.Person, false); err != nil {
		return err
	}
	if err := validDate("date", c.Date, true); err != nil {
		return err
	}
	switch {
	case c.Minutes < 0:
		return invalid("minutes", "%d is negative", c.Minutes)
	case c.Minutes > 0 && c.Person == "":
		return invalid("person", "volunteer time needs the person who gave it")
	case c.Minutes == 0 && c.InKind.Amount == 0:
		return invalid("minutes", "a contribution needs volunteer minutes or an in-kind value")
	}
	if !c.InKind.IsZero() {
		if err := c.InKind.Validate(); err != nil {
			return prefix("in_kind", err)
		}
	}
	return validText("description", c.Description, false)
}
