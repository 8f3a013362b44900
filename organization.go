package citylinks

import (
	"fmt"
	"slices"

	"github.com/citylinks/citylinks/internal/errtext"
)

// OrgKind is the kind of an organization taking part in a partnership.
type OrgKind string

// The organization kinds. The first four are local governments.
const (
	KindCity            OrgKind = "city"             // a city or municipality
	KindCounty          OrgKind = "county"           // a county or district government
	KindConsortium      OrgKind = "consortium"       // a consortium or regional body of local governments
	KindSpecialDistrict OrgKind = "special-district" // e.g. a water or transit district
	KindNGO             OrgKind = "ngo"
	KindAssociation     OrgKind = "association" // e.g. a professional association
	KindUniversity      OrgKind = "university"
	KindPrivateFirm     OrgKind = "private-firm"
	KindDonor           OrgKind = "donor"       // e.g. a USAID mission
	KindFacilitator     OrgKind = "facilitator" // e.g. ICMA
)

// OrgKinds returns every OrgKind.
func OrgKinds() []OrgKind {
	return []OrgKind{KindCity, KindCounty, KindConsortium, KindSpecialDistrict, KindNGO, KindAssociation, KindUniversity, KindPrivateFirm, KindDonor, KindFacilitator}
}

// Valid reports whether k is one of the OrgKinds.
func (k OrgKind) Valid() bool { return slices.Contains(OrgKinds(), k) }

// LocalGovernment reports whether k is a kind of local government: a city,
// county, consortium or regional body, or special district.
func (k OrgKind) LocalGovernment() bool {
	switch k {
	case KindCity, KindCounty, KindConsortium, KindSpecialDistrict:
		return true
	}
	return false
}

// Member is one organization within a composite party.
type Member struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Kind OrgKind `json:"kind"`
}

// Organization is a party to a partnership: a local government, NGO,
// association, university, firm, donor or facilitator. It is composite when
// it has two or more Members acting together, as Fort Lauderdale and Broward
// County did with Durban; a composite party's Kind describes the group
// (usually KindConsortium).
type Organization struct {
	ID      string
	Name    string
	Kind    OrgKind
	Country string   // ISO 3166-1 alpha-2 code; empty for international bodies
	CityID  string   // the City this organization governs or sits in, if any
	Members []Member // the members of a composite party, else nil
}

// Composite reports whether o is a composite party.
func (o Organization) Composite() bool { return len(o.Members) > 0 }

// LocalGovernment reports whether o is a local government, or a composite
// party every member of which is one.
func (o Organization) LocalGovernment() bool {
	if !o.Composite() {
		return o.Kind.LocalGovernment()
	}
	for _, m := range o.Members {
		if !m.Kind.LocalGovernment() {
			return false
		}
	}
	return true
}

// Validate reports the first problem with o as a *ValidationError, or nil.
func (o Organization) Validate() error {
	if err := CheckID("id", o.ID); err != nil {
		return err
	}
	if err := CheckText("name", o.Name, true, 0); err != nil {
		return err
	}
	if !o.Kind.Valid() {
		return invalid("kind", "%q is not an organization kind", errtext.Clip(string(o.Kind)))
	}
	if o.Country != "" {
		if _, ok := countryByAlpha2(o.Country); !ok {
			return invalid("country", "%q is not a known ISO 3166-1 alpha-2 code", errtext.Clip(o.Country))
		}
	}
	if o.CityID != "" {
		if err := CheckID("city_id", o.CityID); err != nil {
			return err
		}
	}
	if len(o.Members) == 1 {
		return invalid("members", "a composite party needs at least two members")
	}
	seen := map[string]bool{}
	for i, m := range o.Members {
		f := fmt.Sprintf("members[%d]", i)
		if err := CheckID(f+".id", m.ID); err != nil {
			return err
		}
		if m.ID == o.ID {
			return invalid(f+".id", "a party cannot be its own member")
		}
		if seen[m.ID] {
			return invalid(f+".id", "%q is listed twice", m.ID)
		}
		seen[m.ID] = true
		if err := CheckText(f+".name", m.Name, true, 0); err != nil {
			return err
		}
		if !m.Kind.Valid() {
			return invalid(f+".kind", "%q is not an organization kind", errtext.Clip(string(m.Kind)))
		}
	}
	return nil
}

// Clone returns a deep copy of o.
func (o Organization) Clone() Organization {
	o.Members = slices.Clone(o.Members)
	return o
}
