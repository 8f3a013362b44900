package partnership

import (
	"slices"
	"time"

	"github.com/citylinks/citylinks"
)

// EventKind names what happened. Kinds are stable: they are stored.
type EventKind string

// The event kinds, one per Data type.
const (
	EventProposed             EventKind = "proposed"
	EventRatified             EventKind = "ratified"
	EventAgreementSigned      EventKind = "agreement-signed"
	EventWorkPlanDrafted      EventKind = "work-plan-drafted"
	EventWorkPlanAgreed       EventKind = "work-plan-agreed"
	EventExchangeRecorded     EventKind = "exchange-recorded"
	EventContributionRecorded EventKind = "contribution-recorded"
	EventClosingStarted       EventKind = "closing-started"
	EventCompleted            EventKind = "completed"
	EventSuspended            EventKind = "suspended"
	EventResumed              EventKind = "resumed"
	EventExtended             EventKind = "extended"
	EventDeclined             EventKind = "declined"
	EventTerminated           EventKind = "terminated"
)

// EventKinds returns every EventKind.
func EventKinds() []EventKind {
	return []EventKind{EventProposed, EventRatified, EventAgreementSigned, EventWorkPlanDrafted, EventWorkPlanAgreed,
		EventExchangeRecorded, EventContributionRecorded, EventClosingStarted, EventCompleted, EventSuspended,
		EventResumed, EventExtended, EventDeclined, EventTerminated}
}

// Valid reports whether k is one of the EventKinds.
func (k EventKind) Valid() bool { return slices.Contains(EventKinds(), k) }

// Event is one fact in a partnership's record: what happened (Data), on
// which calendar date (On), when it was recorded (At) and by whom (Actor).
// A partnership's state is the fold of its events; see Fold.
type Event struct {
	Partnership string          // the partnership id
	Version     int64           // position in the partnership's stream, from 1, without gaps
	On          citylinks.Date  // the date the fact happened (an agreement's signing date, …)
	At          time.Time       // when it was recorded, UTC, from the Service's clock
	Actor       citylinks.Actor // who recorded it
	Data        Data            // what happened
}

// Kind returns the kind of e's Data, or "" if it has none.
func (e Event) Kind() EventKind {
	if e.Data == nil {
		return ""
	}
	return e.Data.Kind()
}

// Data is the payload of an Event: one of *Proposed, *Ratified,
// *AgreementSigned, *WorkPlanDrafted, *WorkPlanAgreed, *ExchangeRecorded,
// *ContributionRecorded, *ClosingStarted, *Completed, *Suspended, *Resumed,
// *Extended, *Declined or *Terminated.
type Data interface {
	// Kind returns the event kind the payload belongs to.
	Kind() EventKind
	clone() Data
}

// Proposed opens a partnership's record.
type Proposed struct {
	Title     string         `json:"title"`
	Program   string         `json:"program"`    // a program id, e.g. citylinks.ProgramCityLinks2011
	FocusArea string         `json:"focus_area"` // a focus-area id, e.g. citylinks.FocusClimate
	Parties   []Party        `json:"parties"`
	Start     citylinks.Date `json:"start,omitzero"` // planned start, if known
	End       citylinks.Date `json:"end,omitzero"`   // planned end, if known
	Notes     string         `json:"notes,omitempty"`
}

// Ratified records that a resource party's governing body approved its
// participation. ICMA asked for this before a formal agreement, "in the
// event of unexpected staff changes" (ICMA, "Information for U.S. Local
// Governments").
type Ratified struct {
	Party string `json:"party"` // the resource party's organization id
	Body  string `json:"body"`  // the governing body, e.g. "Boulder City Council"
}

// AgreementKind is the form of a partnership's agreement.
type AgreementKind string

// The agreement kinds: the three-way agreement of CityLinks 2011–2016
// between ICMA, the resource partner and the partner city, and the
// memorandum of understanding of Resource Cities (ICMA, "Information for
// U.S. Local Governments"; City of Tigard, "International Resource Cities
// Program Action Plan", 2002).
const (
	AgreementThreeWay AgreementKind = "three-way"
	AgreementMOU      AgreementKind = "mou"
)

// Valid reports whether k is a known AgreementKind.
func (k AgreementKind) Valid() bool { return k == AgreementThreeWay || k == AgreementMOU }

// Signatory is one person who signed an agreement, for a party.
type Signatory struct {
	Party string `json:"party"` // organization id of the party signed for
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
}

