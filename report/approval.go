package report

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
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

// Next returns the state that action leads to from state from, or a
// *TransitionError (wrapping citylinks.ErrConflict) when the action is not
// allowed in that state, or a *citylinks.ValidationError when the action
// needs a comment and comment is blank.
func Next(from ApprovalState, action Action, comment string) (ApprovalState, error) {
	t, ok := transitions[action]
	if !ok {
		return "", invalid("action", "%q is not an approval action", short(string(action)))
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
	to, err := Next(e.From, e.Action, e.Comment)
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
var ErrLocked = fmt.Errorf("report: period is approved and locked: %w", citylinks.ErrConflict)

// LockedError says that a write touched an approved, locked period.
type LockedError struct {
	Partnership string
	Locked      Period // the approved period
	Observation string // the observation id that was refused, if any
}

// Error implements error.
func (e *LockedError) Error() string {
	s := fmt.Sprintf("report: partnership %q period %s is approved and locked", e.Partnership, e.Locked)
	if e.Observation != "" {
		s += fmt.Sprintf(" (observation %q)", e.Observation)
	}
	return s + "; a monitor must unlock it first"
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// IsLocked reports whether err is or wraps a *LockedError.
func IsLocked(err error) bool { return errors.Is(err, ErrLocked) }

// CheckLocks returns a *LockedError for the first observation (new or, when
// old is not nil, the version it replaces) that lies within an approved
// period. Backends call it inside their write transaction.
func CheckLocks(obs []Observation, old map[string]Observation, approved map[string][]Period) error {
	check := func(o Observation) error {
		for _, p := range approved[o.Partnership] {
			if p.Contains(o.Period) {
				return &LockedError{Partnership: o.Partnership, Locked: p, Observation: o.ID}
			}
		}
		return nil
	}
	for _, o := range obs {
		if err := check(o); err != nil {
			return err
		}
		if prev, ok := old[o.ID]; ok {
			if err := check(prev); err != nil {
				return err
			}
		}
	}
	return nil
}
