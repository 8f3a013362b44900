package api

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

// OpenAPI returns the OpenAPI 3.1 document of the handler's routes, the one
// GET /openapi.json serves. Paths are relative to where the host mounts
// the handler.
func (h *Handler) OpenAPI() []byte { return h.doc }

// schemas builds JSON Schemas of Go types by reflection, the way
// encoding/json writes them, naming each struct type once in components.
type schemas struct {
	defs map[string]any
}

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	rawMessage    = reflect.TypeFor[json.RawMessage]()
)

func (s *schemas) of(t reflect.Type) map[string]any {
	switch t {
	case reflect.TypeFor[citylinks.Date]():
		return map[string]any{"type": "string", "format": "date"}
	case reflect.TypeFor[time.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	case reflect.TypeFor[report.Period]():
		return map[string]any{"type": "string", "description": "a period: 2015, 2015-Q1, 2015-03 or 2015-01-01/2015-06-30"}
	case rawMessage:
		return map[string]any{"type": "object", "description": "a partnership event: schema, partnership, version, kind, on, at, actor, data"}
	}
	if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.of(t.Elem())}
	case reflect.Struct:
		name := schemaName(t)
		if _, ok := s.defs[name]; !ok {
			s.defs[name] = nil // placeholder against recursion
			props, required := map[string]any{}, []string{}
			s.fields(t, props, &required)
			def := map[string]any{"type": "object", "properties": props}
			if len(required) > 0 {
				sort.Strings(required)
				def["required"] = required
			}
			s.defs[name] = def
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// fields adds t's JSON fields, embedded structs' included.
func (s *schemas) fields(t reflect.Type, props map[string]any, required *[]string) {
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			s.fields(f.Type, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = s.of(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
}

var nameChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// schemaName names a struct type: its name for this package's types,
// package.Name for the library's, and ItemList for a List of Item.
func schemaName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		inner := name[i+1 : len(name)-1]
		if j := strings.LastIndexByte(inner, '/'); j >= 0 {
			inner = inner[j+1:]
		}
		inner = strings.TrimPrefix(inner, "api.")
		name = nameChars.ReplaceAllString(inner, "") + name[:i]
	}
	if pkg := t.PkgPath(); pkg != "" && !strings.HasSuffix(pkg, "/api") {
		name = pkg[strings.LastIndexByte(pkg, '/')+1:] + "." + name
	}
	return name
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func (h *Handler) openAPI() ([]byte, error) {
	s := &schemas{defs: map[string]any{}}
	problem := map[string]any{"application/problem+json": map[string]any{"schema": s.of(reflect.TypeFor[Problem]())}}
	paths := map[string]map[string]any{}
	for _, rt := range h.routes {
		op := map[string]any{
			"operationId": operationID(rt),
			"summary":     rt.summary,
			"tags":        []string{rt.tag},
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, p := range rt.query {
			sch := map[string]any{"type": p.typ}
			switch p.typ {
			case "date":
				sch = map[string]any{"type": "string", "format": "date"}
			case "array":
				sch = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
			}
			params = append(params, map[string]any{"name": p.name, "in": "query", "description": p.doc, "schema": sch})
		}
		if rt.ifMatch {
			params = append(params, map[string]any{"name": "If-Match", "in": "header", "required": true,
				"description": "the partnership's ETag, from GET /partnerships/{id}; * for any version", "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		switch {
		case rt.csv:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"text/csv": map[string]any{"schema": map[string]any{"type": "string"}}}}
		case rt.body != nil:
			op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": s.of(reflect.TypeOf(rt.body))}}}
		}
		ok := map[string]any{"description": http.StatusText(rt.status)}
		switch {
		case rt.formats:
			content := map[string]any{}
			for _, m := range formats {
				content[m.media] = map[string]any{"schema": map[string]any{"type": "string"}}
			}
			ok["content"] = content
		case rt.out != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": s.of(reflect.TypeOf(rt.out))}}
		}
		if rt.etag {
			ok["headers"] = map[string]any{"ETag": map[string]any{"description": "the partnership's version", "schema": map[string]any{"type": "string"}}}
		}
		responses := map[string]any{strconv.Itoa(rt.status): ok, "default": map[string]any{"description": "a problem (RFC 9457)", "content": problem}}
		if rt.ifMatch {
			responses["412"] = map[string]any{"description": "the If-Match version is not current", "content": problem}
			responses["428"] = map[string]any{"description": "If-Match is missing", "content": problem}
		}
		op["responses"] = responses
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "citylinks API", "version": "1",
			"description": "City-to-city partnership programs: partnerships and their lifecycle, outcome reporting and approval, matching. " +
				"Commands need If-Match with the partnership's ETag; errors are RFC 9457 problem documents with a stable type URI."},
		"paths":      paths,
		"components": map[string]any{"schemas": s.defs},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("api: the OpenAPI document does not encode: %w", err)
	}
	return append(b, '\n'), nil
}

// operationID names a route: its method and path words, e.g.
// post_partnerships_id_ratify.
func operationID(rt route) string {
	id := strings.ToLower(rt.method)
	for seg := range strings.SplitSeq(rt.path, "/") {
		seg = strings.Trim(seg, "{}")
		if seg != "" {
			id += "_" + strings.NewReplacer("-", "_", ".", "_").Replace(seg)
		}
	}
	return id
}
