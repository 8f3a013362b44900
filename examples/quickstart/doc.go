// Command quickstart runs a CityLinks-style program on citylinks, offline,
// on the embedded SQLite default (or PostgreSQL with -postgres), with the
// shipped real data:
//
//  1. it loads the GeoNames cities (32,847 places over 15,000 people) and
//     the built-in programs;
//  2. it replays the nine documented CityLinks 2011–2016 partnerships through
//     their lifecycle, with their real (composite) parties, focus and dates,
//     as far as the sources document them;
//  3. it runs a demonstration matching round in the style of the 2015
//     Climate Adaptation Partnership Program: real cities, illustrative
//     profiles, the CityLinks 2011–2016 eligibility rules, with the reason
//     for every city left out; each proposed pair becomes a partnership
//     (handoff.Propose), reported on from its proposal on: a handoff.Syncer
//     keeps its report activity and contributions in step with every
//     command;
//  4. it advances those partnerships: ratification, agreement, work plans,
//     exchanges and volunteer contributions;
//  5. it records outcomes, has them approved period by period, completes a
//     partnership on its approved final results, and writes report.html,
//     report.md, report.csv, report.json and iati.xml;
//
// and prints a summary. Running it again on the same database adds nothing
// twice: it says what it found and carries on from there.
//
// Usage:
//
//	go run ./examples/quickstart [-db out/citylinks.db] [-out out] [-postgres URL] [-iati-org-ref ID] [-lang en|fr|es|pt]
//
// -lang writes the words of report.html and report.md, and report.csv's
// header, in English (the default), French, Spanish or Portuguese.
package main
