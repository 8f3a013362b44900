package partnership

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
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
// errors; optional fields are left out rather than null. A work plan's
// objectives may carry "indicators" (a list of codes), an optional key
// that events written before it existed leave out.
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

// Decoder decodes events. Reading a stream through one Decoder shares the
// short strings that repeat between events (ids, names, codes), which saves
// time and memory on long streams. Its zero value is ready to use; it is
// not safe for concurrent use.
type Decoder struct {
	p    fastjson.Parser
	strs map[string]string
	path []seg
}

// DecodeEvent reads one event written by EncodeEvent in any schema version
// up to SchemaVersion. Every problem is a *DecodeError naming the JSON path
// of the offending value ("$.data.exchange.start"); the event is also
// validated, so what DecodeEvent returns passes Event.Validate.
func DecodeEvent(b []byte) (Event, error) {
	d := decoders.Get().(*Decoder)
	defer decoders.Put(d)
	if len(d.strs) > 256 {
		clear(d.strs)
	}
	return d.Decode(b)
}

var decoders = sync.Pool{New: func() any { return new(Decoder) }}

// Decode is DecodeEvent through d.
func (d *Decoder) Decode(b []byte) (Event, error) {
	if !utf8.Valid(b) {
		return Event{}, decodeErr("$", "is not valid UTF-8")
	}
	d.path = d.path[:0]
	v, err := d.p.ParseBytes(b)
	if err != nil {
		return Event{}, decodeErr("$", "%v", err)
	}
	e, err := d.decodeEnvelope(v)
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

func (d *Decoder) decodeEnvelope(v *fastjson.Value) (Event, error) {
	var e Event
	var kind string
	var schema int64
	var data *fastjson.Value
	err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
		var err error
		switch string(key) {
		case "schema":
			schema, err = d.integer(v)
		case "partnership":
			e.Partnership, err = d.str(v)
		case "version":
			e.Version, err = d.integer(v)
		case "kind":
			kind, err = d.str(v)
		case "on":
			e.On, err = d.date(v)
		case "at":
			e.At, err = d.instant(v)
		case "actor":
			err = d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
				var err error
				switch string(key) {
				case "id":
					e.Actor.ID, err = d.str(v)
				case "organization":
					e.Actor.Organization, err = d.str(v)
				case "roles":
					err = d.array(v, func(v *fastjson.Value) error {
						s, err := d.str(v)
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
	d.path = append(d.path[:0], seg{key: []byte("data")})
	e.Data, err = d.decodeData(EventKind(kind), data)
	return e, err
}

// decodeData reads the payload of an event of kind k.
func (d *Decoder) decodeData(k EventKind, v *fastjson.Value) (Data, error) {
	var out Data
	var f func(key []byte, v *fastjson.Value) (bool, error)
	switch k {
	case EventProposed:
		x := &Proposed{}
		out, f = x, func(key []byte, v *fastjson.Value) (bool, error) {
			var err error
			switch string(key) {
			case "title":
				x.Title, err = d.str(v)
			case "program":
				x.Program, err = d.str(v)
			case "focus_area":
				x.FocusArea, err = d.str(v)
			case "parties":
				err = d.array(v, func(v *fastjson.Value) error {
					p, err := d.decodeParty(v)
					x.Parties = append(x.Parties, p)
					return err
				})
			case "start":
				x.Start, err = d.date(v)
			case "end":
				x.End, err = d.date(v)
			case "notes":
				x.Notes, err = d.str(v)
			default:
				return false, nil
			}
			return true, err
		}
	case EventRatified:
		x := &Ratified{}
		out, f = x, func(key []byte, v *fastjson.Value) (bool, error) {
			var err error
			switch string(key) {
			case "party":
				x.Party, err = d.str(v)
			case "body":
				x.Body, err = d.str(v)
			default:
				return false, nil
			}
			return true, err
		}
	case EventAgreementSigned:
		x := &AgreementSigned{}
		out, f = x, func(key []byte, v *fastjson.Value) (bool, error) {
			var err error
			switch string(key) {
			case "agreement":
				var s string
				s, err = d.str(v)
				x.Agreement = AgreementKind(s)
			case "signatories":
				err = d.array(v, func(v *fastjson.Value) error {
					var s Signatory
					err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
						var err error
						switch string(key) {
						case "party":
							s.Party, err = d.str(v)
						case "name":
							s.Name, err = d.str(v)
						case "title":
							s.Title, err = d.str(v)
						default:
							return false, nil
						}
						return true, err
					})
					x.Signatories = append(x.Signatories, s)
					return err
				})
			case "start":
				x.Start, err = d.date(v)
			case "end":
				x.End, err = d.date(v)
			default:
				return false, nil
			}
			return true, err
		}
	case EventWorkPlanDrafted, EventWorkPlanAgreed:
		var plan *WorkPlan
		if k == EventWorkPlanDrafted {
			x := &WorkPlanDrafted{}
			out, plan = x, &x.Plan
		} else {
			x := &WorkPlanAgreed{}
			out, plan = x, &x.Plan
		}
		f = func(key []byte, v *fastjson.Value) (bool, error) {
			if string(key) != "plan" {
				return false, nil
			}
			return true, d.decodeWorkPlan(v, plan)
		}
	case EventExchangeRecorded:
		x := &ExchangeRecorded{}
		out, f = x, func(key []byte, v *fastjson.Value) (bool, error) {
			if string(key) != "exchange" {
				return false, nil
			}
			return true, d.decodeExchange(v, &x.Exchange)
		}
	case EventContributionRecorded:
		x := &ContributionRecorded{}
		out, f = x, func(key []byte, v *fastjson.Value) (bool, error) {
			if string(key) != "contribution" {
				return false, nil
			}
			return true, d.decodeContribution(v, &x.Contribution)
		}
	case EventClosingStarted:
		out, f = &ClosingStarted{}, noFields
	case EventCompleted:
		out, f = &Completed{}, noFields
	case EventResumed:
		out, f = &Resumed{}, noFields
	case EventSuspended:
		x := &Suspended{}
		out, f = x, d.reasonOnly(&x.Reason)
	case EventDeclined:
		x := &Declined{}
		out, f = x, d.reasonOnly(&x.Reason)
	case EventTerminated:
		x := &Terminated{}
		out, f = x, d.reasonOnly(&x.Reason)
	case EventExtended:
		x := &Extended{}
		out, f = x, func(key []byte, v *fastjson.Value) (bool, error) {
			var err error
			switch string(key) {
			case "end":
				x.End, err = d.date(v)
			case "reason":
				x.Reason, err = d.str(v)
			default:
				return false, nil
			}
			return true, err
		}
	default:
		return nil, decodeErr("$.kind", "%q is not an event kind", errtext.Clip(string(k)))
	}
	return out, d.fields(v, f)
}

func noFields([]byte, *fastjson.Value) (bool, error) { return false, nil }

func (d *Decoder) reasonOnly(r *string) func([]byte, *fastjson.Value) (bool, error) {
	return func(key []byte, v *fastjson.Value) (bool, error) {
		if string(key) != "reason" {
			return false, nil
		}
		var err error
		*r, err = d.str(v)
		return true, err
	}
}

func (d *Decoder) decodeParty(v *fastjson.Value) (Party, error) {
	var p Party
	err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
		var err error
		var s string
		switch string(key) {
		case "role":
			s, err = d.str(v)
			p.Role = PartyRole(s)
		case "organization":
			p.Organization, err = d.str(v)
		case "name":
			p.Name, err = d.str(v)
		case "kind":
			s, err = d.str(v)
			p.Kind = citylinks.OrgKind(s)
		case "country":
			p.Country, err = d.str(v)
		case "members":
			err = d.array(v, func(v *fastjson.Value) error {
				var m citylinks.Member
				err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
					var err error
					var s string
					switch string(key) {
					case "id":
						m.ID, err = d.str(v)
					case "name":
						m.Name, err = d.str(v)
					case "kind":
						s, err = d.str(v)
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

func (d *Decoder) decodeWorkPlan(v *fastjson.Value, w *WorkPlan) error {
	return d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
		var err error
		switch string(key) {
		case "objectives":
			err = d.array(v, func(v *fastjson.Value) error {
				var o Objective
				err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
					var err error
					switch string(key) {
					case "code":
						o.Code, err = d.str(v)
					case "text":
						o.Text, err = d.str(v)
					case "indicators":
						err = d.array(v, func(v *fastjson.Value) error {
							s, err := d.str(v)
							o.Indicators = append(o.Indicators, s)
							return err
						})
					default:
						return false, nil
					}
					return true, err
				})
				w.Objectives = append(w.Objectives, o)
				return err
			})
		case "exchanges":
			err = d.array(v, func(v *fastjson.Value) error {
				var x PlannedExchange
				err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
					var err error
					switch string(key) {
					case "from":
						x.From, err = d.str(v)
					case "to":
						x.To, err = d.str(v)
					case "around":
						x.Around, err = d.date(v)
					case "purpose":
						x.Purpose, err = d.str(v)
					default:
						return false, nil
					}
					return true, err
				})
				w.Exchanges = append(w.Exchanges, x)
				return err
			})
		case "indicators":
			err = d.array(v, func(v *fastjson.Value) error {
				s, err := d.str(v)
				w.Indicators = append(w.Indicators, s)
				return err
			})
		case "start":
			w.Start, err = d.date(v)
		case "end":
			w.End, err = d.date(v)
		default:
			return false, nil
		}
		return true, err
	})
}

func (d *Decoder) decodeExchange(v *fastjson.Value, x *Exchange) error {
	return d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
		var err error
		var s string
		switch string(key) {
		case "id":
			x.ID, err = d.str(v)
		case "direction":
			s, err = d.str(v)
			x.Direction = Direction(s)
		case "from":
			x.From, err = d.str(v)
		case "to":
			x.To, err = d.str(v)
		case "start":
			x.Start, err = d.date(v)
		case "end":
			x.End, err = d.date(v)
		case "participants":
			err = d.array(v, func(v *fastjson.Value) error {
				var p Participant
				err := d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
					var err error
					switch string(key) {
					case "name":
						p.Name, err = d.str(v)
					case "party":
						p.Party, err = d.str(v)
					case "title":
						p.Title, err = d.str(v)
					default:
						return false, nil
					}
					return true, err
				})
				x.Participants = append(x.Participants, p)
				return err
			})
		case "purpose":
			x.Purpose, err = d.str(v)
		case "status":
			s, err = d.str(v)
			x.Status = ExchangeStatus(s)
		default:
			return false, nil
		}
		return true, err
	})
}

