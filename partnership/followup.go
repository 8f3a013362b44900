package partnership

import "fmt"

// FollowUpError is what Service.Execute returns when a command was stored
// but Options.AfterAppend failed after it: the partnership is at Version,
// and what AfterAppend keeps up to date lags behind it until repaired (for
// package handoff's Sync, by running Sync again for the partnership, or
// SyncAll). Retrying the command would change nothing: it is stored.
type FollowUpError struct {
	Partnership string // the partnership's id
	Action      Action // the command that was stored
	Version     int64  // the partnership's version after the command
	Err         error  // what AfterAppend returned
}

// Error says that the command is stored and what failed after it.
func (e *FollowUpError) Error() string {
	return fmt.Sprintf("partnership: %s on %q is stored (version %d), but what follows it failed: %v", e.Action, e.Partnership, e.Version, e.Err)
}

// Unwrap returns the error AfterAppend returned.
func (e *FollowUpError) Unwrap() error { return e.Err }
