package partnership

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/citylinks/citylinks"
)

// SchemaVersion is the version of the event JSON that EncodeEvent writes.
// DecodeEvent reads every version from 1 to SchemaVersion; a change to the
// format bumps it and teaches DecodeEvent to read the old form.
//
// Version 1 (the first) is:
//
//	{"schema":1, "partnership":"CL11-SHI-BOU", "version":3, "kind":"agreement-signed",
//	 "on":"2015-05-01", "at":"2026-11-27T10:00:00Z",
//	 "actor":{"id":"…", "organization":"icma", "roles":["facilitator"]},
//	 "data":{…the payload, with the JSON names of its Go type…}}
//
// Keys are case-sensitive; unknown keys, duplicate keys and null values are
// errors; optional fields are left out rather than null.
const SchemaVersion = 1

type wireActor struct {
	ID           string           `json:"id"`
	Organization string           `json:"organization,omitempty"`
	Roles        []citylinks.Role `json:"roles,omitempty"`
}

type wireEvent struct {
	Schema      int       `json:"schema"`
	Partnership string    `json:"partnership"`
	Version     int64     `json:"version"`
	Kind        EventKind `json:"kind"`
	On          string    `json:"on"`
	At          string    `json:"at"`
	Actor       wireActor `json:"actor"`
	Data        Data      `json:"data"`
}

// EncodeEvent returns e as JSON in the current SchemaVersion. It validates e
// first and returns a *citylinks.ValidationError for an invalid event.
func EncodeEvent(e Event) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	w := wireEvent{
		Schema: SchemaVersion, Partnership: e.Partnership, Version: e.Version, Kind: e.Kind(),
		On: e.On.String(), At: e.At.UTC().Format(time.RFC3339Nano),
		Actor: wireActor{ID: e.Actor.ID, Organization: e.Actor.Organization, Roles: e.Actor.Roles},
		Data:  e.Data,
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("partnership: encode event: %w", err)
	}
	return b, nil
}

var parserPool fastjson.ParserPool

// DecodeEvent reads one event written by EncodeEvent in any schema version
// up to SchemaVersion. Every problem is a *DecodeError naming the JSON path
// of the offending value ("$.data.exchange.start"); the event is also
// validated, so what DecodeEvent returns passes Event.Validate.
func DecodeEvent(b []byte) (Event, error) {
	if !utf8.Valid(b) {
		return Event{}, decodeErr("$", "is not valid UTF-8")
	}
	p := parserPool.Get()
	defer parserPool.Put(p)
	v, err := p.ParseBytes(b)
	if err != nil {
		return Event{}, decodeErr("$", "%v", err)
	}
	e, err := decodeEnvelope(v)
	if err != nil {
		return Event{}, err
	}
	if err := e.Validate(); err != nil {
		var ve *citylinks.ValidationError
		if errors.As(err, &ve) {
			return Event{}, decodeErr(jsonPath(ve.Field), "%s", ve.Problem)
		}
		return Event{}, decodeErr("$", "%v", err)
	}
	return e, nil
}

// jsonPath turns a validation field ("data.parties[0].role") into a JSON
// path ("$.data.parties[0].role").
func jsonPath(field string) string {
	if field == "" {
		return "$"
	}
	return "$." + field
}

func decodeEnvelope(v *fastjson.Value) (Event, error) {
	var e Event
	var kind string
	var schema int64
	var data *fastjson.Value
	err := fields(v, "$", func(key string, v *fastjson.Value, path string) (bool, error) {
		var err error
		switch key {
		case "schema":
			schema, err = integer(v, path)
		case "partnership":
			e.Partnership, err = str(v, path)
		case "version":
			e.Version, err = integer(v, path)
		case "kind":
			kind, err = str(v, path)
		case "on":
			e.On, err = date(v, path)
		case "at":
			e.At, err = instant(v, path)
		case "actor":
			err = fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
				var err error
				switch key {
				case "id":
					e.Actor.ID, err = str(v, path)
				case "organization":
					e.Actor.Organization, err = str(v, path)
				case "roles":
					err = array(v, path, func(v *fastjson.Value, path string) error {
						s, err := str(v, path)
						e.Actor.Roles = append(e.Actor.Roles, citylinks.Role(s))
						return err
					})
				default:
					return false, nil
				}
				return true, err
			})
		case "data":
			data = v
		default:
			return false, nil
		}
		return true, err
	})
	if err != nil {
		return Event{}, err
	}
	switch {
	case schema == 0:
		return Event{}, decodeErr("$.schema", "is required")
	case schema < 1:
		return Event{}, decodeErr("$.schema", "%d is not a schema version", schema)
	case schema > SchemaVersion:
		return Event{}, decodeErr("$.schema", "%d is newer than this package reads (up to %d)", schema, SchemaVersion)
	}
	if kind == "" {
		return Event{}, decodeErr("$.kind", "is required")
	}
	if data == nil {
		return Event{}, decodeErr("$.data", "is required")
	}
	e.Data, err = decodeData(EventKind(kind), data, "$.data")
	return e, err
}