func (d *Decoder) decodeContribution(v *fastjson.Value, c *Contribution) error {
	return d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
		var err error
		switch string(key) {
		case "id":
			c.ID, err = d.str(v)
		case "party":
			c.Party, err = d.str(v)
		case "person":
			c.Person, err = d.str(v)
		case "date":
			c.Date, err = d.date(v)
		case "minutes":
			c.Minutes, err = d.integer(v)
		case "in_kind":
			err = d.fields(v, func(key []byte, v *fastjson.Value) (bool, error) {
				var err error
				switch string(key) {
				case "amount":
					c.InKind.Amount, err = d.integer(v)
				case "currency":
					c.InKind.Currency, err = d.str(v)
				default:
					return false, nil
				}
				return true, err
			})
		case "description":
			c.Description, err = d.str(v)
		default:
			return false, nil
		}
		return true, err
	})
}

// seg is one step of the path to the value being decoded: a key, or an
// array index when key is nil.
type seg struct {
	key   []byte
	index int
}

// where returns the JSON path of the value being decoded, e.g.
// "$.data.parties[1]". It is built only for an error message.
func (d *Decoder) where() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range d.path {
		if s.key == nil {
			fmt.Fprintf(&b, "[%d]", s.index)
		} else {
			b.WriteByte('.')
			b.Write(s.key)
		}
	}
	return b.String()
}

