// Package demo is the demonstration program the quickstart runs and the
// staff web app (examples/office) starts from: the shipped GeoNames cities
// and built-in programs, the nine documented CityLinks 2011–2016
// partnerships replayed through their lifecycle, a demonstration matching
// round in the style of the 2015 Climate Adaptation Partnership Program
// with illustrative profiles, those partnerships advanced, and their
// (illustrative) outcomes recorded and approved.
//
// [New] wires the partnership and report services over one store, with a
// handoff.Syncer keeping outcome reporting in step; [Env.Seed] writes the
// program into the store, and adds nothing twice on a second run;
// [Env.Round] is the demonstration round as it stood before it proposed
// its pairs, for a program to match again. [Amender] and [IATIOrgs] are how
// its partnerships are reported (cities with coordinates, the parent award,
// public documents, USAID's IATI identifier), for a test that rebuilds an
// activity with handoff.Activity.
package demo
