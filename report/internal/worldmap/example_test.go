package worldmap_test

import (
	"fmt"

	"github.com/citylinks/citylinks/report/internal/worldmap"
)

func ExampleProjection_Point() {
	p := worldmap.Equirectangular(720)
	x, y := p.Point(-29.86, 31.03) // Durban
	fmt.Printf("%.0f × %.0f box; Durban at %.1f, %.1f\n", p.Width, p.Height, x, y)
	// Output: 720 × 284 box; Durban at 422.1, 227.7
}

func ExampleDecode() {
	// A square made of one arc, quantized: deltas from (0, 0) scaled by 10.
	doc := `{"type":"Topology","transform":{"scale":[10,10],"translate":[0,0]},
	"arcs":[[[0,0],[1,0],[0,1],[-1,0],[0,-1]]],
	"objects":{"c":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]],"id":"001","properties":{"name":"Square"}}]}}}`
	w, err := worldmap.Decode([]byte(doc), "c")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Countries[0].Name, w.Countries[0].Rings[0])
	// Output: Square [[0 0] [10 0] [10 10] [0 10] [0 0]]
}