func (d *Decoder) errAt(format string, args ...any) *DecodeError {
	return decodeErr(d.where(), format, args...)
}

// fields calls f for each member of the object v, in document order, with
// the member's key on the path. f reports whether it knows the key; an
// unknown key, a key that appears twice, or v not being an object is an
// error.
func (d *Decoder) fields(v *fastjson.Value, f func(key []byte, v *fastjson.Value) (bool, error)) error {
	o, err := v.Object()
	if err != nil {
		return d.errAt("must be an object, not %s", typeName(v))
	}
	var seen [16][]byte
	n := 0
	var ferr error
	o.Visit(func(k []byte, v *fastjson.Value) {
		if ferr != nil {
			return
		}
		d.path = append(d.path, seg{key: k})
		defer func() { d.path = d.path[:len(d.path)-1] }()
		for _, s := range seen[:n] {
			if bytes.Equal(s, k) {
				ferr = d.errAt("appears twice")
				return
			}
		}
		if n == len(seen) {
			ferr = d.errAt("unknown field (the object has too many keys)")
			return
		}
		seen[n] = k
		n++
		known, err := f(k, v)
		switch {
		case err != nil:
			ferr = err
		case !known:
			ferr = d.errAt("unknown field")
		}
	})
	return ferr
}

// array calls f for each element of the array v, with its index on the
// path.
func (d *Decoder) array(v *fastjson.Value, f func(v *fastjson.Value) error) error {
	a, err := v.Array()
	if err != nil {
		return d.errAt("must be an array, not %s", typeName(v))
	}
	for i, e := range a {
		d.path = append(d.path, seg{index: i})
		err := f(e)
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return err
		}
	}
	return nil
}