// decodeData reads the payload of an event of kind k.
func decodeData(k EventKind, v *fastjson.Value, path string) (Data, error) {
	var d Data
	var f func(key string, v *fastjson.Value, path string) (bool, error)
	switch k {
	case EventProposed:
		x := &Proposed{}
		d, f = x, func(key string, v *fastjson.Value, path string) (bool, error) {
			var err error
			switch key {
			case "title":
				x.Title, err = str(v, path)
			case "program":
				x.Program, err = str(v, path)
			case "focus_area":
				x.FocusArea, err = str(v, path)
			case "parties":
				err = array(v, path, func(v *fastjson.Value, path string) error {
					p, err := decodeParty(v, path)
					x.Parties = append(x.Parties, p)
					return err
				})
			case "start":
				x.Start, err = date(v, path)
			case "end":
				x.End, err = date(v, path)
			case "notes":
				x.Notes, err = str(v, path)
			default:
				return false, nil
			}
			return true, err
		}
	case EventRatified:
		x := &Ratified{}
		d, f = x, func(key string, v *fastjson.Value, path string) (bool, error) {
			var err error
			switch key {
			case "party":
				x.Party, err = str(v, path)
			case "body":
				x.Body, err = str(v, path)
			default:
				return false, nil
			}
			return true, err
		}
	case EventAgreementSigned:
		x := &AgreementSigned{}
		d, f = x, func(key string, v *fastjson.Value, path string) (bool, error) {
			var err error
			switch key {
			case "agreement":
				var s string
				s, err = str(v, path)
				x.Agreement = AgreementKind(s)
			case "signatories":
				err = array(v, path, func(v *fastjson.Value, path string) error {
					var s Signatory
					err := fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
						var err error
						switch key {
						case "party":
							s.Party, err = str(v, path)
						case "name":
							s.Name, err = str(v, path)
						case "title":
							s.Title, err = str(v, path)
						default:
							return false, nil
						}
						return true, err
					})
					x.Signatories = append(x.Signatories, s)
					return err
				})
			case "start":
				x.Start, err = date(v, path)
			case "end":
				x.End, err = date(v, path)
			default:
				return false, nil
			}
			return true, err
		}
	case EventWorkPlanDrafted, EventWorkPlanAgreed:
		var plan *WorkPlan
		if k == EventWorkPlanDrafted {
			x := &WorkPlanDrafted{}
			d, plan = x, &x.Plan
		} else {
			x := &WorkPlanAgreed{}
			d, plan = x, &x.Plan
		}
		f = func(key string, v *fastjson.Value, path string) (bool, error) {
			if key != "plan" {
				return false, nil
			}
			return true, decodeWorkPlan(v, path, plan)
		}
	case EventExchangeRecorded:
		x := &ExchangeRecorded{}
		d, f = x, func(key string, v *fastjson.Value, path string) (bool, error) {
			if key != "exchange" {
				return false, nil
			}
			return true, decodeExchange(v, path, &x.Exchange)
		}
	case EventContributionRecorded:
		x := &ContributionRecorded{}
		d, f = x, func(key string, v *fastjson.Value, path string) (bool, error) {
			if key != "contribution" {
				return false, nil
			}
			return true, decodeContribution(v, path, &x.Contribution)
		}
	case EventClosingStarted:
		d, f = &ClosingStarted{}, noFields
	case EventCompleted:
		d, f = &Completed{}, noFields
	case EventResumed:
		d, f = &Resumed{}, noFields
	case EventSuspended:
		x := &Suspended{}
		d, f = x, reasonOnly(&x.Reason)
	case EventDeclined:
		x := &Declined{}
		d, f = x, reasonOnly(&x.Reason)
	case EventTerminated:
		x := &Terminated{}
		d, f = x, reasonOnly(&x.Reason)
	case EventExtended:
		x := &Extended{}
		d, f = x, func(key string, v *fastjson.Value, path string) (bool, error) {
			var err error
			switch key {
			case "end":
				x.End, err = date(v, path)
			case "reason":
				x.Reason, err = str(v, path)
			default:
				return false, nil
			}
			return true, err
		}
	default:
		return nil, decodeErr("$.kind", "%q is not an event kind", short(string(k)))
	}
	return d, fields(v, path, f)
}

