// Package worldmap draws the world behind the HTML report's partnership
// map. It ships Natural Earth's Admin 0 country boundaries at 1:110m
// (public domain), as the TopoJSON file countries-110m.json of the
// world-atlas package 2.0.2 (ISC licence; see the module's NOTICE), decodes
// TopoJSON itself (Decode), and projects longitude and latitude
// equirectangularly (Projection) into an SVG path (World.Path).
package worldmap
