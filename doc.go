// Package citylinks is the shared vocabulary for running city-to-city
// municipal partnership programs of the kind ICMA has run since 1997
// (Resource Cities, CityLinks 2003–2008, CityLinks 2011–2016): a host city in
// a developing or decentralizing country is paired with a peer local
// government that shares its expertise.
//
// The other packages build on this one: partnership (the lifecycle of a
// pair), matching (eligibility, scoring and assignment) and report (outcome
// reporting). Storage backends live under store/.
//
// # Countries and designations
//
// [Countries] holds all 249 ISO 3166-1 entries, embedded with their UN M49
// region and sub-region, plus Kosovo (XK) as GeoNames uses it.
// [LookupCountry] finds one by any code or name. [Country.IncomeGroup] gives
// the World Bank income group of a country in any fiscal year FY1989–FY2026
// from the shipped table ([ShippedIncome]), and keeps "not classified"
// ([IncomeNotClassified]) apart from "no data" ([IncomeNoData]). An
// [IncomeTable] takes later years from you (Set, or ReadCSV from a file of
// the shipped shape), and tells a year it does not hold ([IncomeTable.Holds])
// from one it holds.
//
// A [Designation] is a named, dated country list. The built-in ones are the
// Feed the Future focus countries (2010), GHI Plus (2010) and the GHI second
// round (2011); [NewDesignation] makes your own.
//
// # Cities, organizations, programs
//
// A [City] has a place (country, admin region, location, elevation, time
// zone, languages), a population with its year, a profile of needs (host
// side) and offers (resource side) as topics with a [Level], and a capacity
// for concurrent partnerships. An [Organization] is a party: a local
// government, NGO, association, university, firm, donor or facilitator, and
// may be composite (a city and its county acting together).
//
// Focus areas ([FocusAreas]) and topics ([Topics]) form a two-level taxonomy
// with stable kebab-case ids. A [Program] has a funder, dates, focus areas
// and eligibility rules; [Programs] returns the three built-in ones and
// [LoadProgramJSON] reads your own.
//
// # Errors
//
// Every constructor, Validate method, loader and store write validates. Bad
// input gives a [*ValidationError] naming the field (or JSON path) and the
// problem; it wraps [ErrInvalid]. [ErrNotFound], [ErrConflict] and
// [ErrForbidden] are the sentinels every package shares; test for them with
// errors.Is.
//
// # Loading data
//
// [ReadGeoNames] and [ReadCensusPlaces] stream cities from the GeoNames and
// Census tables one row at a time, yielding a [*RowError] with the line
// number for each bad row. [Store.ImportCities] stores such a stream in
// one transaction, either all-or-nothing (the default) or skipping and
// reporting bad rows. Package dataset ships the tables.
//
// # Storage
//
// [Store] is the storage this package needs: put, get, delete and list for
// cities, organizations and programs, with keyset paging ([Page]) and
// filters by country, designation, UN M49 area, population and kind. The
// backends are store/memory, store/sqlite and store/postgres; store/storetest
// is the conformance suite they all pass.
package citylinks
