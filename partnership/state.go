package partnership

import "slices"

// State is where a partnership is in its lifecycle.
//
// The main line is proposed → agreed → active → closing → completed, after
// how CityLinks partnerships ran (ICMA, "How CityLinks Works",
// "Information for U.S. Local Governments" and the CAPP announcements): the
// resource party's governing body ratifies and the three-way agreement or
// MOU is signed (agreed), a work plan is agreed on the first trip (active),
// the final exchange is done (closing), the final results are approved
// (completed).
// Beside it, an open partnership may be suspended and resumed to the state it
// came from, a proposal may be declined, and any open partnership may be
// terminated.
type State string

// The states.
const (
	StateProposed   State = "proposed"
	StateAgreed     State = "agreed"
	StateActive     State = "active"
	StateClosing    State = "closing"
	StateCompleted  State = "completed"
	StateSuspended  State = "suspended"
	StateDeclined   State = "declined"
	StateTerminated State = "terminated"
)

// States returns every State, the main line first.
func States() []State {
	return []State{StateProposed, StateAgreed, StateActive, StateClosing, StateCompleted, StateSuspended, StateDeclined, StateTerminated}
}

// Valid reports whether s is one of the States.
func (s State) Valid() bool { return slices.Contains(States(), s) }

// Open reports whether a partnership in state s can still change state:
// every valid state but completed, declined and terminated.
func (s State) Open() bool {
	switch s {
	case StateProposed, StateAgreed, StateActive, StateClosing, StateSuspended:
		return true
	}
	return false
}
