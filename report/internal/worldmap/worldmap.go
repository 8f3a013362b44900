package worldmap

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
)

//go:embed countries-110m.json
var countries110m []byte

// Country is one country of the map: its ISO 3166-1 numeric code (empty for
// the few territories Natural Earth gives none, such as Kosovo), its name as
// Natural Earth writes it, and its outline as rings of [longitude, latitude]
// points in degrees. Each ring is closed: it ends where it starts.
type Country struct {
	ID    string
	Name  string
	Rings [][][2]float64
}

// World is a decoded map: every country of one TopoJSON object.
type World struct {
	Countries []Country
}

// topology is the part of a TopoJSON document Decode reads.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][]float64 `json:"arcs"`
	Objects map[string]struct {
		Type       string `json:"type"`
		Geometries []struct {
			Type       string          `json:"type"`
			ID         string          `json:"id"`
			Arcs       json.RawMessage `json:"arcs"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"geometries"`
	} `json:"objects"`
}

// Decode reads the geometry collection named object of a TopoJSON topology
// (https://github.com/topojson/topojson-specification): it undoes the
// quantization (each arc's positions are deltas from the previous one,
// scaled and translated by the transform) and joins the arcs of each ring,
// a negative index ~i meaning arc i reversed. Polygons and multipolygons
// are kept; other geometries are skipped. A document that is not such a
// topology, or whose rings name arcs it does not have, is an error.
func Decode(data []byte, object string) (*World, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("worldmap: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("worldmap: type is %q, not Topology", t.Type)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("worldmap: no object %q", object)
	}
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		for j, p := range a {
			if len(p) < 2 {
				return nil, fmt.Errorf("worldmap: arc %d position %d has %d coordinates, not 2", i, j, len(p))
			}
			pt := [2]float64{p[0], p[1]}
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pt = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			}
			if !finite(pt[0]) || !finite(pt[1]) {
				return nil, fmt.Errorf("worldmap: arc %d position %d is not a finite number", i, j)
			}
			arcs[i] = append(arcs[i], pt)
		}
	}
	ring := func(idx []int) ([][2]float64, error) {
		var out [][2]float64
		for _, k := range idx {
			i, rev := k, false
			if k < 0 {
				i, rev = ^k, true
			}
			if i < 0 || i >= len(arcs) {
				return nil, fmt.Errorf("worldmap: arc index %d out of range (%d arcs)", k, len(arcs))
			}
			a := arcs[i]
			for j := range a {
				p := a[j]
				if rev {
					p = a[len(a)-1-j]
				}
				if j == 0 && len(out) > 0 {
					continue // the previous arc ended here
				}
				out = append(out, p)
			}
		}
		return out, nil
	}
	w := &World{}
	for _, g := range obj.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("worldmap: %s: %w", g.Properties.Name, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("worldmap: %s: %w", g.Properties.Name, err)
			}
		default:
			continue
		}
		c := Country{ID: g.ID, Name: g.Properties.Name}
		for _, p := range polys {
			for _, idx := range p {
				r, err := ring(idx)
				if err != nil {
					return nil, err
				}
				for _, part := range splitAntimeridian(r) {
					if len(part) > 0 {
						c.Rings = append(c.Rings, part)
					}
				}
			}
		}
		w.Countries = append(w.Countries, c)
	}
	return w, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// splitAntimeridian cuts a ring that crosses the 180th meridian (Fiji,
// Chukotka: TopoJSON of the sphere jumps from 180° to −180° there) into the
// parts on either side, so that a flat map does not draw it across the
// world. A ring that does not cross is returned as it is.
func splitAntimeridian(r [][2]float64) [][][2]float64 {
	// Unwrap: make each step shorter than half the globe.
	u := make([][2]float64, len(r))
	shift, crosses := 0.0, false
	for i, p := range r {
		if i > 0 {
			switch d := p[0] + shift - u[i-1][0]; {
			case d > 180:
				shift -= 360
				crosses = true
			case d < -180:
				shift += 360
				crosses = true
			}
		}
		u[i] = [2]float64{p[0] + shift, p[1]}
	}
	if !crosses || math.Abs(u[len(u)-1][0]-u[0][0]) > 180 {
		// A ring around a pole (Antarctica's) does not close when
		// unwrapped: it is left as it is.
		return [][][2]float64{r}
	}
	var out [][][2]float64
	for _, k := range []float64{-1, 0, 1} { // the copies west, on and east of the map
		lo, hi := -180+360*k, 180+360*k
		part := clipLon(clipLon(u, lo, true), hi, false)
		if len(part) < 3 {
			continue
		}
		for i := range part {
			part[i][0] -= 360 * k
		}
		if part[0] != part[len(part)-1] {
			part = append(part, part[0])
		}
		out = append(out, part)
	}
	return out
}

