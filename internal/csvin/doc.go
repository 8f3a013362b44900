// Package csvin reads CSV files from outside input for the importers
// (GeoNames and Census loaders, observations, the matchmaker's hosts and
// partners) with two guarantees encoding/csv alone does not give:
//
//   - Memory is bounded by a cap on one row. encoding/csv holds a whole line
//     (and a whole quoted record) in memory, so one 300 MB line cost 2.5 GB
//     of allocations. A Reader holds at most the cap's worth of a line, in
//     one buffer, and reports a longer row, with its line, as a
//     *LongRowError; a one-line row is then skipped and reading goes on.
//   - Any line ending reads: LF, CRLF, and the CR-only endings of old Mac
//     files, which encoding/csv would read as one line (so a CR-only file
//     looked like a header and no rows). The first line break of the input
//     decides: a lone CR there makes every lone CR a line break.
//
// Lines are counted from 1 as the file has them, whatever their ending.
package csvin