func noFields(string, *fastjson.Value, string) (bool, error) { return false, nil }

func reasonOnly(r *string) func(string, *fastjson.Value, string) (bool, error) {
	return func(key string, v *fastjson.Value, path string) (bool, error) {
		if key != "reason" {
			return false, nil
		}
		var err error
		*r, err = str(v, path)
		return true, err
	}
}

func decodeParty(v *fastjson.Value, path string) (Party, error) {
	var p Party
	err := fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
		var err error
		var s string
		switch key {
		case "role":
			s, err = str(v, path)
			p.Role = PartyRole(s)
		case "organization":
			p.Organization, err = str(v, path)
		case "name":
			p.Name, err = str(v, path)
		case "kind":
			s, err = str(v, path)
			p.Kind = citylinks.OrgKind(s)
		case "country":
			p.Country, err = str(v, path)
		case "members":
			err = array(v, path, func(v *fastjson.Value, path string) error {
				var m citylinks.Member
				err := fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
					var err error
					var s string
					switch key {
					case "id":
						m.ID, err = str(v, path)
					case "name":
						m.Name, err = str(v, path)
					case "kind":
						s, err = str(v, path)
						m.Kind = citylinks.OrgKind(s)
					default:
						return false, nil
					}
					return true, err
				})
				p.Members = append(p.Members, m)
				return err
			})
		default:
			return false, nil
		}
		return true, err
	})
	return p, err
}

func decodeWorkPlan(v *fastjson.Value, path string, w *WorkPlan) error {
	return fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
		var err error
		switch key {
		case "objectives":
			err = array(v, path, func(v *fastjson.Value, path string) error {
				var o Objective
				err := fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
					var err error
					switch key {
					case "code":
						o.Code, err = str(v, path)
					case "text":
						o.Text, err = str(v, path)
					default:
						return false, nil
					}
					return true, err
				})
				w.Objectives = append(w.Objectives, o)
				return err
			})
		case "exchanges":
			err = array(v, path, func(v *fastjson.Value, path string) error {
				var x PlannedExchange
				err := fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
					var err error
					switch key {
					case "from":
						x.From, err = str(v, path)
					case "to":
						x.To, err = str(v, path)
					case "around":
						x.Around, err = date(v, path)
					case "purpose":
						x.Purpose, err = str(v, path)
					default:
						return false, nil
					}
					return true, err
				})
				w.Exchanges = append(w.Exchanges, x)
				return err
			})
		case "indicators":
			err = array(v, path, func(v *fastjson.Value, path string) error {
				s, err := str(v, path)
				w.Indicators = append(w.Indicators, s)
				return err
			})
		case "start":
			w.Start, err = date(v, path)
		case "end":
			w.End, err = date(v, path)
		default:
			return false, nil
		}
		return true, err
	})
}

func decodeExchange(v *fastjson.Value, path string, x *Exchange) error {
	return fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
		var err error
		var s string
		switch key {
		case "id":
			x.ID, err = str(v, path)
		case "direction":
			s, err = str(v, path)
			x.Direction = Direction(s)
		case "from":
			x.From, err = str(v, path)
		case "to":
			x.To, err = str(v, path)
		case "start":
			x.Start, err = date(v, path)
		case "end":
			x.End, err = date(v, path)
		case "participants":
			err = array(v, path, func(v *fastjson.Value, path string) error {
				var p Participant
				err := fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
					var err error
					switch key {
					case "name":
						p.Name, err = str(v, path)
					case "party":
						p.Party, err = str(v, path)
					case "title":
						p.Title, err = str(v, path)
					default:
						return false, nil
					}
					return true, err
				})
				x.Participants = append(x.Participants, p)
				return err
			})
		case "purpose":
			x.Purpose, err = str(v, path)
		case "status":
			s, err = str(v, path)
			x.Status = ExchangeStatus(s)
		default:
			return false, nil
		}
		return true, err
	})
}