// clipLon keeps the part of a ring east of lon (east true) or west of it
// (Sutherland–Hodgman against one meridian).
func clipLon(r [][2]float64, lon float64, east bool) [][2]float64 {
	in := func(p [2]float64) bool { return (p[0] >= lon) == east || p[0] == lon }
	var out [][2]float64
	for i := range r {
		cur, prev := r[i], r[(i+len(r)-1)%len(r)]
		if in(cur) != in(prev) {
			t := (lon - prev[0]) / (cur[0] - prev[0])
			out = append(out, [2]float64{lon, prev[1] + t*(cur[1]-prev[1])})
		}
		if in(cur) {
			out = append(out, cur)
		}
	}
	return out
}

// Projection is an equirectangular (plate carrée) projection onto a
// Width × Height box whose top edge is latitude North and bottom edge
// latitude South, from longitude −180 at the left to 180 at the right.
type Projection struct {
	Width, Height float64
	North, South  float64
}

// Equirectangular returns the projection of the inhabited world (84° N to
// 58° S, which leaves out Antarctica) onto a box width wide, with the
// height that keeps a degree of latitude as long as a degree of longitude.
func Equirectangular(width float64) Projection {
	const north, south = 84, -58
	return Projection{Width: width, Height: width * (north - south) / 360, North: north, South: south}
}

// Point returns where latitude lat and longitude lon fall, in the box's
// coordinates (x to the right, y down). Latitudes beyond North and South
// fall outside the box.
func (p Projection) Point(lat, lon float64) (x, y float64) {
	return (lon + 180) / 360 * p.Width, (p.North - lat) / (p.North - p.South) * p.Height
}

// Path returns an SVG path (the d attribute) drawing every country of w for
// which keep returns true (all when keep is nil) through p. Coordinates are
// rounded to whole units and written relative to the previous point;
// repeated points are dropped, and so are rings that shrink to fewer than
// three points (islands smaller than a unit).
func (w *World) Path(p Projection, keep func(Country) bool) string {
	var b strings.Builder
	var pts [][2]int
	for _, c := range w.Countries {
		if keep != nil && !keep(c) {
			continue
		}
		for _, r := range c.Rings {
			pts = pts[:0]
			for _, pt := range r {
				x, y := p.Point(pt[1], pt[0])
				q := [2]int{int(math.Round(x)), int(math.Round(y))}
				if len(pts) == 0 || pts[len(pts)-1] != q {
					pts = append(pts, q)
				}
			}
			if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
				pts = pts[:len(pts)-1] // z closes the ring
			}
			if len(pts) < 3 {
				continue
			}
			fmt.Fprintf(&b, "M%d,%d", pts[0][0], pts[0][1])
			for i := 1; i < len(pts); i++ {
				if i == 1 {
					b.WriteByte('l')
				} else {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%d,%d", pts[i][0]-pts[i-1][0], pts[i][1]-pts[i-1][1])
			}
			b.WriteByte('z')
		}
	}
	return b.String()
}

var (
	shipped     *World
	shippedErr  error
	shippedOnce sync.Once
)

// Countries returns the shipped world map: Natural Earth's Admin 0 country
// boundaries at 1:110m, version 4.1.0, from the world-atlas package 2.0.2
// (countries-110m.json), decoded once.
func Countries() (*World, error) {
	shippedOnce.Do(func() {
		shipped, shippedErr = Decode(countries110m, "countries")
		if shippedErr == nil && len(shipped.Countries) == 0 {
			shipped, shippedErr = nil, errors.New("worldmap: the shipped map has no countries")
		}
	})
	return shipped, shippedErr
}
