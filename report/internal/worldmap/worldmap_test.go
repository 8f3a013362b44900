package worldmap_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/report/internal/worldmap"
)

func TestShippedMap(t *testing.T) {
	w, err := worldmap.Countries()
	require.NoError(t, err)
	assert.Len(t, w.Countries, 177, "Natural Earth 1:110m has 177 admin-0 units")
	names := map[string]worldmap.Country{}
	for _, c := range w.Countries {
		names[c.Name] = c
		for i, r := range c.Rings {
			require.GreaterOrEqual(t, len(r), 4, "%s ring %d", c.Name, i)
			assert.Equal(t, r[0], r[len(r)-1], "%s ring %d is closed", c.Name, i)
			for _, p := range r {
				assert.True(t, p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90, "%s: %v", c.Name, p)
			}
		}
	}
	// South Africa's outline surrounds Durban's longitude and latitude.
	za := names["South Africa"]
	require.NotEmpty(t, za.Rings)
	assert.Equal(t, "710", za.ID)
	minLon, maxLon, minLat, maxLat := 180.0, -180.0, 90.0, -90.0
	for _, p := range za.Rings[0] {
		minLon, maxLon = min(minLon, p[0]), max(maxLon, p[0])
		minLat, maxLat = min(minLat, p[1]), max(maxLat, p[1])
	}
	assert.True(t, minLon < 31.03 && 31.03 < maxLon && minLat < -29.86 && -29.86 < maxLat, "bbox %v %v %v %v", minLon, maxLon, minLat, maxLat)
}

// TestAntimeridian: no ring but Antarctica's (around the pole) spans more
// than half the globe, so none is drawn across a flat map; Fiji and
// Chukotka are cut at 180° into parts on either side.
func TestAntimeridian(t *testing.T) {
	w, err := worldmap.Countries()
	require.NoError(t, err)
	fiji := 0
	for _, c := range w.Countries {
		for i, r := range c.Rings {
			lo, hi := 180.0, -180.0
			for _, p := range r {
				lo, hi = min(lo, p[0]), max(hi, p[0])
			}
			if c.ID != "010" {
				assert.LessOrEqual(t, hi-lo, 180.0, "%s ring %d spans %v..%v", c.Name, i, lo, hi)
			}
			if c.Name == "Fiji" && (hi == 180 || lo == -180) {
				fiji++
			}
		}
	}
	assert.GreaterOrEqual(t, fiji, 2, "Fiji's island on the 180th meridian is cut in two")
}

func TestPath(t *testing.T) {
	w, err := worldmap.Countries()
	require.NoError(t, err)
	p := worldmap.Equirectangular(640)
	all := w.Path(p, nil)
	noAQ := w.Path(p, func(c worldmap.Country) bool { return c.ID != "010" })
	assert.Less(t, len(noAQ), len(all), "leaving Antarctica out shortens the path")
	assert.Equal(t, strings.Count(all, "M"), strings.Count(all, "z"), "every ring is closed")
	assert.NotContains(t, all, "NaN")
	t.Logf("path: %d bytes", len(noAQ))
	assert.Less(t, len(noAQ), 80_000, "the map stays small enough to inline")
}

func TestDecodeRefusesBadInput(t *testing.T) {
	for name, doc := range map[string]string{
		"NotJSON":     `{`,
		"NotTopology": `{"type":"FeatureCollection"}`,
		"NoObject":    `{"type":"Topology","arcs":[],"objects":{}}`,
		"BadArc":      `{"type":"Topology","arcs":[[[0]]],"objects":{"c":{"geometries":[]}}}`,
		"ArcIndex":    `{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"c":{"geometries":[{"type":"Polygon","arcs":[[5]]}]}}}`,
		"NegIndex":    `{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"c":{"geometries":[{"type":"Polygon","arcs":[[-3]]}]}}}`,
		"BadRings":    `{"type":"Topology","arcs":[],"objects":{"c":{"geometries":[{"type":"Polygon","arcs":7}]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := worldmap.Decode([]byte(doc), "c")
			assert.Error(t, err)
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},"arcs":[[[0,0],[1,0],[0,1],[-1,-1]]],"objects":{"c":{"geometries":[{"type":"MultiPolygon","arcs":[[[0]],[[-1]]]}]}}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		w, err := worldmap.Decode(doc, "c")
		if err != nil {
			return
		}
		_ = w.Path(worldmap.Equirectangular(100), nil)
	})
}
