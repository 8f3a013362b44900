// Package dataset ships the real data that citylinks and its examples use,
// embedded so that nothing is downloaded at run time. See NOTICE at the root
// of the module for sources and licences.
//
//   - cities15000.csv: GeoNames cities over 15,000 people (CC BY 4.0,
//     "Contains data from GeoNames (https://www.geonames.org/), licensed
//     under CC BY 4.0"); read it with citylinks.ReadGeoNames.
//   - us_places_census_popest.csv: U.S. Census Bureau, Population Division,
//     Vintage 2019 estimates of incorporated places (public domain); read it
//     with citylinks.ReadCensusPlaces.
//   - citylinks_partnerships.csv: the partnerships that ICMA and partner-city
//     pages confirm, with their sources.
//   - admin1_codes.csv: GeoNames first-level administrative divisions.
//   - wb_income_history.csv: the World Bank's income classification of every
//     economy in every fiscal year FY1989–FY2026 (CC BY 4.0, The World Bank,
//     "World Bank Country and Lending Groups"); read it with
//     citylinks.ShippedIncome.
//   - countries.csv, wb_income_history.csv and
//     usg_initiative_countries_2010_2011.csv: embedded by package citylinks
//     itself.
package dataset
