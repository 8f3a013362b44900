package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// ApprovalState is where a partnership's report for one period stands.
type ApprovalState string

// The approval states. A period nobody has acted on is a draft.
//
//	draft ──submit──▶ submitted ──approve──▶ approved (locked)
//	  ▲                   │                      │
//	  │                return (comment)       unlock (reason)
//	  │                   ▼                      │
//	  └──── returned ◀────┘        draft ◀───────┘
//
// A returned report is a draft with the monitor's comment: it may be edited
// and submitted again.
const (
	StateDraft     ApprovalState = "draft"
	StateSubmitted ApprovalState = "submitted"
	StateApproved  ApprovalState = "approved"
	StateReturned  ApprovalState = "returned"
)

// ApprovalStates returns every ApprovalState.
func ApprovalStates() []ApprovalState {
	return []ApprovalState{StateDraft, StateSubmitted, StateApproved, StateReturned}
}

// Valid reports whether s is one of the ApprovalStates.
func (s ApprovalState) Valid() bool { return slices.Contains(ApprovalStates(), s) }

// Locked reports whether observations in a period in state s may not be
// written: only approved periods are locked.
func (s ApprovalState) Locked() bool { return s == StateApproved }

// Action is a command of package report, checked by Authorize. The last four
// move an approval from one state to another.
type Action string

// The actions.
const (
	ActionDefineIndicator  Action = "define-indicator"
	ActionRegisterActivity Action = "register-activity"
	ActionRecord           Action = "record" // observations and contributions
	ActionSubmit           Action = "submit"
	ActionApprove          Action = "approve"
	ActionReturn           Action = "return"
	ActionUnlock           Action = "unlock"
	// ActionRead is reading a partnership's results: its observations,
	// roll-ups, approvals and due reports.
	ActionRead Action = "read"
)

// Actions returns every Action.
func Actions() []Action {
	return []Action{ActionDefineIndicator, ActionRegisterActivity, ActionRecord, ActionSubmit, ActionApprove, ActionReturn, ActionUnlock, ActionRead}
}

// Valid reports whether a is one of the Actions.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// transition is one row of the approval state machine.
type transition struct {
	from          []ApprovalState
	to            ApprovalState
	needsComment  bool
	commentReason string
}

var transitions = map[Action]transition{
	ActionSubmit:  {from: []ApprovalState{StateDraft, StateReturned}, to: StateSubmitted},
	ActionApprove: {from: []ApprovalState{StateSubmitted}, to: StateApproved},
	ActionReturn:  {from: []ApprovalState{StateSubmitted}, to: StateReturned, needsComment: true, commentReason: "returning a report needs a comment saying what to revise"},
	ActionUnlock:  {from: []ApprovalState{StateApproved}, to: StateDraft, needsComment: true, commentReason: "unlocking an approved period needs a reason, kept in its history"},
}