// str returns a string value. DecodeEvent has checked that the whole
// document is UTF-8, and unescaping yields UTF-8, so strings are too.
func (d *Decoder) str(v *fastjson.Value) (string, error) {
	b, err := v.StringBytes()
	if err != nil {
		return "", d.errAt("must be a string, not %s", typeName(v))
	}
	return d.intern(b), nil
}

// intern returns b as a string, the same string for the same short bytes
// across the events a Decoder reads.
func (d *Decoder) intern(b []byte) string {
	const maxLen, maxStrings = 64, 4096
	if len(b) > maxLen {
		return string(b)
	}
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if d.strs == nil {
		d.strs = make(map[string]string)
	}
	if len(d.strs) < maxStrings {
		d.strs[s] = s
	}
	return s
}

func (d *Decoder) integer(v *fastjson.Value) (int64, error) {
	if v.Type() != fastjson.TypeNumber {
		return 0, d.errAt("must be an integer, not %s", typeName(v))
	}
	n, err := v.Int64()
	if err != nil {
		return 0, d.errAt("%s is not an integer in range", errtext.Clip(v.String()))
	}
	return n, nil
}

// date reads a YYYY-MM-DD date.
func (d *Decoder) date(v *fastjson.Value) (citylinks.Date, error) {
	b, err := v.StringBytes()
	if err != nil {
		return citylinks.Date{}, d.errAt("must be a string, not %s", typeName(v))
	}
	if d, ok := parseDate(b); ok {
		return d, nil
	}
	return citylinks.Date{}, d.errAt("%q is not a date of the form YYYY-MM-DD", errtext.Clip(string(b)))
}

// parseDate parses exactly YYYY-MM-DD into a valid date.
func parseDate(b []byte) (citylinks.Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return citylinks.Date{}, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(b[:4]), num(b[5:7]), num(b[8:])
	if y < 0 || m < 0 || d < 0 {
		return citylinks.Date{}, false
	}
	dt := citylinks.Date{Year: y, Month: time.Month(m), Day: d}
	return dt, dt.Valid()
}

func (d *Decoder) instant(v *fastjson.Value) (time.Time, error) {
	s, err := d.str(v)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, d.errAt("%q is not an RFC 3339 instant", errtext.Clip(s))
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