// AgreementSigned records the signed agreement; the partnership enters
// agreed. Its event's On is the signing date.
type AgreementSigned struct {
	Agreement   AgreementKind  `json:"agreement"`
	Signatories []Signatory    `json:"signatories"`
	Start       citylinks.Date `json:"start,omitzero"` // agreed start, if the agreement says
	End         citylinks.Date `json:"end"`            // planned end
}

// Objective is one objective of a work plan, with the codes of the
// indicators that measure it (the results framework: objective →
// indicator). An objective that lists no indicators is measured by the work
// plan's Indicators.
type Objective struct {
	Code       string   `json:"code,omitempty"` // e.g. "O1"
	Text       string   `json:"text"`
	Indicators []string `json:"indicators,omitempty"` // e.g. "CL-CLIM-02"
}

// PlannedExchange is an exchange visit a work plan foresees.
type PlannedExchange struct {
	From    string         `json:"from"`            // organization id of the travelling party
	To      string         `json:"to"`              // organization id of the visited party
	Around  citylinks.Date `json:"around,omitzero"` // when, roughly, if known
	Purpose string         `json:"purpose"`
}

// WorkPlan is what a partnership means to do: objectives, the exchanges it
// plans and the codes of the indicators it reports on (package report holds
// the indicators themselves): those of each objective, and Indicators for
// the objectives that list none of their own. CAPP work plans covered 9–12
// months and were drafted on the first trip (ICMA, "CityLinks Announces
// New Climate Adaptation Partnership Program").
type WorkPlan struct {
	Objectives []Objective       `json:"objectives"`
	Exchanges  []PlannedExchange `json:"exchanges,omitempty"`
	Indicators []string          `json:"indicators,omitempty"`
	Start      citylinks.Date    `json:"start,omitzero"`
	End        citylinks.Date    `json:"end,omitzero"`
}

func (w WorkPlan) clone() WorkPlan {
	w.Objectives = slices.Clone(w.Objectives)
	for i := range w.Objectives {
		w.Objectives[i].Indicators = slices.Clone(w.Objectives[i].Indicators)
	}
	w.Exchanges = slices.Clone(w.Exchanges)
	w.Indicators = slices.Clone(w.Indicators)
	return w
}

// WorkPlanDrafted records a draft work plan, which a party's coordinator
// may write; it changes no state.
type WorkPlanDrafted struct {
	Plan WorkPlan `json:"plan"`
}

// WorkPlanAgreed records the agreed work plan. In state agreed it makes the
// partnership active; later it replaces the plan.
type WorkPlanAgreed struct {
	Plan WorkPlan `json:"plan"`
}

// ExchangeStatus says whether an exchange is planned, done or cancelled.
type ExchangeStatus string

// The exchange statuses.
const (
	ExchangePlanned   ExchangeStatus = "planned"
	ExchangeDone      ExchangeStatus = "done"
	ExchangeCancelled ExchangeStatus = "cancelled"
)

// Valid reports whether s is a known ExchangeStatus.
func (s ExchangeStatus) Valid() bool {
	return s == ExchangePlanned || s == ExchangeDone || s == ExchangeCancelled
}

// Direction says which way an exchange went, from the roles of the parties.
type Direction string

// The directions.
const (
	ToHost     Direction = "to-host"     // resource (or third-country) experts visit the host
	ToResource Direction = "to-resource" // a host delegation visits the resource party
	ToOther    Direction = "to-other"    // any other pair of parties
)

// Participant is one person on an exchange.
type Participant struct {
	Name  string `json:"name"`
	Party string `json:"party"`           // organization id of the party they travelled for
	Title string `json:"title,omitempty"` // e.g. "Sustainability Manager"
}

// Exchange is an exchange visit: who travelled from which party to which,
// when, who went and why. Recording an exchange whose ID the partnership
// already has replaces it (to mark a planned trip done, say).
type Exchange struct {
	ID           string         `json:"id"`
	Direction    Direction      `json:"direction"`
	From         string         `json:"from"` // organization id of the travelling party
	To           string         `json:"to"`   // organization id of the visited party
	Start        citylinks.Date `json:"start"`
	End          citylinks.Date `json:"end"`
	Participants []Participant  `json:"participants,omitempty"`
	Purpose      string         `json:"purpose"`
	Status       ExchangeStatus `json:"status"`
}

func (x Exchange) clone() Exchange {
	x.Participants = slices.Clone(x.Participants)
	return x
}

// ExchangeRecorded records a new or revised exchange.
type ExchangeRecorded struct {
	Exchange Exchange `json:"exchange"`
}

