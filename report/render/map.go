package render

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/internal/worldmap"
)

// The world behind the partnership map, drawn once per process: the path
// depends only on the map width.
var (
	landOnce sync.Once
	landPath string
	landProj worldmap.Projection
)

func land() (string, worldmap.Projection) {
	landOnce.Do(func() {
		landProj = worldmap.Equirectangular(mapWidth)
		if w, err := worldmap.Countries(); err == nil {
			landPath = w.Path(landProj, func(c worldmap.Country) bool { return c.ID != "010" }) // not Antarctica
		}
	})
	return landPath, landProj
}

// mapOf draws the partnerships on a world map: one curved line from each
// host location of an activity to each of its resource locations
// (Activity.Locations), numbered by partnership, and a dot per city (red
// for hosts, blue for resource partners). It returns the numbered list
// that goes with the lines and the partnerships it could not place, or a
// nil chart when it can place none.
func mapOf(r *report.Report, l Language) (*htmlChart, []htmlMapEntry, string) {
	d, proj := land()
	c := &htmlChart{Kind: "map", Title: l.Label("map.title"), Width: mapWidth, Height: math.Ceil(proj.Height)}
	c.Shapes = append(c.Shapes, shape{Kind: "path", D: d, Class: "land"})
	var entries []htmlMapEntry
	var missing []string
	var cities, marks []shape
	seen := map[string]bool{}
	city := func(loc report.Location, cls string) (float64, float64) {
		x, y := proj.Point(loc.Lat, loc.Lon)
		key := cls + strconv.FormatFloat(x, 'f', 1, 64) + "," + strconv.FormatFloat(y, 'f', 1, 64)
		if !seen[key] {
			seen[key] = true
			cities = append(cities, shape{Kind: "circle", X: x, Y: y, W: 3.5, Class: "city " + cls, Title: loc.Name})
		}
		return x, y
	}
	f := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	for _, a := range r.Activities {
		var from, to []report.Location
		for _, loc := range a.Locations {
			switch {
			case loc.IsHost():
				from = append(from, loc)
			case loc.Role == report.LocationResource:
				to = append(to, loc)
			}
		}
		if len(from) == 0 || len(to) == 0 {
			missing = append(missing, a.Title)
			continue
		}
		n := len(entries) + 1
		e := htmlMapEntry{N: n, Title: a.Title, Host: locationNames(from), Resource: locationNames(to)}
		if hosts, res := hostAndResources(a); len(hosts) > 0 && len(res) > 0 {
			// The parties by name (Catawba County, not Hickory, where it
			// is drawn).
			e.Host, e.Resource = participantNames(hosts), participantNames(res)
		}
		entries = append(entries, e)
		for _, h := range from {
			x1, y1 := city(h, "host")
			for _, p := range to {
				x2, y2 := city(p, "resource")
				// A quadratic curve bowed northwards, a fifth of the
				// distance between the two cities.
				dx, dy := x2-x1, y2-y1
				nx, ny := -dy*0.2, dx*0.2
				if ny > 0 {
					nx, ny = -nx, -ny
				}
				cx, cy := (x1+x2)/2+nx, (y1+y2)/2+ny
				c.Shapes = append(c.Shapes, shape{Kind: "path", Class: "map-link", Partnership: a.ID,
					D:     "M" + f(x1) + "," + f(y1) + " Q" + f(cx) + "," + f(cy) + " " + f(x2) + "," + f(y2),
					Title: strconv.Itoa(n) + ". " + a.Title + ": " + h.Name + " ↔ " + p.Name})
				mx, my := 0.25*x1+0.5*cx+0.25*x2, 0.25*y1+0.5*cy+0.25*y2
				marks = append(marks, shape{Kind: "circle", X: mx, Y: my, W: 7, Class: "map-n"},
					shape{Kind: "text", X: mx, Y: my + 3, Text: strconv.Itoa(n), Anchor: "middle", Class: "map-n-text"})
			}
		}
	}
	if len(entries) == 0 {
		return nil, nil, ""
	}
	c.Shapes = append(append(c.Shapes, cities...), marks...)
	c.Legend = []legendItem{{"host", l.Label("map.host")}, {"resource", l.Label("map.resource")}, {"link", l.Label("map.note")}}
	m := ""
	if len(missing) > 0 {
		m = l.labelf("map.missing", strings.Join(missing, "; "))
	}
	return c, entries, m
}

// participantNames joins the names of participants with " + ".
func participantNames(ps []report.ParticipatingOrg) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return strings.Join(names, " + ")
}

// locationNames joins the names of locations with " + ".
func locationNames(ls []report.Location) string {
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	return strings.Join(names, " + ")
}
