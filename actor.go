package citylinks

import (
	"slices"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Role is what an actor may do in a program. Packages partnership and
// report decide, through their policies, which role may issue which command.
type Role string

// The roles.
const (
	// RoleFacilitator runs the program and the partnership lifecycle (ICMA).
	RoleFacilitator Role = "facilitator"
	// RoleFunder approves agreements and may terminate (a USAID mission).
	RoleFunder Role = "funder"
	// RoleCoordinator acts for one party organization on the partnerships
	// that organization is part of.
	RoleCoordinator Role = "coordinator"
	// RoleMonitor reviews and approves results (monitoring and evaluation).
	RoleMonitor Role = "monitor"
	// RoleViewer only reads.
	RoleViewer Role = "viewer"
)

// Roles returns every Role.
func Roles() []Role {
	return []Role{RoleFacilitator, RoleFunder, RoleCoordinator, RoleMonitor, RoleViewer}
}

// Valid reports whether r is one of the Roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Actor is someone who issues commands: a person or a system, acting for an
// organization with one or more roles.
type Actor struct {
	ID           string // who, e.g. an e-mail address or user id
	Organization string // the organization the actor acts for
	Roles        []Role
}

// Has reports whether a holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// Validate reports the first problem with a as a *ValidationError, or nil.
func (a Actor) Validate() error {
	if err := CheckID("actor.id", a.ID); err != nil {
		return err
	}
	if a.Organization != "" {
		if err := CheckID("actor.organization", a.Organization); err != nil {
			return err
		}
	}
	for _, r := range a.Roles {
		if !r.Valid() {
			return invalid("actor.roles", "%q is not a role", errtext.Clip(string(r)))
		}
	}
	return nil
}