// Contribution is pro-bono time and in-kind value a party gave. CityLinks
// paid travel and programme costs; "individuals involved are expected to
// provide their time on a pro-bono basis" (ICMA, "Information for U.S.
// Local Governments"), and no peer system tracks it. Recording a contribution whose ID the partnership already has
// replaces it (a correction).
type Contribution struct {
	ID          string          `json:"id"`
	Party       string          `json:"party"`            // organization id: a party or a member of a composite party
	Person      string          `json:"person,omitempty"` // who gave the time; required with Minutes
	Date        citylinks.Date  `json:"date"`             // when it was given (or the end of the period it covers)
	Minutes     int64           `json:"minutes,omitempty"`
	InKind      citylinks.Money `json:"in_kind,omitzero"`
	Description string          `json:"description,omitempty"`
}

// Hours returns c's volunteer time in hours.
func (c Contribution) Hours() float64 { return float64(c.Minutes) / 60 }

// ContributionRecorded records a new or corrected contribution.
type ContributionRecorded struct {
	Contribution Contribution `json:"contribution"`
}

// ClosingStarted records that the final exchange is done: the partnership
// enters closing.
type ClosingStarted struct{}

// Completed records that the final results were approved: the partnership
// is completed.
type Completed struct{}

// Suspended records a suspension.
type Suspended struct {
	Reason string `json:"reason,omitempty"`
}

// Resumed records the end of a suspension: the partnership returns to the
// state it was suspended from.
type Resumed struct{}

// Extended records a new planned end date, later than the current one.
type Extended struct {
	End    citylinks.Date `json:"end"`
	Reason string         `json:"reason,omitempty"`
}

// Declined records that a proposal was declined.
type Declined struct {
	Reason string `json:"reason,omitempty"`
}

// Terminated records that an open partnership was ended early.
type Terminated struct {
	Reason string `json:"reason"`
}

// Kind implements Data.
func (*Proposed) Kind() EventKind { return EventProposed }

// Kind implements Data.
func (*Ratified) Kind() EventKind { return EventRatified }

// Kind implements Data.
func (*AgreementSigned) Kind() EventKind { return EventAgreementSigned }

// Kind implements Data.
func (*WorkPlanDrafted) Kind() EventKind { return EventWorkPlanDrafted }

// Kind implements Data.
func (*WorkPlanAgreed) Kind() EventKind { return EventWorkPlanAgreed }

// Kind implements Data.
func (*ExchangeRecorded) Kind() EventKind { return EventExchangeRecorded }

// Kind implements Data.
func (*ContributionRecorded) Kind() EventKind { return EventContributionRecorded }

// Kind implements Data.
func (*ClosingStarted) Kind() EventKind { return EventClosingStarted }

// Kind implements Data.
func (*Completed) Kind() EventKind { return EventCompleted }

// Kind implements Data.
func (*Suspended) Kind() EventKind { return EventSuspended }

// Kind implements Data.
func (*Resumed) Kind() EventKind { return EventResumed }

// Kind implements Data.
func (*Extended) Kind() EventKind { return EventExtended }

// Kind implements Data.
func (*Declined) Kind() EventKind { return EventDeclined }

// Kind implements Data.
func (*Terminated) Kind() EventKind { return EventTerminated }

func (d *Proposed) clone() Data {
	c := *d
	c.Parties = make([]Party, len(d.Parties))
	for i, p := range d.Parties {
		c.Parties[i] = p.clone()
	}
	return &c
}
func (d *Ratified) clone() Data { c := *d; return &c }
func (d *AgreementSigned) clone() Data {
	c := *d
	c.Signatories = slices.Clone(d.Signatories)
	return &c
}
func (d *WorkPlanDrafted) clone() Data { return &WorkPlanDrafted{Plan: d.Plan.clone()} }
func (d *WorkPlanAgreed) clone() Data  { return &WorkPlanAgreed{Plan: d.Plan.clone()} }
func (d *ExchangeRecorded) clone() Data {
	return &ExchangeRecorded{Exchange: d.Exchange.clone()}
}
func (d *ContributionRecorded) clone() Data { c := *d; return &c }
func (d *ClosingStarted) clone() Data       { return &ClosingStarted{} }
func (d *Completed) clone() Data            { return &Completed{} }
func (d *Suspended) clone() Data            { c := *d; return &c }
func (d *Resumed) clone() Data              { return &Resumed{} }
func (d *Extended) clone() Data             { c := *d; return &c }
func (d *Declined) clone() Data             { c := *d; return &c }
func (d *Terminated) clone() Data           { c := *d; return &c }

// Clone returns a deep copy of e.
func (e Event) Clone() Event {
	e.Actor.Roles = slices.Clone(e.Actor.Roles)
	if e.Data != nil {
		e.Data = e.Data.clone()
	}
	return e
}