func decodeContribution(v *fastjson.Value, path string, c *Contribution) error {
	return fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
		var err error
		switch key {
		case "id":
			c.ID, err = str(v, path)
		case "party":
			c.Party, err = str(v, path)
		case "person":
			c.Person, err = str(v, path)
		case "date":
			c.Date, err = date(v, path)
		case "minutes":
			c.Minutes, err = integer(v, path)
		case "in_kind":
			err = fields(v, path, func(key string, v *fastjson.Value, path string) (bool, error) {
				var err error
				switch key {
				case "amount":
					c.InKind.Amount, err = integer(v, path)
				case "currency":
					c.InKind.Currency, err = str(v, path)
				default:
					return false, nil
				}
				return true, err
			})
		case "description":
			c.Description, err = str(v, path)
		default:
			return false, nil
		}
		return true, err
	})
}

// fields calls f for each member of the object v, in document order, with
// the member's path. f reports whether it knows the key; an unknown key, a
// key that appears twice, or v not being an object is an error.
func fields(v *fastjson.Value, path string, f func(key string, v *fastjson.Value, path string) (bool, error)) error {
	o, err := v.Object()
	if err != nil {
		return decodeErr(path, "must be an object, not %s", typeName(v))
	}
	var seen [16]string
	n := 0
	var ferr error
	o.Visit(func(k []byte, v *fastjson.Value) {
		if ferr != nil {
			return
		}
		key := string(k)
		p := path + "." + key
		if !utf8.ValidString(key) {
			ferr = decodeErr(path, "a key is not valid UTF-8")
			return
		}
		for _, s := range seen[:n] {
			if s == key {
				ferr = decodeErr(p, "appears twice")
				return
			}
		}
		if n < len(seen) {
			seen[n] = key
			n++
		} else {
			ferr = decodeErr(p, "unknown field (the object has too many keys)")
			return
		}
		known, err := f(key, v, p)
		switch {
		case err != nil:
			ferr = err
		case !known:
			ferr = decodeErr(p, "unknown field")
		}
	})
	return ferr
}

// array calls f for each element of the array v, with its path.
func array(v *fastjson.Value, path string, f func(v *fastjson.Value, path string) error) error {
	a, err := v.Array()
	if err != nil {
		return decodeErr(path, "must be an array, not %s", typeName(v))
	}
	for i, e := range a {
		if err := f(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func str(v *fastjson.Value, path string) (string, error) {
	b, err := v.StringBytes()
	if err != nil {
		return "", decodeErr(path, "must be a string, not %s", typeName(v))
	}
	if !utf8.Valid(b) {
		return "", decodeErr(path, "is not valid UTF-8")
	}
	return string(b), nil
}

func integer(v *fastjson.Value, path string) (int64, error) {
	if v.Type() != fastjson.TypeNumber {
		return 0, decodeErr(path, "must be an integer, not %s", typeName(v))
	}
	n, err := v.Int64()
	if err != nil {
		return 0, decodeErr(path, "%s is not an integer in range", short(v.String()))
	}
	return n, nil
}

func date(v *fastjson.Value, path string) (citylinks.Date, error) {
	s, err := str(v, path)
	if err != nil {
		return citylinks.Date{}, err
	}
	d, err := citylinks.ParseDate(s)
	if err != nil || !d.Valid() {
		return citylinks.Date{}, decodeErr(path, "%q is not a date of the form YYYY-MM-DD", short(s))
	}
	return d, nil
}

func instant(v *fastjson.Value, path string) (time.Time, error) {
	s, err := str(v, path)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.ContainsAny(s, "Zz+-") {
		return time.Time{}, decodeErr(path, "%q is not an RFC 3339 instant", short(s))
	}
	return t.UTC(), nil
}

func typeName(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeNull:
		return "null"
	case fastjson.TypeObject:
		return "an object"
	case fastjson.TypeArray:
		return "an array"
	case fastjson.TypeString:
		return "a string"
	case fastjson.TypeNumber:
		return "a number"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "a boolean"
	}
	return v.Type().String()
}
