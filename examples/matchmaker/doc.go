// Command matchmaker proposes city-to-city partnerships from two CSV files,
// hosts and partners, with package matching: it applies a program's
// eligibility rules, scores every eligible pair on the criteria ICMA used,
// keeps each host's best candidates and assigns hosts to partners within
// their capacity, optimally. Every unmatched city is listed with the reason.
//
// Usage:
//
//	matchmaker -hosts hosts.csv -partners partners.csv [-program citylinks-2011|FILE.json]
//	           [-focus climate] [-as-of 2015-03-23] [-top 50] [-min-score 0] [-objective max-pairs]
//	           [-must HOST=PARTNER]... [-forbid HOST=PARTNER]... [-weights topic-fit=0.5,...]
//	           [-capacity 1] [-explain] [-format table|csv|json] [-income FILE]
//
// Input columns (a header row names them, in any order):
//
//	hosts:    id,name,country,population,latitude,longitude,elevation_m,needs
//	partners: id,name,country,population,latitude,longitude,elevation_m,offers,capacity
//	optional on both: languages,commitment,timezone,coastal,kind
//
// Topics are separated by semicolons, each optionally with ":level" (1–3 or
// basic, intermediate, advanced): "climate-adaptation:3;stormwater".
// Languages are separated by semicolons too ("en;es"); commitment runs from
// 0 to 1; kind is an organization kind (city, county, consortium, ngo, …;
// default city). Empty cells mean "not known".
//
// A bad row stops the run with exit status 1 and "FILE:LINE: reason" for
// every bad row (up to 20).
//
// Income groups come from the World Bank table shipped with citylinks,
// FY1989–FY2026 (a World Bank fiscal year runs 1 July to 30 June, so FY2026
// ends on 2026-06-30). A round dated later (by default -as-of is today) needs
// the later years: -income FILE adds them from a CSV with an iso_alpha3
// column and fyYYYY columns of L, LM, UM, H or NC. Without them the hosts
// those rules judge are listed as "missing-data", and when that leaves no
// pair the command exits with status 1 and says which year is missing and
// how to supply it; when pairs remain, it proposes them and warns on stderr. On large inputs a progress bar goes to stderr
// when stderr is a terminal.
package main