// next returns the state that action leads to from state from, or a
// *TransitionError (wrapping citylinks.ErrConflict) when the action is not
// allowed in that state, or a *citylinks.ValidationError when the action
// needs a comment and comment is blank.
func next(from ApprovalState, action Action, comment string) (ApprovalState, error) {
	t, ok := transitions[action]
	if !ok {
		return "", invalid("action", "%q is not an approval action", errtext.Clip(string(action)))
	}
	if !slices.Contains(t.from, from) {
		return "", &TransitionError{Action: action, From: from}
	}
	if t.needsComment && isBlank(comment) {
		return "", invalid("comment", "%s", t.commentReason)
	}
	return t.to, nil
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// TransitionError says that an approval action is not allowed in the current
// state, e.g. approving a draft. It wraps citylinks.ErrConflict.
type TransitionError struct {
	Action Action
	From   ApprovalState
}

// Error implements error.
func (e *TransitionError) Error() string {
	t := transitions[e.Action]
	return fmt.Sprintf("report: cannot %s a report that is %s (allowed from %v)", e.Action, e.From, t.from)
}

// Unwrap returns citylinks.ErrConflict.
func (e *TransitionError) Unwrap() error { return citylinks.ErrConflict }

// Approval is the state of one partnership's report for one period. Version
// counts the transitions so far; a period never acted on is a draft at
// version 0.
type Approval struct {
	Partnership string        `json:"partnership"`
	Period      Period        `json:"period"`
	State       ApprovalState `json:"state"`
	Version     int           `json:"version"`
	UpdatedAt   time.Time     `json:"updated_at,omitzero"`
	UpdatedBy   string        `json:"updated_by,omitempty"`
	Comment     string        `json:"comment,omitempty"` // of the last transition
}

// ApprovalEvent is one transition in an approval's history: who did what,
// when and why. The history is append-only; unlocking leaves its trace here.
type ApprovalEvent struct {
	Partnership string        `json:"partnership"`
	Period      Period        `json:"period"`
	Seq         int           `json:"seq"` // the approval's version after this event, from 1
	Action      Action        `json:"action"`
	From        ApprovalState `json:"from"`
	To          ApprovalState `json:"to"`
	Actor       string        `json:"actor"`
	At          time.Time     `json:"at"`
	Comment     string        `json:"comment,omitempty"`
}

// Validate checks the event's fields and that From → To is the transition
// its Action makes.
func (e ApprovalEvent) Validate() error {
	if err := checkID("partnership", e.Partnership); err != nil {
		return err
	}
	if err := e.Period.Validate(); err != nil {
		return err
	}
	if e.Seq < 1 {
		return invalid("seq", "must be 1 or more")
	}
	if err := checkID("actor", e.Actor); err != nil {
		return err
	}
	if err := checkText("comment", e.Comment, false); err != nil {
		return err
	}
	to, err := next(e.From, e.Action, e.Comment)
	if err != nil {
		return err
	}
	if to != e.To {
		return invalid("to", "%s from %s leads to %s, not %s", e.Action, e.From, to, e.To)
	}
	return nil
}

// Apply returns a after e.
func (a Approval) Apply(e ApprovalEvent) Approval {
	return Approval{Partnership: e.Partnership, Period: e.Period, State: e.To, Version: e.Seq,
		UpdatedAt: e.At, UpdatedBy: e.Actor, Comment: e.Comment}
}

// ErrLocked is wrapped by every *LockedError. It wraps citylinks.ErrConflict,
// so errors.Is(err, citylinks.ErrConflict) also holds for a write to a locked
// period.
var ErrLocked = fmt.Errorf("report: period is locked: %w", citylinks.ErrConflict)

// Frozen reports whether observations in a period in state s, or in any
// period overlapping it, may not be written: a submitted report is frozen
// until a monitor returns it, and an approved one is locked until a monitor
// unlocks it, so what the monitor reviewed is what is approved.
func (s ApprovalState) Frozen() bool { return s == StateSubmitted || s == StateApproved }

// LockedError says that a write touched a period that overlaps a submitted
// or approved period of its partnership.
type LockedError struct {
	Partnership string
	Locked      Period        // the submitted or approved period
	State       ApprovalState // its state: submitted or approved
	Observation string        // the observation id that was refused, if any
}

// Error implements error.
func (e *LockedError) Error() string {
	what := "is approved and locked; a monitor must unlock it first"
	if e.State == StateSubmitted {
		what = "is submitted for review and frozen until a monitor returns it"
	}
	s := fmt.Sprintf("report: partnership %q period %s %s", e.Partnership, e.Locked, what)
	if e.Observation != "" {
		s += fmt.Sprintf(" (observation %q)", e.Observation)
	}
	return s
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool {
	return !q.End.Before(p.Start) && !p.End.Before(q.Start)
}

// ConflictError says that a write would break an observation's or a
// contribution's identity: its id belongs to another partnership or
// organization, or its cell already holds a baseline or target under
// another id. It wraps citylinks.ErrConflict.
type ConflictError struct {
	ID       string // the refused observation or contribution
	Existing string // the stored record it conflicts with, when not ID
	Reason   string
}

// Error implements error.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("report: %q: %s", e.ID, e.Reason)
}

// Unwrap returns citylinks.ErrConflict.
func (e *ConflictError) Unwrap() error { return citylinks.ErrConflict }

// Stored is what a backend reads inside its write transaction for
// CheckWrite: the stored versions of the batch's ids, the frozen periods
// (submitted or approved) of the batch's partnerships, and the cells of
// their stored baselines and targets.
type Stored struct {
	// Old holds the stored observations with the batch's ids, by id.
	Old map[string]Observation
	// Frozen holds each partnership's submitted and approved periods.
	Frozen map[string][]Approval
	// Plans maps the Cell of each stored baseline and target of the
	// batch's partnerships to its id. CheckWrite adds the batch's own, so
	// that a later batch of the same write sees them.
	Plans map[string]string
}

// CheckWrite is the check every backend makes, inside the transaction that
// writes it, of a batch of observations against what is stored:
//
//   - a stored id keeps its partnership and owner (*ConflictError);
//   - neither the new version nor the one it replaces lies in a period that
//     overlaps a submitted or approved period of its partnership
//     (*LockedError);
//   - a cell holds at most one baseline and one target (*ConflictError).
//
// It also updates st.Plans with the batch. Each observation must already be
// valid.
func CheckWrite(batch []Observation, st Stored) error {
	frozen := func(o Observation) error {
		for _, a := range st.Frozen[o.Partnership] {
			if a.State.Frozen() && a.Period.Overlaps(o.Period) {
				return &LockedError{Partnership: o.Partnership, Locked: a.Period, State: a.State, Observation: o.ID}
			}
		}
		return nil
	}
	for _, o := range batch {
		old, replacing := st.Old[o.ID]
		if replacing {
			if old.Partnership != o.Partnership {
				return &ConflictError{ID: o.ID, Reason: "the id belongs to an observation of another partnership; an id stays with its partnership for ever, so choose another id"}
			}
			if old.Owner != o.Owner {
				return &ConflictError{ID: o.ID, Reason: fmt.Sprintf("the observation was recorded by organization %q, not %q; an observation stays with the organization that recorded it", old.Owner, o.Owner)}
			}
			if err := frozen(old); err != nil {
				return err
			}
		}
		if err := frozen(o); err != nil {
			return err
		}
		if o.IsPlan() {
			cell := o.Cell()
			if id, ok := st.Plans[cell]; ok && id != o.ID {
				return &ConflictError{ID: o.ID, Existing: id, Reason: fmt.Sprintf(
					"partnership %q already has a %s of %s for %s (observation %q); record it with that id to replace it", o.Partnership, o.Kind, o.Indicator, periodAndBreakdown(o), id)}
			}
			if replacing && old.IsPlan() && st.Plans[old.Cell()] == o.ID {
				delete(st.Plans, old.Cell())
			}
			if st.Plans != nil {
				st.Plans[cell] = o.ID
			}
		}
	}
	return nil
}

func periodAndBreakdown(o Observation) string {
	if len(o.Disaggregation) == 0 {
		return o.Period.String()
	}
	return o.Period.String() + " [" + o.Disaggregation.String() + "]"
}
